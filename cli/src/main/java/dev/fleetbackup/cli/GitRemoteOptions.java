package dev.fleetbackup.cli;

import dev.fleetbackup.source.GitCredentials;
import dev.fleetbackup.source.GitRemote;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
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

  @Option(names = "--git-timeout", paramLabel = "DURATION", description = "Timeout of one fetch or push (default: 1m).")
  Duration timeout = Duration.ofMinutes(1);

  @Option(names = "--work-dir", paramLabel = "DIR",
      description = {"Where the bare clones are kept between runs, each in a folder of its own that must belong to this user "
          + "and be writable by no one else (created with mode 700).",
          "Default: $FLEET_BACKUP_CACHE/git, else $XDG_CACHE_HOME/fleet-backup/git, else ~/.cache/fleet-backup/git."})
  Path workDir;

  /** Where the default work dir is found; the process's environment but in tests. */
  Map<String, String> environment = System.getenv();

  GitRemote remote() throws IOException {
    GitCredentials credentials = secretDir != null
        ? MountedGitSecret.read(secretDir)
        : GitCredentials.from(Optional.ofNullable(username), Optional.ofNullable(passwordFile), Optional.ofNullable(sshKey),
            Optional.ofNullable(knownHosts), System.getenv());
    String url = url();
    if (!url.equals(repo) && !Files.exists(Path.of(repo))) {
      throw new IOException("--repo " + repo + ": no such folder or Git repository");
    }
    return new GitRemote(url, credentials, timeout);
  }

  /** A local path is taken as a file:// URL, so that a folder with a .git works as a remote. */
  String url() {
    boolean scheme = repo.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*") || repo.matches("^[^/]+@[^/:]+:.*");
    return scheme ? repo : Path.of(repo).toAbsolutePath().normalize().toUri().toString();
  }

  /**
   * The clone's folder, keyed by the URL so that runs share it, in --work-dir or the user's cache.
   * {@link dev.fleetbackup.source.GitSource#open} creates it private, or refuses it.
   */
  Path clone(String purpose) {
    Path base = workDir != null ? workDir : defaultWorkDir();
    return base.resolve(purpose + "-" + Integer.toHexString(url().hashCode()));
  }

  /**
   * The user's own cache, never a shared temp folder whose names anyone can guess and take first:
   * {@code $FLEET_BACKUP_CACHE/git} (the test kit's cache too), {@code $XDG_CACHE_HOME/fleet-backup/git},
   * {@code ~/.cache/fleet-backup/git}; the temp folder only when there is no home at all, in a
   * folder named after the user (which then refuses a folder someone else made first).
   */
  Path defaultWorkDir() {
    Optional<Path> cache = absolute(environment.get("FLEET_BACKUP_CACHE"))
        .or(() -> absolute(environment.get("XDG_CACHE_HOME")).map(p -> p.resolve("fleet-backup")))
        .or(() -> absolute(System.getProperty("user.home")).filter(home -> !home.equals(home.getRoot()))
            .map(home -> home.resolve(".cache").resolve("fleet-backup")));
    return cache.map(p -> p.resolve("git"))
        .orElseGet(() -> Path.of(System.getProperty("java.io.tmpdir"), "fleet-backup-" + System.getProperty("user.name")));
  }

  /** XDG's rule: a relative path in such a variable is ignored. */
  private static Optional<Path> absolute(String path) {
    return Optional.ofNullable(path).filter(p -> !p.isBlank()).map(Path::of).filter(Path::isAbsolute);
  }
}
