package dev.fleetbackup.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code --version}: the Maven project version, written into {@code version.properties} when the jar is built. */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {"fleet-backup " + version()};
  }

  private static String version() {
    try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
      Properties properties = new Properties();
      if (in != null) {
        properties.load(in);
      }
      String version = properties.getProperty("version", "");
      return version.isBlank() || version.startsWith("${") ? "unknown (not built by Maven)" : version;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
