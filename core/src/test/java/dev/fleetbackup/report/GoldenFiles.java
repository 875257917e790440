package dev.fleetbackup.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Expected output kept as files under {@code core/src/test/resources/fixtures/report/}, to compare and
 * to eyeball. After an intended change: {@code mvn test -Dreport.golden.update=true}, then review
 * the diff.
 */
final class GoldenFiles {
  private static final Path DIR = Path.of("core/src/test/resources/fixtures/report");

  private GoldenFiles() {}

  static void assertMatches(String name, String actual) {
    Path file = DIR.resolve(name);
    try {
      if (Boolean.getBoolean("report.golden.update")) {
        Files.createDirectories(file.getParent());
        Files.writeString(file, actual, StandardCharsets.UTF_8);
      }
      assertThat(actual).as("%s (regenerate with -Dreport.golden.update=true)", file)
          .isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
