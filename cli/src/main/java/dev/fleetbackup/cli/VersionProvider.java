package dev.fleetbackup.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code --version}: the Maven project version, written into {@code version.properties} when the jar is built. */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {"fleet-backup " + projectVersion().orElse("unknown (not built by Maven)")};
  }

  /** The version the build wrote; empty when the classes were not built by Maven (an IDE's build). */
  static Optional<String> projectVersion() {
    try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
      Properties properties = new Properties();
      if (in != null) {
        properties.load(in);
      }
      String version = properties.getProperty("version", "");
      return version.isBlank() || version.startsWith("${") ? Optional.empty() : Optional.of(version);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
