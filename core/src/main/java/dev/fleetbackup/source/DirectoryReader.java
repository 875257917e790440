package dev.fleetbackup.source;

import dev.fleetbackup.model.Diagnostic;
import dev.fleetbackup.model.SourceLocation;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Reads the policy files below a folder of a checked-out config repo ({@link PolicyFiles#isPolicyFile}),
 * skipping dot-folders ({@code .git}, {@code .github}). A symlink is followed only while it stays
 * inside the repo; the budgets of {@link FileSelection} are applied from the walk's names and sizes,
 * so an oversized file, or a file past the commit's budget, is refused rather than read.
 */
public final class DirectoryReader {
  private final Path repoRoot;
  /** The repo's folder as the caller named it, for messages. */
  private final Path given;
  private final IgnorePatterns ignore;

  public DirectoryReader(Path repoRoot) {
    this(repoRoot, IgnorePatterns.NONE);
  }

  public DirectoryReader(Path repoRoot, IgnorePatterns ignore) {
    this.repoRoot = repoRoot.toAbsolutePath().normalize();
    this.given = repoRoot;
    this.ignore = ignore;
  }

  /** Reads the policy files under {@code subPath} (relative to the repo root; empty for all). */
  public PolicySnapshot read(String revision, String subPath) throws IOException {
    Path start = repoRoot.resolve(subPath).normalize();
    if (!start.startsWith(repoRoot)) {
      throw new IOException("path " + subPath + " is outside the repository");
    }
    if (!Files.isDirectory(start)) {
      throw new IOException("no such directory: " + start);
    }
    Path realRoot = repoRoot.toRealPath();
    FileSelection selection = new FileSelection();
    // the ignore rules of each folder the walk is in: those of the folders above the start first
    Deque<Ignores> folders = new ArrayDeque<>();
    folders.push(Ignores.forRead(ignore, selection));
    for (Path above = repoRoot; !above.equals(start); above = above.resolve(start.getName(above.getNameCount()))) {
      folders.push(ignoresIn(above, folders.peek(), selection));
    }
    Files.walkFileTree(start, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
        boolean inside = !dir.equals(start);
        if (inside && (PolicyFiles.isHidden(dir.getFileName().toString()) || folders.peek().ignored(relative(dir), true))) {
          return FileVisitResult.SKIP_SUBTREE;
        }
        folders.push(ignoresIn(dir, folders.peek(), selection));
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException failed) {
        folders.pop();
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
        if (PolicyFiles.isPolicyFile(file.getFileName().toString()) && !folders.peek().ignored(relative(file), false)) {
          offer(realRoot, file, attrs, selection);
        }
        return FileVisitResult.CONTINUE;
      }
    });
    String folder = given.resolve(subPath).normalize().toString().replace('\\', '/');
    return selection.read(revision, folder.isEmpty() ? "." : folder);
  }

  private String relative(Path file) {
    return repoRoot.relativize(file).toString().replace('\\', '/');
  }

  /** {@code above} and the rules of the folder's {@code .sourceignore}, when it has one. */
  private Ignores ignoresIn(Path folder, Ignores above, FileSelection selection) {
    Path file = folder.resolve(Ignores.FILE);
    String path = relative(file);
    if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      return above;
    }
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      selection.refuse(path, PolicyFiles.notRegular(path));
      return above;
    }
    try {
      return above.enter(relative(folder), Files.size(file), () -> {
        try (InputStream in = Files.newInputStream(file)) {
          return in.readNBytes(Ignores.MAX_FILE_BYTES + 1);
        }
      });
    } catch (IOException e) {
      selection.refuse(path, Diagnostic.error(SourceLocation.startOf(path), "cannot read: " + e.getMessage()));
      return above;
    }
  }

  private void offer(Path realRoot, Path file, BasicFileAttributes attrs, FileSelection selection) {
    String relative = relative(file);
    if (!selection.wants(relative)) {
      selection.skip();
      return;
    }
    try {
      Path target = file;
      if (attrs.isSymbolicLink()) {
        target = file.toRealPath();
        if (!target.startsWith(realRoot)) {
          selection.refuse(relative, PolicyFiles.symlinkEscapes(relative));
          return;
        }
      }
      if (!Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
        return;
      }
      Path regular = target;
      selection.add(relative, Files.size(regular), () -> {
        try (InputStream in = Files.newInputStream(regular)) {
          return in.readNBytes((int) PolicyFiles.MAX_FILE_BYTES + 1);
        }
      });
    } catch (IOException e) {
      selection.refuse(relative, Diagnostic.error(SourceLocation.startOf(relative), "cannot read: " + e.getMessage()));
    }
  }
}
