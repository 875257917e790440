package dev.fleetbackup.cli;

import dev.fleetbackup.source.GitCredentials;
import dev.fleetbackup.source.GitRemote;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The config repo as a Git remote, and how to authenticate to it. Passwords and keys are read
 * from files or the environment ({@code FLEET_BACKUP_GIT_USERNAME}, {@code FLEET_BACKUP_GIT_PASSWORD}),
 * never taken on the command line.
 */
final class GitRemoteOptions {
  @Option(names = "--repo", required = true, paramLabel = "URL",
      description = "The config repo: https://…, ssh://…, git@host:path, file://…, or a local path.")
  String repo;

  @Option(names = "--git-username", paramLabel = "NAME", description = "User for HTTPS (default: $FLEET_BACKUP_GIT_USERNAME).")
  String username;

  @Option(names = "--git-password-file", paramLabel = "FILE",
      description = "Password or token for HTTPS, read from this file (default: $FLEET_BACKUP_GIT_PASSWORD).")
  Path passwordFile;

  @Option(names = "--ssh-key", paramLabel = "FILE", description = "Private key for SSH.")
  Path sshKey;

  @Option(names = "--known-hosts", paramLabel = "FILE", description = "known_hosts for SSH; unknown hosts are refused.")
  Path knownHosts;

  @Option(names = "--git-secret-dir", paramLabel = "DIR",
      description = "A mounted Secret with keys username, password, identity, known_hosts (as Flux's); overrides the options above.")
  Path secretDir;

  @Option(names = "--git-timeout", paramLabel = "DURATION", description = "Timeout of one fetch or push (default: ${DEFAULT-VALUE}).")
  Duration timeout = Duration.ofSeconds(60);

  @Option(names = "--work-dir", paramLabel = "DIR",
      description = "Where the bare clone is kept between runs (default: a folder under the system temp dir).")
  Path workDir;

  GitRemote remote() throws IOException {
    GitCredentials credentials = secretDir != null
        ? MountedGitSecret.read(secretDir)
        : GitCredentials.from(Optional.ofNullable(username), Optional.ofNullable(passwordFile), Optional.ofNullable(sshKey),
            Optional.ofNullable(knownHosts), System.getenv());
    return new GitRemote(url(), credentials, timeout);
  }

  /** A local path is taken as a file:// URL, so that a folder with a .git works as a remote. */
  String url() {
    boolean scheme = repo.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*") || repo.matches("^[^/]+@[^/:]+:.*");
    return scheme ? repo : Path.of(repo).toAbsolutePath().normalize().toUri().toString();
  }

  /** The clone lives in --work-dir, or in a temp folder keyed by the URL so runs share it. */
  Path clone(String purpose) throws IOException {
    Path base = workDir != null ? workDir : Path.of(System.getProperty("java.io.tmpdir"), "fleet-backup");
    Path dir = base.resolve(purpose + "-" + Integer.toHexString(url().hashCode()));
    Files.createDirectories(dir);
    return dir;
  }
}
