package dev.fleetbackup.source;

import dev.fleetbackup.model.SafeText;
import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.eclipse.jgit.errors.RevisionSyntaxException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * The policy files of a commit of a local checkout ({@code diff --offline --base REF}), read from
 * its object database with the rules of {@link GitTreeReader}: nothing is checked out, and JGit
 * sees the repository through {@link NoProgramsFs}, so no hook or filter runs.
 */
public final class LocalCommit {
  private LocalCommit() {}

  /** @param ref anything {@code git rev-parse} takes: a branch, {@code origin/main}, {@code HEAD~1}, a commit id */
  public static PolicySnapshot read(Path checkout, String ref, String subPath, IgnorePatterns ignore) throws SourceException {
    FileRepositoryBuilder builder = new FileRepositoryBuilder().setFS(new NoProgramsFs()).setMustExist(true)
        .findGitDir(checkout.toAbsolutePath().toFile());
    if (builder.getGitDir() == null) {
      throw new SourceException(checkout + " is not in a Git repository, so there is no " + SafeText.quote(ref) + " to compare with");
    }
    try (Repository repository = builder.build(); ObjectReader reader = repository.newObjectReader();
        RevWalk walk = new RevWalk(reader)) {
      ObjectId id = repository.resolve(ref + "^{commit}");
      if (id == null) {
        throw new SourceException("no commit " + SafeText.quote(ref) + " in " + builder.getGitDir());
      }
      RevCommit commit = walk.parseCommit(id);
      return new GitTreeReader(reader, commit.getTree(), ignore)
          .read(SafeText.oneLine(ref) + "@" + id.abbreviate(12).name(), inRepository(repository, checkout, subPath));
    } catch (IOException | RevisionSyntaxException e) {
      throw new SourceException("cannot read " + SafeText.quote(ref) + " in " + builder.getGitDir() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Where {@code subPath} of {@code checkout} is in the commit's tree: a config repo checked out in
   * a folder of a larger repository is that folder of each of its commits.
   */
  private static String inRepository(Repository repository, Path checkout, String subPath) throws IOException, SourceException {
    if (repository.isBare()) {
      return subPath;
    }
    Path top = repository.getWorkTree().toPath().toRealPath();
    Path folder = checkout.toRealPath();
    if (!folder.startsWith(top)) {
      throw new SourceException(checkout + " is not in the work tree of " + top);
    }
    String relative = StreamSupport.stream(top.relativize(folder).spliterator(), false).map(Path::toString)
        .filter(p -> !p.isEmpty()).collect(Collectors.joining("/"));
    String sub = subPath.replaceAll("^/+|/+$", "");
    return relative.isEmpty() ? sub : sub.isEmpty() ? relative : relative + "/" + sub;
  }
}
