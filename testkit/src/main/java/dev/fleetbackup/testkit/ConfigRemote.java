package dev.fleetbackup.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.RefSpec;

/** A bare config repo in a temp folder, and a clone a test commits and pushes policy edits through. */
public final class ConfigRemote implements AutoCloseable {
  public final Path bare;
  private final Git work;

  private ConfigRemote(Path bare, Git work) {
    this.bare = bare;
    this.work = work;
  }

  public static ConfigRemote create(Path dir) {
    try {
      Path bare = dir.resolve("config.git");
      Git.init().setBare(true).setDirectory(bare.toFile()).setInitialBranch("main").call().close();
      Git work = Git.cloneRepository().setURI(bare.toUri().toString()).setDirectory(dir.resolve("work").toFile()).call();
      return new ConfigRemote(bare, work);
    } catch (GitAPIException e) {
      throw new IllegalStateException(e);
    }
  }

  public String url() {
    return bare.toUri().toString();
  }

  /** Copies a folder's files into the repo, then commits and pushes. */
  public String commitTree(Path source, String message) {
    try (Stream<Path> files = Files.walk(source)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        Path target = work.getRepository().getWorkTree().toPath().resolve(source.relativize(file).toString());
        Files.createDirectories(target.getParent());
        Files.copy(file, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return commitAndPush(message);
  }

  /** Writes (or, with a null text, deletes) files, then commits and pushes. */
  public String commit(Map<String, String> files, String message) {
    try {
      for (Map.Entry<String, String> file : files.entrySet()) {
        Path target = work.getRepository().getWorkTree().toPath().resolve(file.getKey());
        if (file.getValue() == null) {
          Files.deleteIfExists(target);
        } else {
          Files.createDirectories(target.getParent());
          Files.writeString(target, file.getValue());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return commitAndPush(message);
  }

  private String commitAndPush(String message) {
    try {
      work.add().addFilepattern(".").call();
      work.add().addFilepattern(".").setUpdate(true).call();
      RevCommit commit = work.commit().setMessage(message).setAuthor("Test", "test@example.com").call();
      work.push().setRefSpecs(new RefSpec("HEAD:refs/heads/main")).call();
      return commit.name();
    } catch (GitAPIException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Moves main back to {@code sha} and force-pushes it, as a history rewrite does. */
  public void forcePush(String sha) {
    try {
      work.reset().setMode(org.eclipse.jgit.api.ResetCommand.ResetType.HARD).setRef(sha).call();
      work.push().setForce(true).setRefSpecs(new RefSpec("+HEAD:refs/heads/main")).call();
    } catch (GitAPIException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Another writer's push that landed: {@code files} written on top of {@code branch}'s head (its
   * other files kept) straight into the bare repo, by author "Another Writer"; returns the commit's id.
   */
  public String commitOnto(String branch, Map<String, String> files, String message) {
    try (Git bareGit = Git.open(bare.toFile());
         org.eclipse.jgit.lib.ObjectInserter inserter = bareGit.getRepository().newObjectInserter();
         org.eclipse.jgit.revwalk.RevWalk walk = new org.eclipse.jgit.revwalk.RevWalk(bareGit.getRepository())) {
      var repo = bareGit.getRepository();
      var head = repo.resolve("refs/heads/" + branch);
      var index = org.eclipse.jgit.dircache.DirCache.newInCore();
      var builder = index.builder();
      if (head != null) {
        builder.addTree(new byte[0], 0, walk.getObjectReader(), walk.parseCommit(head).getTree());
      }
      builder.finish();
      var editor = index.editor();
      for (Map.Entry<String, String> file : files.entrySet()) {
        var blob = inserter.insert(org.eclipse.jgit.lib.Constants.OBJ_BLOB, file.getValue().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        editor.add(new org.eclipse.jgit.dircache.DirCacheEditor.PathEdit(file.getKey()) {
          @Override
          public void apply(org.eclipse.jgit.dircache.DirCacheEntry entry) {
            entry.setFileMode(org.eclipse.jgit.lib.FileMode.REGULAR_FILE);
            entry.setObjectId(blob);
          }
        });
      }
      editor.finish();
      var commit = new org.eclipse.jgit.lib.CommitBuilder();
      commit.setTreeId(index.writeTree(inserter));
      if (head != null) {
        commit.setParentId(head);
      }
      var author = new org.eclipse.jgit.lib.PersonIdent("Another Writer", "another@example.com");
      commit.setAuthor(author);
      commit.setCommitter(author);
      commit.setMessage(message);
      var id = inserter.insert(commit);
      inserter.flush();
      var update = repo.updateRef("refs/heads/" + branch);
      update.setExpectedOldObjectId(head == null ? org.eclipse.jgit.lib.ObjectId.zeroId() : head);
      update.setNewObjectId(id);
      var result = update.update(walk);
      if (result != org.eclipse.jgit.lib.RefUpdate.Result.NEW && result != org.eclipse.jgit.lib.RefUpdate.Result.FAST_FORWARD) {
        throw new IllegalStateException("cannot move " + branch + " to " + id.name() + ": " + result);
      }
      return id.name();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The files of a branch of the bare repo, as a fresh reader sees them. */
  public Map<String, String> filesOf(String branch) {
    try (Git bareGit = Git.open(bare.toFile())) {
      var repo = bareGit.getRepository();
      var head = repo.resolve("refs/heads/" + branch);
      if (head == null) {
        return Map.of();
      }
      Map<String, String> files = new java.util.TreeMap<>();
      try (var walk = new org.eclipse.jgit.revwalk.RevWalk(repo);
           var tree = new org.eclipse.jgit.treewalk.TreeWalk(repo)) {
        tree.addTree(walk.parseCommit(head).getTree());
        tree.setRecursive(true);
        while (tree.next()) {
          files.put(tree.getPathString(), new String(repo.open(tree.getObjectId(0)).getBytes(), java.nio.charset.StandardCharsets.UTF_8));
        }
      }
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every commit of a branch, newest first. */
  public java.util.List<RevCommit> log(String branch) {
    try (Git bareGit = Git.open(bare.toFile())) {
      var head = bareGit.getRepository().resolve("refs/heads/" + branch);
      if (head == null) {
        return java.util.List.of();
      }
      java.util.List<RevCommit> commits = new java.util.ArrayList<>();
      bareGit.log().add(head).call().forEach(commits::add);
      return commits;
    } catch (IOException | GitAPIException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    work.close();
  }
}
