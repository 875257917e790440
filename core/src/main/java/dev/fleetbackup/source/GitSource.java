package dev.fleetbackup.source;

import dev.fleetbackup.model.Revision;
import dev.fleetbackup.model.SafeText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ConfigConstants;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.FetchResult;
import org.eclipse.jgit.transport.RefSpec;

/**
 * The config repo as fleet-backup follows it: a bare clone in a work dir, fetched on demand; policy
 * files are read from a commit without checking anything out. {@link StatusBranch} shares its clone,
 * and its branch is fetched with the followed one: one fetch per iteration of the loop.
 */
public final class GitSource implements AutoCloseable {
  /** What JGit wrote when it created the clone, and reads back to open it. */
  private static final List<String> KEPT_CORE_KEYS = List.of(ConfigConstants.CONFIG_KEY_REPO_FORMAT_VERSION,
      ConfigConstants.CONFIG_KEY_FILEMODE, ConfigConstants.CONFIG_KEY_SYMLINKS, ConfigConstants.CONFIG_KEY_LOGALLREFUPDATES);

  private final GitRemote remote;
  private final String branch;
  private final String path;
  private final IgnorePatterns ignore;
  private final Git git;
  /** The status branches made from this clone: each {@link #fetch} brings their heads along. */
  private final List<StatusBranch> statusBranches = new CopyOnWriteArrayList<>();

  private GitSource(GitRemote remote, String branch, String path, IgnorePatterns ignore, Git git) {
    this.remote = remote;
    this.branch = branch;
    this.path = path;
    this.ignore = ignore;
    this.git = git;
  }

  /**
   * Opens the clone in {@code workDir}, creating it if needed; nothing is fetched yet. The folder
   * must be this user's alone ({@link WorkFolder}); JGit sees it through {@link NoProgramsFs}, so no
   * hook or other program ever runs; and its config is rewritten to what fleet-backup needs.
   */
  public static GitSource open(GitRemote remote, String branch, String path, Path workDir) throws SourceException {
    return open(remote, branch, path, IgnorePatterns.NONE, workDir);
  }

  /** As {@link #open(GitRemote, String, String, Path)}, leaving out what {@code ignore} names as well. */
  public static GitSource open(GitRemote remote, String branch, String path, IgnorePatterns ignore, Path workDir)
      throws SourceException {
    WorkFolder.claim(workDir);
    Repository repository = null;
    try {
      repository = new FileRepositoryBuilder().setGitDir(workDir.toFile()).setBare().setFS(new NoProgramsFs())
          .setInitialBranch(branch).build();
      if (!Files.exists(workDir.resolve("HEAD"))) {
        repository.create(true);
      }
      ownConfig(repository.getConfig(), remote.url());
      return new GitSource(remote, branch, path, ignore, Git.wrap(repository));
    } catch (IOException | GitAPIException | IllegalStateException e) {
      if (repository != null) {
        repository.close();
      }
      throw new SourceException("cannot open work dir " + workDir + ": " + e.getMessage(), e);
    }
  }

  /**
   * The clone's own config, reduced to the repository format and the remote's URL: whatever else
   * was written there (an {@code insteadOf}, a {@code pushurl}, an {@code uploadpack}, a
   * {@code hooksPath}, {@code sslVerify = false}) is dropped before the first fetch.
   */
  private static void ownConfig(StoredConfig config, String url) throws IOException {
    Map<String, String> core = kept(config, ConfigConstants.CONFIG_CORE_SECTION, KEPT_CORE_KEYS::contains);
    Map<String, String> extensions = kept(config, ConfigConstants.CONFIG_EXTENSIONS_SECTION, key -> true);
    config.clear();
    core.forEach((key, value) -> config.setString(ConfigConstants.CONFIG_CORE_SECTION, null, key, value));
    extensions.forEach((key, value) -> config.setString(ConfigConstants.CONFIG_EXTENSIONS_SECTION, null, key, value));
    config.setBoolean(ConfigConstants.CONFIG_CORE_SECTION, null, ConfigConstants.CONFIG_KEY_BARE, true);
    config.setString(ConfigConstants.CONFIG_REMOTE_SECTION, "origin", ConfigConstants.CONFIG_KEY_URL, url);
    config.save();
  }

