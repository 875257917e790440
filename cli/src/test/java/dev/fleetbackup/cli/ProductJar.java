package dev.fleetbackup.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** The jar the image and {@code bin/fleet-backup} run, as this build made it (failsafe runs after {@code package}). */
final class ProductJar {
  static final String PROPERTY = "fleetbackup.jar";

  private ProductJar() {}

  static Path path() {
    String configured = System.getProperty(PROPERTY);
    if (configured == null) {
      throw new IllegalStateException("system property " + PROPERTY + " is not set: run the ITs with mvn verify");
    }
    Path jar = Path.of(configured);
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " does not exist: run mvn package first");
    }
    return jar;
  }
}
