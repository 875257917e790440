package dev.fleetbackup.source;

import dev.fleetbackup.model.Revision;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.URIish;

/**
 * The config repo as fleet-backup follows it: a bare clone in a work dir, fetched on demand; policy
 * files are read from a commit without checking anything out. {@link StatusBranch} shares its clone.
 */
public final class GitSource implements AutoCloseable {
  private final GitRemote remote;
  private final String branch;
  private final String path;
  private final Git git;

  private GitSource(GitRemote remote, String branch, String path, Git git) {
    this.remote = remote;
    this.branch = branch;
    this.path = path;
    this.git = git;
  }

  /** Opens the clone in {@code workDir}, creating it if needed; nothing is fetched yet. */
  public static GitSource open(GitRemote remote, String branch, String path, Path workDir) throws SourceException {
    try {
      Git git = Files.exists(workDir.resolve("HEAD"))
          ? Git.open(workDir.toFile())
          : Git.init().setBare(true).setDirectory(workDir.toFile()).setInitialBranch(branch).call();
      git.remoteSetUrl().setRemoteName("origin").setRemoteUri(new URIish(remote.url())).call();
      return new GitSource(remote, branch, path, git);
    } catch (IOException | GitAPIException | java.net.URISyntaxException e) {
      throw new SourceException("cannot open work dir " + workDir + ": " + e.getMessage(), e);
    }
  }

  /** Fetches the branch and returns its head. */
  public Revision fetch() throws SourceException {
    String tracking = "refs/remotes/origin/" + branch;
    try {
      remote.configure(git.fetch()
              .setRemote("origin")
              .setRefSpecs(new RefSpec("+refs/heads/" + branch + ":" + tracking)))
          .call();
      ObjectId head = git.getRepository().resolve(tracking);
      if (head == null) {
        throw new SourceException("branch " + branch + " not found in " + remote);
      }
      return revision(head);
    } catch (GitAPIException | IOException e) {
      throw new SourceException("fetch " + remote + " failed: " + rootMessage(e), e);
    }
  }

  /** The policy files of a fetched commit. */
  public PolicySnapshot read(Revision revision) throws SourceException {
    Repository repository = git.getRepository();
    try (ObjectReader reader = repository.newObjectReader(); RevWalk walk = new RevWalk(reader)) {
      RevCommit commit = walk.parseCommit(ObjectId.fromString(revision.sha()));
      return new GitTreeReader(reader, commit.getTree()).read(revision.toString(), path);
    } catch (IOException e) {
      throw new SourceException("cannot read " + revision + ": " + e.getMessage(), e);
    }
  }

  /** A writer for the status branch of the same remote, sharing this clone. */
  public StatusBranch statusBranch(String statusBranch, String authorName, String authorEmail) {
    return new StatusBranch(git, remote, statusBranch, new PersonIdent(authorName, authorEmail));
  }

  private Revision revision(ObjectId id) throws IOException {
    try (RevWalk walk = new RevWalk(git.getRepository())) {
      RevCommit commit = walk.parseCommit(id);
      return new Revision(branch, id.name(), Instant.ofEpochSecond(commit.getCommitTime()));
    }
  }

  static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return root == e ? message : e.getMessage() + ": " + message;
  }

  @Override
  public void close() {
    git.close();
  }
}