  /** The keys of a section set in the clone's own config file (not the user's or the system's), with their values. */
  private static Map<String, String> kept(StoredConfig config, String section, Predicate<String> keep) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String key : config.getNames(section, null, false)) {
      if (keep.test(key.toLowerCase(Locale.ROOT))) {
        values.put(key, config.getString(section, null, key));
      }
    }
    return values;
  }

  /**
   * Fetches the branch and returns its head. The status branches made from this clone come along
   * in the same fetch, so that their next write or read needs no fetch of its own; one the remote
   * does not have yet is left out (JGit refuses a fetch that names a missing branch, and says
   * which: the fetch is made again without it, once, and the writer knows it has to create it).
   */
  public Revision fetch() throws SourceException {
    String tracking = "refs/remotes/origin/" + branch;
    List<StatusBranch> along = new ArrayList<>(statusBranches.stream().filter(s -> !s.branch().equals(branch)).toList());
    statusBranches.forEach(StatusBranch::forgetFetched);
    try {
      FetchResult result;
      try {
        result = fetch(along);
      } catch (org.eclipse.jgit.api.errors.TransportException e) {
        List<StatusBranch> missing = along.stream().filter(s -> names(e, Constants.R_HEADS + s.branch())).toList();
        if (missing.isEmpty()) {
          throw e;
        }
        along.removeAll(missing);
        result = fetch(along);
        missing.forEach(s -> s.fetched(Optional.empty()));
      }
      ObjectId head = git.getRepository().resolve(tracking);
      if (head == null) {
        throw new SourceException("branch " + branch + " not found in " + remote);
      }
      for (StatusBranch status : along) {
        Ref advertised = result.getAdvertisedRef(Constants.R_HEADS + status.branch());
        if (advertised != null) {
          status.fetched(Optional.of(advertised.getObjectId()));
        }
      }
      return revision(head);
    } catch (GitAPIException | IOException | NoProgramsFs.ProgramRefused e) {
      throw new SourceException("fetch " + remote + " failed: " + rootMessage(e, remote), e);
    }
  }

  private FetchResult fetch(List<StatusBranch> along) throws GitAPIException {
    List<RefSpec> specs = new ArrayList<>();
    specs.add(new RefSpec("+" + Constants.R_HEADS + branch + ":refs/remotes/origin/" + branch));
    along.forEach(status -> specs.add(new RefSpec("+" + Constants.R_HEADS + status.branch() + ":" + status.tracking())));
    return remote.configure(git.fetch().setRemote("origin").setRefSpecs(specs)).call();
  }

  /** Whether JGit's words for a failed fetch name {@code ref} ("Remote does not have refs/heads/x available for fetch."). */
  private static boolean names(Throwable e, String ref) {
    return e.getMessage() != null && (e.getMessage() + " ").contains(ref + " ");
  }

  /**
   * Whether {@code head} has {@code earlier} in its history: the branch moved forward from it. A
   * commit the clone does not hold (a fresh clone after a force-push) is not in the history.
   */
  public boolean contains(Revision head, Revision earlier) throws SourceException {
    Repository repository = git.getRepository();
    try (RevWalk walk = new RevWalk(repository)) {
      ObjectId earlierId = commitId(earlier);
      if (!repository.getObjectDatabase().has(earlierId)) {
        return false;
      }
      return walk.isMergedInto(walk.parseCommit(earlierId), walk.parseCommit(commitId(head)));
    } catch (IOException e) {
      throw new SourceException("cannot compare " + earlier + " with " + head + ": " + e.getMessage(), e);
    }
  }

  /** A revision's commit id; one read from the status branch may be anything its schema lets through. */
  private static ObjectId commitId(Revision revision) throws SourceException {
    try {
      return ObjectId.fromString(revision.sha());
    } catch (IllegalArgumentException e) {
      throw new SourceException(SafeText.quote(revision.sha()) + " is not a full commit id");
    }
  }

  /** The policy files of a fetched commit. */
  public PolicySnapshot read(Revision revision) throws SourceException {
    Repository repository = git.getRepository();
    try (ObjectReader reader = repository.newObjectReader(); RevWalk walk = new RevWalk(reader)) {
      RevCommit commit = walk.parseCommit(commitId(revision));
      return new GitTreeReader(reader, commit.getTree(), ignore).read(revision.toString(), path);
    } catch (IOException e) {
      throw new SourceException("cannot read " + revision + ": " + e.getMessage(), e);
    }
  }

  /** A writer for the status branch of the same remote, sharing this clone. */
  public StatusBranch statusBranch(String statusBranch, String authorName, String authorEmail) {
    StatusBranch status = new StatusBranch(git, remote, statusBranch, new PersonIdent(authorName, authorEmail));
    statusBranches.add(status);
    return status;
  }

  private Revision revision(ObjectId id) throws IOException {
    try (RevWalk walk = new RevWalk(git.getRepository())) {
      RevCommit commit = walk.parseCommit(id);
      return new Revision(branch, id.name(), Instant.ofEpochSecond(commit.getCommitTime()));
    }
  }

  /** The message of {@code e} and of its root cause, the latter only when it adds something. */
  /** JGit's words for a failed fetch or push, without the remote's URL they begin with (the caller names the remote). */
  static String rootMessage(Throwable e, GitRemote remote) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    String said = root == e || e.getMessage() == null ? message
        : e.getMessage().contains(message) ? e.getMessage() : e.getMessage() + ": " + message;
    for (String prefix : List.of(remote.url() + ": ", remote + ": ")) {
      if (said.startsWith(prefix)) {
        return said.substring(prefix.length());
      }
    }
    return said;
  }

  @Override
  public void close() {
    git.close();
    git.getRepository().close();
  }
}
