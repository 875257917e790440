package dev.fleetbackup.source;

import dev.fleetbackup.model.Diagnostic;
import dev.fleetbackup.model.SourceLocation;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;

/** What counts as a policy file, and the limits every reader of a config repo enforces. */
final class PolicyFiles {
  static final long MAX_FILE_BYTES = 1024 * 1024;
  /** Policy files per commit: twice the 10,000-file repo of {@code make bench}. */
  static final int MAX_FILES = 20_000;
  /** Bytes of policy files per commit, all files together: five times the 2.9 MB of {@code make bench}'s. */
  static final long MAX_TOTAL_BYTES = 16L * 1024 * 1024;
  /** kustomize's names for its own file (its third, {@code Kustomization}, is not YAML by name). */
  private static final Set<String> KUSTOMIZATION = Set.of("kustomization.yaml", "kustomization.yml");

  private PolicyFiles() {}

  /**
   * YAML files are policies, but for the ones a config repo holds for its tools: kustomize's
   * {@code kustomization.yaml}, and dot-files ({@code .sops.yaml}, {@code .gitlab-ci.yml},
   * {@code .pre-commit-config.yaml}, {@code .yamllint.yml}).
   */
  static boolean isPolicyFile(String name) {
    boolean yaml = name.endsWith(".yaml") || name.endsWith(".yml");
    return yaml && !isHidden(name) && !KUSTOMIZATION.contains(name);
  }

  /** Dot-folders ({@code .git}, {@code .github}) and dot-files hold no policy. */
  static boolean isHidden(String name) {
    return name.startsWith(".");
  }

  static Optional<Diagnostic> checkSize(String path, long size) {
    if (size > MAX_FILE_BYTES) {
      return Optional.of(Diagnostic.error(SourceLocation.startOf(path),
          "file is " + size + " bytes, over the limit of " + MAX_FILE_BYTES + "; refused"));
    }
    return Optional.empty();
  }

  static Diagnostic tooManyFiles(String path, long files) {
    return Diagnostic.error(SourceLocation.startOf(path), "the commit has " + files + " policy files, over the limit of "
        + MAX_FILES + ": this file and the " + (files - MAX_FILES - 1) + " after it (in path order) are not read");
  }

  static Diagnostic tooManyBytes(String path, long total, long after) {
    return Diagnostic.error(SourceLocation.startOf(path), "the commit's policy files come to more than " + MAX_TOTAL_BYTES
        + " bytes, the limit (" + total + " with this file): this file and the " + after
        + " after it (in path order) are not read");
  }

  static Diagnostic symlinkEscapes(String path) {
    return Diagnostic.error(SourceLocation.startOf(path), "symlink points outside the repository; refused");
  }

  static Diagnostic notRegular(String path) {
    return Diagnostic.error(SourceLocation.startOf(path), "an ignore file must be a regular file, not a symlink or folder; refused");
  }

  static Diagnostic notUtf8(String path) {
    return Diagnostic.error(SourceLocation.startOf(path), "file is not valid UTF-8");
  }

  static String decode(byte[] bytes) throws CharacterCodingException {
    return StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT)
        .decode(ByteBuffer.wrap(bytes))
        .toString();
  }
}
