package dev.fleetbackup.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.SortedMap;
import java.util.stream.Stream;

/**
 * Expected output kept as files under {@code core/src/test/resources/fixtures/report/}, to compare
 * and to eyeball. After an intended change, regenerate them and review the diff:
 *
 * <pre>
 * mvn -B -o -q test -pl core -am -Dtest=GoldenOutputTest -Dsurefire.failIfNoSpecifiedTests=false -Dreport.golden.update=true
 * git diff --stat core/src/test/resources/fixtures/report
 * </pre>
 *
 * With {@code report.golden.update} a tree is rewritten whole: files no longer rendered are
 * deleted, so the diff shows them as removed.
 */
final class GoldenFiles {
  static final String UPDATE = "report.golden.update";
  private static final Path DIR = Path.of("core/src/test/resources/fixtures/report");

  private GoldenFiles() {}

  /** One file: {@code actual} is the content of {@code name}. */
  static void assertMatches(String name, String actual) {
    Path file = DIR.resolve(name);
    try {
      if (Boolean.getBoolean(UPDATE)) {
        Files.createDirectories(file.getParent());
        Files.writeString(file, actual, StandardCharsets.UTF_8);
      }
      assertThat(actual).as("%s (regenerate with -D%s=true)", file, UPDATE)
          .isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A whole tree: {@code actual} holds exactly the files below {@code dir} (none missing, none
   * extra), each with the same bytes.
   */
  static void assertTreeMatches(String dir, SortedMap<String, byte[]> actual) {
    Path root = DIR.resolve(dir);
    try {
      if (Boolean.getBoolean(UPDATE)) {
        rewrite(root, actual);
      }
      assertThat(actual.keySet()).as("the files of %s (regenerate with -D%s=true)", root, UPDATE)
          .containsExactlyElementsOf(files(root));
      actual.forEach((name, bytes) -> assertThat(new String(bytes, StandardCharsets.UTF_8))
          .as("%s (regenerate with -D%s=true)", root.resolve(name), UPDATE)
          .isEqualTo(read(root.resolve(name))));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The regular files below {@code root}, as {@code /}-separated relative paths in path order. */
  private static List<String> files(Path root) throws IOException {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace('\\', '/')).sorted().toList();
    }
  }

  private static void rewrite(Path root, SortedMap<String, byte[]> actual) throws IOException {
    if (Files.isDirectory(root)) {
      try (Stream<Path> walk = Files.walk(root)) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    for (var file : actual.entrySet()) {
      Path path = root.resolve(file.getKey());
      Files.createDirectories(path.getParent());
      Files.write(path, file.getValue());
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
