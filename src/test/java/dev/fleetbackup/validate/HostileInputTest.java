package dev.fleetbackup.validate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostileInputTest {
  @TempDir
  Path dir;

  @TempDir
  Path outside;

  @Test
  void symlinkLeavingTheRepoIsRefused() throws IOException {
    Path secret = Files.writeString(outside.resolve("passwd.yaml"), "apiVersion: v1\n");
    ConfigRepo repo = ConfigRepo.sample(dir);
    Files.createSymbolicLink(repo.root.resolve("backups/escape.yaml"), secret);

    assertThat(repo.problems()).containsExactly(
        "backups/escape.yaml:1:1: error: symlink points outside the repository; refused");
  }

  @Test
  void symlinkInsideTheRepoIsFollowed() throws IOException {
    ConfigRepo repo = ConfigRepo.sample(dir);
    Files.createDirectories(repo.root.resolve("prod"));
    Files.createSymbolicLink(repo.root.resolve("prod/nightly.yaml"), repo.root.resolve("backups/nightly.yaml"));

    // The same Backup twice: proof the link was read.
    assertThat(repo.problems()).singleElement().asString().contains("Backup \"default/nightly\" is already defined");
  }

  @Test
  void aliasBombIsRefused() {
    StringBuilder yaml = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i < 10; i++) {
      yaml.append("a").append(i).append(": &a").append(i).append(" [");
      yaml.append(("*a" + (i - 1) + ", ").repeat(9)).append("*a").append(i - 1).append("]\n");
    }
    ConfigRepo repo = ConfigRepo.empty(dir).write("bomb.yaml", yaml.toString());

    assertThat(repo.problems()).singleElement().asString()
        .startsWith("bomb.yaml:").contains("expands to more than 100000 nodes");
  }

  @Test
  void deepNestingIsRefused() {
    ConfigRepo repo = ConfigRepo.empty(dir).write("deep.yaml", "[".repeat(100_000) + "]".repeat(100_000) + "\n");

    assertThat(repo.problems()).containsExactly("deep.yaml:1:65: error: YAML nested deeper than 64 levels");
  }

  @Test
  void oversizedFileIsRefusedUnread() throws IOException {
    ConfigRepo repo = ConfigRepo.sample(dir);
    Files.write(repo.root.resolve("backups/huge.yaml"), new byte[2 * 1024 * 1024]);

    assertThat(repo.problems()).containsExactly(
        "backups/huge.yaml:1:1: error: file is 2097152 bytes, over the limit of 1048576; refused");
  }

  @Test
  void invalidYamlNamesTheLine() {
    ConfigRepo repo = ConfigRepo.sample(dir).write("backups/broken.yaml", """
        apiVersion: backup.kurator.dev/v1alpha1
        kind: Backup
        metadata:
          name: broken
         spec: {}
        """);

    assertThat(repo.problems()).singleElement().asString().startsWith("backups/broken.yaml:5:").contains("invalid YAML");
  }

  @Test
  void duplicateKeysAreRefused() {
    ConfigRepo repo = ConfigRepo.sample(dir).write("backups/twice.yaml", """
        apiVersion: backup.kurator.dev/v1alpha1
        kind: Backup
        metadata:
          name: twice
        spec:
          destination:
            fleet: quickstart
          destination:
            fleet: other
        """);

    assertThat(repo.problems()).containsExactly("backups/twice.yaml:8:3: error: duplicate key \"destination\"");
  }

  @Test
  void customTagsAreRefused() {
    ConfigRepo repo = ConfigRepo.empty(dir).write("tag.yaml", "apiVersion: !!binary aGVsbG8=\n");

    assertThat(repo.problems()).containsExactly("tag.yaml:1:13: error: unsupported YAML tag tag:yaml.org,2002:binary");
  }
}
