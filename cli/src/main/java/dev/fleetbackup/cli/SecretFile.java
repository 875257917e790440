package dev.fleetbackup.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** A secret a flag names by its file (never by its value, which {@code ps} shows): small, read once, never quoted back. */
final class SecretFile {
  /** A URL, a token or a key is a few hundred bytes; anything much larger is the wrong file. */
  static final int MAX_BYTES = 4096;

  private SecretFile() {}

  /** @param from the flag or variable that named the file, for the error message */
  static String read(CommandLine commandLine, String from, Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] bytes = in.readNBytes(MAX_BYTES + 1);
      if (bytes.length > MAX_BYTES) {
        throw new ParameterException(commandLine, from + ": larger than " + MAX_BYTES + " bytes; is it the secret?");
      }
      return new String(bytes, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ParameterException(commandLine, from + ": cannot be read (" + e.getClass().getSimpleName() + ")");
    }
  }
}
