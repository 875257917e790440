package dev.fleetbackup.cli;

import dev.fleetbackup.source.GitCredentials;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Git credentials from a Secret mounted as a volume, with the keys Flux's GitRepository Secrets
 * use: {@code username} and {@code password} (a token goes in {@code password}) for HTTPS,
 * {@code identity} (a private key) and {@code known_hosts} for SSH. Every key is optional; an
 * empty or missing folder means no credentials (a public repo).
 */
final class MountedGitSecret {
  static final String USERNAME = "username";
  static final String PASSWORD = "password";
  static final String IDENTITY = "identity";
  static final String KNOWN_HOSTS = "known_hosts";

  private MountedGitSecret() {}

  static GitCredentials read(Path dir) throws IOException {
    Optional<String> username = file(dir, USERNAME).isPresent()
        ? Optional.of(Files.readString(dir.resolve(USERNAME)).strip())
        : Optional.empty();
    // The environment is not consulted: in a cluster the Secret is the one source.
    return GitCredentials.from(username, file(dir, PASSWORD), file(dir, IDENTITY), file(dir, KNOWN_HOSTS), Map.of());
  }

  /** A key of the mounted Secret; Kubernetes mounts each key as a symlink to a regular file. */
  private static Optional<Path> file(Path dir, String key) {
    Path file = dir.resolve(key);
    return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
  }
}
