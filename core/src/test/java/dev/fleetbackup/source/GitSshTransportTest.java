package dev.fleetbackup.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetbackup.model.Revision;
import dev.fleetbackup.testkit.ConfigRemote;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SSH transport against a real SSH Git server: the one key and the known host get in, nothing else. */
class GitSshTransportTest {
  @TempDir
  Path dir;

  private KeyPair clientKey;
  private Path keyFile;

  @BeforeEach
  void clientKey() throws Exception {
    clientKey = SshGitServer.generateKey();
    keyFile = SshGitServer.writePrivateKey(clientKey, dir.resolve("ssh/id_ecdsa"));
  }

  private static GitCredentials ssh(Path key, Path knownHosts) {
    return new GitCredentials(Optional.empty(), Optional.empty(), Optional.of(key), Optional.ofNullable(knownHosts));
  }

  private GitSource open(String url, GitCredentials credentials, String clone) throws SourceException {
    return GitSource.open(new GitRemote(url, credentials, Duration.ofSeconds(10)), "main", "", dir.resolve(clone));
  }

  private Path knownHosts(String name, String... lines) throws Exception {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, String.join("\n", lines) + "\n");
    return file;
  }

  @Test
  void fetchesAndWritesTheStatusBranchWithTheKeyAndKnownHosts() throws Exception {
    try (ConfigRemote remote = ConfigRemote.create(dir);
         SshGitServer server = new SshGitServer(remote.bare, clientKey.getPublic())) {
      String sha = remote.commitTree(Path.of("sample-repo"), "sample");
      Path knownHosts = knownHosts("ssh/known_hosts", server.knownHostsLine());

      try (GitSource source = open(server.url(), ssh(keyFile, knownHosts), "clone")) {
        Revision revision = source.fetch();
        assertThat(revision.sha()).isEqualTo(sha);
        assertThat(source.read(revision).files()).extracting(PolicyFile::path)
            .contains("fleet/quickstart.yaml", "backups/nightly.yaml");

        String next = remote.commit(Map.of("backups/extra.yaml", "kind: Backup\n"), "one more");
        assertThat(source.fetch().sha()).isEqualTo(next);

        StatusBranch status = source.statusBranch("fleet-backup/status", "fleet-backup", "fleet-backup@example.com");
        assertThat(status.write(Map.of("README.md", "one".getBytes()), "status 1", "d1"))
            .isInstanceOf(StatusBranch.Committed.class);
        assertThat(status.write(Map.of("README.md", "one, later".getBytes()), "status 1 again", "d1"))
            .isInstanceOf(StatusBranch.Unchanged.class);
        assertThat(status.write(Map.of("README.md", "two".getBytes()), "status 2", "d2"))
            .isInstanceOf(StatusBranch.Committed.class);

        assertThat(remote.log("fleet-backup/status")).extracting(c -> c.getShortMessage())
            .containsExactly("status 2", "status 1");
        assertThat(remote.filesOf("fleet-backup/status")).containsExactly(Map.entry("README.md", "two"));
        assertThat(status.read("README.md")).map(String::new).contains("two");
      }
      assertThat(Files.readString(knownHosts)).isEqualTo(server.knownHostsLine() + "\n");
    }
  }

  @Test
  void aKeyTheServerDoesNotKnowIsRefusedWithoutShowingTheKey() throws Exception {
    try (ConfigRemote remote = ConfigRemote.create(dir);
         SshGitServer server = new SshGitServer(remote.bare, clientKey.getPublic())) {
      remote.commitTree(Path.of("sample-repo"), "sample");
      Path knownHosts = knownHosts("ssh/known_hosts", server.knownHostsLine());
      KeyPair wrong = SshGitServer.generateKey();
      Path wrongKey = SshGitServer.writePrivateKey(wrong, dir.resolve("other-ssh/id_ecdsa"));
      String wrongKeyFile = Files.readString(wrongKey);

      try (GitSource source = open(server.url(), ssh(wrongKey, knownHosts), "clone")) {
        assertThatThrownBy(source::fetch).isInstanceOf(SourceException.class)
            .hasMessageStartingWith("fetch " + server.url() + " failed")
            .hasMessageContaining("Cannot log in at 127.0.0.1:" + server.port())
            .satisfies(e -> assertThat(e.getMessage())
                .doesNotContain(PublicKeyEntry.toString(wrong.getPublic()).split(" ")[1])
                .doesNotContain(Base64.getEncoder().encodeToString(wrong.getPrivate().getEncoded()))
                .doesNotContain(wrongKeyFile.lines().skip(1).findFirst().orElseThrow())
                .doesNotContain("PRIVATE KEY"));
      }
    }
  }

  @Test
  void aHostKeyNotInKnownHostsIsRefusedAndNotLearned() throws Exception {
    try (ConfigRemote remote = ConfigRemote.create(dir);
         SshGitServer server = new SshGitServer(remote.bare, clientKey.getPublic())) {
      remote.commitTree(Path.of("sample-repo"), "sample");
      // known_hosts names another server, not this one.
      String elsewhere = SshGitServer.knownHostsLine(server.port() + 1, SshGitServer.generateKey().getPublic());
      Path unknown = knownHosts("hosts-a/known_hosts", elsewhere);
      // known_hosts names this server, with a key that is not the one it shows (a machine in the middle).
      String impostor = SshGitServer.knownHostsLine(server.port(), SshGitServer.generateKey().getPublic());
      Path mismatched = knownHosts("hosts-b/known_hosts", impostor);
      // An ssh config beside the key (a Secret mounted with one more file) does not loosen anything.
      Files.writeString(dir.resolve("ssh/config"), "Host *\n  StrictHostKeyChecking no\n  UserKnownHostsFile "
          + unknown + "\n");
      GitCredentials withPassword = new GitCredentials(Optional.of("bot"),
          Optional.of(new GitCredentials.Secret("token")), Optional.of(keyFile), Optional.of(unknown));

      Map<String, GitCredentials> cases = new java.util.LinkedHashMap<>();
      cases.put("unknown", ssh(keyFile, unknown));
      cases.put("mismatched", ssh(keyFile, mismatched));
      cases.put("none", ssh(keyFile, null));
      cases.put("password", withPassword);
      for (Map.Entry<String, GitCredentials> known : cases.entrySet()) {
        try (GitSource source = open(server.url(), known.getValue(), "clone-" + known.getKey())) {
          assertThatThrownBy(source::fetch).as(known.getKey()).isInstanceOf(SourceException.class)
              .hasMessageStartingWith("fetch " + server.url() + " failed")
              .hasMessageContaining("Server key did not validate");
        }
      }
      assertThat(Files.readString(unknown)).isEqualTo(elsewhere + "\n");
      assertThat(Files.readString(mismatched)).isEqualTo(impostor + "\n");
      assertThat(dir.resolve("ssh/known_hosts")).doesNotExist();
    }
  }
}
