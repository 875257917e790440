package dev.fleetbackup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetbackup.source.GitSource;
import dev.fleetbackup.testkit.ConfigRemote;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitRemoteOptionsTest {
  @TempDir
  Path dir;

  private GitRemoteOptions options(Map<String, String> environment) {
    GitRemoteOptions options = new GitRemoteOptions();
    options.repo = "https://git.example.com/platform/backup-policies.git";
    options.environment = environment;
    return options;
  }

  @Test
  void theDefaultWorkDirIsInTheUsersCacheNotTheSharedTempFolder() {
    Path home = Path.of(System.getProperty("user.home"));

    assertThat(options(Map.of()).defaultWorkDir()).isEqualTo(home.resolve(".cache/fleet-backup/git"));
    assertThat(options(Map.of("XDG_CACHE_HOME", "/var/cache/me")).defaultWorkDir()).isEqualTo(Path.of("/var/cache/me/fleet-backup/git"));
    assertThat(options(Map.of("XDG_CACHE_HOME", "relative/is/ignored")).defaultWorkDir())
        .isEqualTo(home.resolve(".cache/fleet-backup/git"));
    assertThat(options(Map.of("FLEET_BACKUP_CACHE", "/srv/fb", "XDG_CACHE_HOME", "/var/cache/me")).defaultWorkDir())
        .isEqualTo(Path.of("/srv/fb/git"));
    assertThat(options(Map.of()).clone("run").toString()).doesNotStartWith(System.getProperty("java.io.tmpdir"));
  }

  @Test
  void aFreshDefaultWorkDirIsOnlyTheUsers() throws Exception {
    GitRemoteOptions options = options(Map.of("XDG_CACHE_HOME", dir.resolve("cache").toString()));
    try (ConfigRemote remote = ConfigRemote.create(dir)) {
      options.repo = remote.url();
      try (GitSource source = GitSource.open(options.remote(), "main", "", options.clone("status"))) {
        assertThat(source).isNotNull();
      }
    }

    Path clone = options.clone("status");
    assertThat(clone).startsWith(dir.resolve("cache/fleet-backup/git")).isDirectory();
    for (Path folder = clone; !folder.equals(dir); folder = folder.getParent()) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder))).as("mode of %s", folder)
          .isEqualTo("rwx------");
    }
  }
}
