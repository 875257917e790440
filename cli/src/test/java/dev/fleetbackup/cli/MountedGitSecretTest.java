package dev.fleetbackup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetbackup.source.GitCredentials;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Git credentials from a Secret volume, laid out as the kubelet mounts it (keys as symlinks). */
class MountedGitSecretTest {
  @TempDir
  Path dir;

  /** The kubelet's layout: {@code ..data/KEY} files, and {@code KEY -> ..data/KEY} links. */
  private void mount(String key, String value) throws Exception {
    Path data = Files.createDirectories(dir.resolve("..data"));
    Files.writeString(data.resolve(key), value);
    Files.createSymbolicLink(dir.resolve(key), Path.of("..data", key));
  }

  @Test
  void httpsUserAndTokenAreReadAndNeverShown() throws Exception {
    mount("username", "fleet-backup\n");
    mount("password", "glpat-very-secret\n");

    GitCredentials credentials = MountedGitSecret.read(dir);

    assertThat(credentials.username()).contains("fleet-backup");
    assertThat(credentials.password()).map(GitCredentials.Secret::value).contains("glpat-very-secret");
    assertThat(credentials.sshKey()).isEmpty();
    assertThat(credentials.toString()).doesNotContain("glpat-very-secret");
  }

  @Test
  void sshIdentityAndKnownHostsArePassedAsFiles() throws Exception {
    mount("identity", "-----BEGIN OPENSSH PRIVATE KEY-----\n...\n");
    mount("known_hosts", "git.example.com ssh-ed25519 AAAA...\n");

    GitCredentials credentials = MountedGitSecret.read(dir);

    assertThat(credentials.sshKey()).contains(dir.resolve("identity"));
    assertThat(credentials.knownHosts()).contains(dir.resolve("known_hosts"));
    assertThat(credentials.password()).isEmpty();
  }

  @Test
  void anEmptyOrMissingMountMeansNoCredentials() throws Exception {
    assertThat(MountedGitSecret.read(dir)).isEqualTo(GitCredentials.NONE);
    assertThat(MountedGitSecret.read(dir.resolve("absent"))).isEqualTo(GitCredentials.NONE);
  }
}
