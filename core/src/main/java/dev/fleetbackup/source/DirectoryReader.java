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

  public DirectoryReader(Path repoRoot) {
    this.repoRoot = repoRoot.toAbsolutePath().normalize();
    this.given = repoRoot;
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
    Files.walkFileTree(start, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
        boolean hidden = !dir.equals(start) && PolicyFiles.isHidden(dir.getFileName().toString());
        return hidden ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
        if (PolicyFiles.isPolicyFile(file.getFileName().toString())) {
          offer(realRoot, file, attrs, selection);
        }
        return FileVisitResult.CONTINUE;
      }
    });
    String folder = given.resolve(subPath).normalize().toString().replace('\\', '/');
    return selection.read(revision, folder.isEmpty() ? "." : folder);
  }

  private void offer(Path realRoot, Path file, BasicFileAttributes attrs, FileSelection selection) {
    String relative = repoRoot.relativize(file).toString().replace('\\', '/');
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
