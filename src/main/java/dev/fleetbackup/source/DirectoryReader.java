package dev.fleetbackup.source;

import dev.fleetbackup.model.Diagnostic;
import dev.fleetbackup.model.SourceLocation;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Reads every {@code *.yaml}/{@code *.yml} file below a folder of a checked-out config repo,
 * skipping dot-folders ({@code .git}, {@code .github}). A symlink is followed only while it stays
 * inside the repo; a file over {@link #MAX_FILE_BYTES} is refused rather than read.
 */
public final class DirectoryReader {
  public static final long MAX_FILE_BYTES = 1024 * 1024;

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
        boolean hidden = !dir.equals(start) && dir.getFileName().toString().startsWith(".");
        return hidden ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
        if (isPolicyFile(file)) {
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
    SourceLocation at = SourceLocation.startOf(relative);
    try {
      Path target = file;
      if (attrs.isSymbolicLink()) {
        target = file.toRealPath();
        if (!target.startsWith(realRoot)) {
          refused.add(Diagnostic.error(at, "symlink points outside the repository; refused"));
          return;
        }
      }
      if (!Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
        return;
      }
      long size = Files.size(target);
      if (size > MAX_FILE_BYTES) {
        refused.add(Diagnostic.error(at, "file is " + size + " bytes, over the limit of " + MAX_FILE_BYTES + "; refused"));
        return;
      }
      files.add(new PolicyFile(relative, decode(Files.readAllBytes(target))));
    } catch (CharacterCodingException e) {
      refused.add(Diagnostic.error(at, "file is not valid UTF-8"));
    } catch (IOException e) {
      refused.add(Diagnostic.error(at, "cannot read: " + e.getMessage()));
    }
  }

  static boolean isPolicyFile(Path file) {
    String name = file.getFileName().toString();
    return name.endsWith(".yaml") || name.endsWith(".yml");
  }

  private static String decode(byte[] bytes) throws CharacterCodingException {
    return StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT)
        .decode(ByteBuffer.wrap(bytes))
        .toString();
  }
}
