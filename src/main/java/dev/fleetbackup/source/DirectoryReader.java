package dev.fleetbackup.source;

import dev.fleetbackup.model.Diagnostic;
import dev.fleetbackup.model.SourceLocation;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Reads every {@code *.yaml}/{@code *.yml} file below a folder of a checked-out config repo,
 * skipping dot-folders ({@code .git}, {@code .github}). A symlink is followed only while it stays
 * inside the repo; an oversized file is refused rather than read.
 */
public final class DirectoryReader {
  private final Path repoRoot;

  public DirectoryReader(Path repoRoot) {
    this.repoRoot = repoRoot.toAbsolutePath().normalize();
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
    List<PolicyFile> files = new ArrayList<>();
    List<Diagnostic> refused = new ArrayList<>();
    Files.walkFileTree(start, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
        boolean hidden = !dir.equals(start) && PolicyFiles.isHidden(dir.getFileName().toString());
        return hidden ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
        if (PolicyFiles.isPolicyFile(file.getFileName().toString())) {
          readOne(realRoot, file, attrs, files, refused);
        }
        return FileVisitResult.CONTINUE;
      }
    });
    files.sort(Comparator.comparing(PolicyFile::path));
    return new PolicySnapshot(revision, files, refused);
  }

  private void readOne(Path realRoot, Path file, BasicFileAttributes attrs, List<PolicyFile> files, List<Diagnostic> refused) {
    String relative = repoRoot.relativize(file).toString().replace('\\', '/');
    try {
      Path target = file;
      if (attrs.isSymbolicLink()) {
        target = file.toRealPath();
        if (!target.startsWith(realRoot)) {
          refused.add(PolicyFiles.symlinkEscapes(relative));
          return;
        }
      }
      if (!Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
        return;
      }
      Optional<Diagnostic> tooBig = PolicyFiles.checkSize(relative, Files.size(target));
      if (tooBig.isPresent()) {
        refused.add(tooBig.get());
        return;
      }
      files.add(new PolicyFile(relative, PolicyFiles.decode(Files.readAllBytes(target))));
    } catch (CharacterCodingException e) {
      refused.add(PolicyFiles.notUtf8(relative));
    } catch (IOException e) {
      refused.add(Diagnostic.error(SourceLocation.startOf(relative), "cannot read: " + e.getMessage()));
    }
  }
}
