package dev.fleetbackup.source;

import dev.fleetbackup.model.SafeText;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * The status branch of the config repo. Commits status files to it of the config repo and pushes them, as one snapshot per commit.
 * A commit is made only when the content digest differs from the branch head's; a push that loses
 * a race (another writer, a force-push) is redone on top of the new head, so no report is lost.
 *
 * <p>The head a write starts from is the one {@link GitSource#fetch} brought along with the
 * followed branch, when it did since this writer's last write; otherwise the write fetches the
 * branch itself, as it does after a lost race. A head seen at the start of a pass may be stale by
 * its end: the push then loses the race and is made again on the new head, never over it.
 */
public final class StatusBranch {
  static final String DIGEST_TRAILER = "Status-Digest: ";
  private static final int ATTEMPTS = 5;

  private final Git git;
  private final GitRemote remote;
  private final String branch;
  private final PersonIdent author;
  private final PersonIdent committer;
  /** What {@link GitSource#fetch} saw, until the next write or failed fetch; empty when nothing is known. */
  private Optional<Seen> seen = Optional.empty(); // guarded by this

  /** The head a fetch saw on the remote; empty when the remote has no such branch. */
  private record Seen(Optional<ObjectId> head) {}

  StatusBranch(Git git, GitRemote remote, String branch, PersonIdent author) {
    this(git, remote, branch, author, author);
  }

  private StatusBranch(Git git, GitRemote remote, String branch, PersonIdent author, PersonIdent committer) {
    this.git = git;
    this.remote = remote;
    this.branch = branch;
    this.author = author;
    this.committer = committer;
  }

  /**
   * The same branch, its commits' committer naming the instance that made them: author
   * {@code fleet-backup}, committer {@code fleet-backup (fleet-backup-7d9f8-x2kqp)}, so that the
   * history of a branch two replicas take turns writing says which one wrote each commit
   * ({@code git log --format='%h %cn %s'}). The identity is escaped and cut as a quoted value is
   * ({@link SafeText#oneLine}, {@link SafeText#QUOTE_LIMIT}).
   */
  public StatusBranch committedBy(String instance) {
    String name = author.getName() + " (" + SafeText.oneLine(SafeText.truncate(instance, SafeText.QUOTE_LIMIT)) + ")";
    return new StatusBranch(git, remote, branch, author, new PersonIdent(name, author.getEmailAddress()));
  }

  /** What a write did. */
  public sealed interface Outcome permits Committed, Unchanged {}

  public record Committed(String sha, int attempts) implements Outcome {}

  public record Unchanged(String sha) implements Outcome {}

  /**
   * Writes {@code files} (path → bytes) as the whole content of the branch.
   *
   * @param digest identifies the content apart from timestamps; equal digests mean nothing to commit
   */
  public Outcome write(Map<String, byte[]> files, String message, String digest) throws SourceException {
    return write(head -> new Content(files, message, digest));
  }

  /** What to commit: the whole tree, the message, and the digest of the content apart from timestamps. */
  public record Content(Map<String, byte[]> files, String message, String digest) {}

  /** Makes the content to commit on top of a head, from what that head holds. */
  @FunctionalInterface
  public interface Update {
    /** @param head a file of the head the commit goes on, by path; empty when the head has no such file, or there is no head */
    Content on(Head head) throws SourceException;
  }

  /** The files of the head a write goes on. */
  @FunctionalInterface
  public interface Head {
    Optional<byte[]> file(String path) throws SourceException;
  }

  /**
   * Writes what {@code update} makes of the branch's head, again of the new head each time a push
   * loses a race: a writer that owns a part of the content merges it into what the others pushed.
   */
  public Outcome write(Update update) throws SourceException {
    Optional<Seen> known = takeSeen();
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      Optional<RevCommit> head = attempt == 1 && known.isPresent() ? parsed(known.get().head()) : fetchHead();
      Content content = update.on(path -> head.isEmpty() ? Optional.empty() : file(head.get(), path));
      if (head.isPresent() && head.get().getFullMessage().contains(DIGEST_TRAILER + content.digest())) {
        return new Unchanged(head.get().name());
      }
      ObjectId commit = commit(content.files(), content.message() + "\n\n" + DIGEST_TRAILER + content.digest() + "\n", head);
      if (push(commit)) {
        return new Committed(commit.name(), attempt);
      }
    }
    throw new SourceException("push to " + branch + " of " + remote + " kept losing races (" + ATTEMPTS + " attempts)");
  }

  /** The current content of one file of the branch, as of the source's fetch or fetched now; empty when there is none. */
  public Optional<byte[]> read(String file) throws SourceException {
    Optional<Seen> known;
    synchronized (this) {
      known = seen;
    }
    Optional<RevCommit> head = known.isPresent() ? parsed(known.get().head()) : fetchHead();
    return head.isEmpty() ? Optional.empty() : file(head.get(), file);
  }

  private Optional<byte[]> file(RevCommit head, String file) throws SourceException {
    try (TreeWalk walk = TreeWalk.forPath(git.getRepository(), file, head.getTree())) {
      return walk == null ? Optional.empty() : Optional.of(git.getRepository().open(walk.getObjectId(0)).getBytes());
    } catch (IOException e) {
      throw new SourceException("cannot read " + file + " of " + branch + ": " + e.getMessage(), e);
    }
  }

  String branch() {
    return branch;
  }

  /** Where the clone keeps the branch's head. */
  String tracking() {
    return "refs/remotes/origin/" + branch;
  }

  /** {@link GitSource#fetch} saw the branch's head ({@code head}), or saw there is no such branch (empty). */
  synchronized void fetched(Optional<ObjectId> head) {
    seen = Optional.of(new Seen(head));
  }

  /** The source is fetching again: what it saw before may no longer be the remote's. */
  synchronized void forgetFetched() {
    seen = Optional.empty();
  }

  private synchronized Optional<Seen> takeSeen() {
    Optional<Seen> known = seen;
    seen = Optional.empty();
    return known;
  }

  /** A head the clone holds, as a commit. */
  private Optional<RevCommit> parsed(Optional<ObjectId> id) throws SourceException {
    if (id.isEmpty()) {
      return Optional.empty();
    }
    try (RevWalk walk = new RevWalk(git.getRepository())) {
      return Optional.of(walk.parseCommit(id.get()));
    } catch (IOException e) {
      throw new SourceException("cannot read the head of " + branch + ": " + e.getMessage(), e);
    }
  }

  /** The branch head on the remote, fetched now; empty when the branch does not exist yet. */
  private Optional<RevCommit> fetchHead() throws SourceException {
    String tracking = tracking();
    try {
      boolean exists = remote.configure(git.lsRemote().setRemote("origin").setHeads(true)).call().stream()
          .anyMatch(ref -> ref.getName().equals(Constants.R_HEADS + branch));
      if (!exists) {
        return Optional.empty();
      }
      remote.configure(git.fetch()
              .setRemote("origin")
              .setRefSpecs(new RefSpec("+refs/heads/" + branch + ":" + tracking)))
          .call();
      ObjectId id = git.getRepository().resolve(tracking);
      try (RevWalk walk = new RevWalk(git.getRepository())) {
        return Optional.of(walk.parseCommit(id));
      }
    } catch (GitAPIException | IOException | NoProgramsFs.ProgramRefused e) {
      throw new SourceException("fetch " + branch + " from " + remote + " failed: " + GitSource.rootMessage(e, remote), e);
    }
  }

  private ObjectId commit(Map<String, byte[]> files, String message, Optional<RevCommit> parent) throws SourceException {
    try (ObjectInserter inserter = git.getRepository().newObjectInserter()) {
      DirCache index = DirCache.newInCore();
      DirCacheBuilder builder = index.builder();
      for (Map.Entry<String, byte[]> file : new TreeMap<>(files).entrySet()) {
        DirCacheEntry entry = new DirCacheEntry(file.getKey());
        entry.setFileMode(FileMode.REGULAR_FILE);
        entry.setObjectId(inserter.insert(Constants.OBJ_BLOB, file.getValue()));
        builder.add(entry);
      }
      builder.finish();
      CommitBuilder commit = new CommitBuilder();
      commit.setTreeId(index.writeTree(inserter));
      parent.ifPresent(commit::setParentId);
      Instant now = Instant.now();
      commit.setAuthor(new PersonIdent(author, now));
      commit.setCommitter(new PersonIdent(committer, now));
      commit.setMessage(message);
      ObjectId id = inserter.insert(commit);
      inserter.flush();
      return id;
    } catch (IOException e) {
      throw new SourceException("cannot build the status commit: " + e.getMessage(), e);
    }
  }

  /** Pushes without force; false when the remote moved since {@code expected} (a lost race). */
  private boolean push(ObjectId commit) throws SourceException {
    try {
      RemoteRefUpdate.Status status = null;
      Iterable<PushResult> results = remote.configure(git.push()
              .setRemote("origin")
              .setRefSpecs(new RefSpec(commit.name() + ":" + Constants.R_HEADS + branch)))
          .call();
      for (PushResult result : results) {
        RemoteRefUpdate update = result.getRemoteUpdate(Constants.R_HEADS + branch);
        status = update == null ? status : update.getStatus();
      }
      if (status == RemoteRefUpdate.Status.OK || status == RemoteRefUpdate.Status.UP_TO_DATE) {
        return true;
      }
      if (status == RemoteRefUpdate.Status.REJECTED_NONFASTFORWARD
          || status == RemoteRefUpdate.Status.REJECTED_REMOTE_CHANGED
          || status == RemoteRefUpdate.Status.REJECTED_OTHER_REASON) {
        return false; // another writer got there first, or held the ref's lock
      }
      throw new SourceException("push to " + branch + " of " + remote + " refused: " + status);
    } catch (GitAPIException | NoProgramsFs.ProgramRefused e) {
      throw new SourceException("push to " + branch + " of " + remote + " failed: " + GitSource.rootMessage(e, remote), e);
    }
  }
}
