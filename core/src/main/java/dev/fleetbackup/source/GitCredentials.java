package dev.fleetbackup.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

/**
 * How to authenticate to the config repo: an HTTPS token or user and password, or an SSH key with
 * known_hosts. Secrets come from files (a mounted Secret) or the environment, never from the
 * command line, and {@link #toString()} never shows them.
 */
public record GitCredentials(Optional<String> username, Optional<Secret> password, Optional<Path> sshKey,
    Optional<Path> knownHosts) {

  public static final GitCredentials NONE =
      new GitCredentials(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

  /** A password or token; its text is kept out of every string form. */
  public record Secret(String value) {
    @Override
    public String toString() {
      return "Secret[****]";
    }
  }

  /**
   * Reads credentials from files, falling back to {@code FLEET_BACKUP_GIT_USERNAME} and
   * {@code FLEET_BACKUP_GIT_PASSWORD} (a token goes in the password, as forges expect).
   */
  public static GitCredentials from(Optional<String> username, Optional<Path> passwordFile, Optional<Path> sshKey,
      Optional<Path> knownHosts, Map<String, String> environment) throws IOException {
    Optional<Secret> password = passwordFile.isPresent()
        ? Optional.of(new Secret(Files.readString(passwordFile.get()).strip()))
        : Optional.ofNullable(environment.get("FLEET_BACKUP_GIT_PASSWORD")).map(Secret::new);
    Optional<String> user = username.or(() -> Optional.ofNullable(environment.get("FLEET_BACKUP_GIT_USERNAME")));
    return new GitCredentials(user, password, sshKey, knownHosts);
  }

  Optional<CredentialsProvider> httpProvider() {
    // Forges accept a token as the password of any user name.
    return password.map(p -> new UsernamePasswordCredentialsProvider(username.orElse("fleet-backup"), p.value()));
  }
}
