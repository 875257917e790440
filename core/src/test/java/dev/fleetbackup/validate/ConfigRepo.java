package dev.fleetbackup.validate;

import dev.fleetbackup.model.Diagnostic;
import dev.fleetbackup.source.DirectoryReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** A config repo in a temp folder, seeded from sample-repo/, that a test edits and validates. */
final class ConfigRepo {
  static final Path SAMPLE = Path.of("sample-repo");
  private static final Validator VALIDATOR = new Validator();

  final Path root;

  private ConfigRepo(Path root) {
    this.root = root;
  }

  static ConfigRepo empty(Path dir) {
    return new ConfigRepo(dir);
  }

  static ConfigRepo sample(Path dir) {
    try (Stream<Path> files = Files.walk(SAMPLE)) {
      for (Path source : files.toList()) {
        Path target = dir.resolve(SAMPLE.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new ConfigRepo(dir);
  }

  ConfigRepo write(String path, String text) {
    try {
      Path file = root.resolve(path);
      Files.createDirectories(file.getParent());
      Files.writeString(file, text.stripIndent());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  ConfigRepo delete(String path) {
    try {
      Files.delete(root.resolve(path));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  ValidationReport validate() {
    try {
      return VALIDATOR.validate(new DirectoryReader(root).read("test", ""));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every diagnostic as {@code path:line:col: error: message}. */
  List<String> problems() {
    return validate().diagnostics().stream().map(Diagnostic::toString).toList();
  }
}
