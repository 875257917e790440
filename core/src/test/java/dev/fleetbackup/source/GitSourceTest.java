package dev.fleetbackup.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetbackup.model.Diagnostic;
import dev.fleetbackup.model.Revision;
import dev.fleetbackup.testkit.ConfigRemote;
import dev.fleetbackup.testkit.HttpGitServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitSourceTest {
  @TempDir
  Path dir;

  private GitSource open(String url, GitCredentials credentials, String path) throws SourceException {
    return GitSource.open(new GitRemote(url, credentials, Duration.ofSeconds(10)), "main", path, dir.resolve("clone"));
  }

  @Test
  void readsThePolicyFilesOfTheFetchedCommitOverFileTransport() throws Exception {
    try (ConfigRemote remote = ConfigRemote.create(dir)) {
      String sha = remote.commitTree(Path.of("sample-repo"), "sample");
      try (GitSource source = open(remote.url(), GitCredentials.NONE, "")) {
        Revision revision = source.fetch();
        PolicySnapshot snapshot = source.read(revision);

        assertThat(revision.sha()).isEqualTo(sha);
        assertThat(revision.toString()).isEqualTo("main@sha1:" + sha.substring(0, 7));
        assertThat(snapshot.files()).extracting(PolicyFile::path)
            .contains("fleet/quickstart.yaml", "backups/nightly.yaml")
            .noneMatch(p -> p.startsWith(".github"));
        assertThat(snapshot.files()).hasSize(9);
        assertThat(snapshot.folder()).isEqualTo(revision.toString());
      }
    }
  }

  @Test
  void pathNarrowsTheReadToOneFolder() throws Exception {
    try (ConfigRemote remote = ConfigRemote.create(dir)) {
      remote.commitTree(Path.of("sample-repo"), "sample");
      try (GitSource source = open(remote.url(), GitCredentials.NONE, "clusters")) {
        Revision revision = source.fetch();
        PolicySnapshot snapshot = source.read(revision);

        assertThat(snapshot.files()).extracting(PolicyFile::path)
            .containsExactly("clusters/kurator-member1.yaml", "clusters/kurator-member2.yaml", "clusters/kurator-member3.yaml");
        assertThat(snapshot.folder()).isEqualTo(revision + ":clusters");
      }
    }
  }

  @Test
  void kustomizationsAndDotFilesOfTheCommitAreNotRead() throws Exception {
    Path tree = Files.createDirectories(dir.resolve("tree/backups"));
    Files.writeString(tree.resolve("nightly.yaml"), "kind: Backup\n");
    Files.writeString(tree.resolve("kustomization.yaml"), "resources: [nightly.yaml]\n");
    Files.writeString(tree.resolve("../.sops.yaml"), "creation_rules: []\n");
    try (ConfigRemote remote = ConfigRemote.create(dir)) {
      remote.commitTree(dir.resolve("tree"), "policies and their tools' files");
      try (GitSource source = open(remote.url(), GitCredentials.NONE, "")) {
        assertThat(source.read(source.fetch()).files()).extracting(PolicyFile::path).containsExactly("backups/nightly.yaml");
      }
    }
  }

  @Test
  void symlinkInTheTreeIsResolvedInsideAndRefusedOutside() throws Exception {
    try (ConfigRemote remote = ConfigRemote.create(dir)) {
      remote.commit(Map.of("real/a.yaml", "kind: Backup\n"), "file");
      Path work = dir.resolve("work");
      Files.createSymbolicLink(work.resolve("inside.yaml"), Path.of("real/a.yaml"));
      Files.createSymbolicLink(work.resolve("outside.yaml"), Path.of("../../etc/passwd.yaml"));
      remote.commit(Map.of(), "links");
      try (GitSource source = open(remote.url(), GitCredentials.NONE, "")) {
        PolicySnapshot snapshot = source.read(source.fetch());

        assertThat(snapshot.files()).extracting(PolicyFile::path, PolicyFile::text)
            .contains(org.assertj.core.groups.Tuple.tuple("inside.yaml", "kind: Backup\n"));
        assertThat(snapshot.refused()).extracting(Diagnostic::toString)
            .containsExactly("outside.yaml:1:1: error: symlink points outside the repository; refused");
      }
    }
  }

  @Test
  void theCommitsBudgetsAreAppliedFromTheTreeInPathOrder() throws Exception {
    try (ConfigRemote remote = ConfigRemote.create(dir)) {
      String mebibyte = ("#" + "x".repeat(1022) + "\n").repeat(1024);
      Map<String, String> files = new java.util.TreeMap<>();
      for (int i = 0; i < 18; i++) {
        files.put("big/%02d.yaml".formatted(i), mebibyte);
      }
      files.put("big/huge.yaml", mebibyte + "#\n");
      remote.commit(files, "18 MiB of comments, one file over 1 MiB");
      try (GitSource source = open(remote.url(), GitCredentials.NONE, "")) {
        PolicySnapshot snapshot = source.read(source.fetch());

        assertThat(snapshot.files()).extracting(PolicyFile::path).hasSize(16).last().isEqualTo("big/15.yaml");
        assertThat(snapshot.refused()).extracting(Diagnostic::toString).containsExactly(
            "big/16.yaml:1:1: error: the commit's policy files come to more than 16777216 bytes, the limit (17825792 with this file): "
                + "this file and the 2 after it (in path order) are not read");
      }
    }
  }

  @Test
  void fetchesOverHttpWithAPasswordAndRefusesWithoutOne() throws Exception {
    try (ConfigRemote remote = ConfigRemote.create(dir);
         HttpGitServer server = new HttpGitServer(remote.bare, "bot", "s3cr3t-token")) {
      String sha = remote.commitTree(Path.of("sample-repo"), "sample");
      GitCredentials good = GitCredentials.from(Optional.of("bot"), Optional.empty(), Optional.empty(), Optional.empty(),
          Map.of("FLEET_BACKUP_GIT_PASSWORD", "s3cr3t-token"));
      try (GitSource source = open(server.url(), good, "")) {
        assertThat(source.fetch().sha()).isEqualTo(sha);
      }
      GitCredentials bad = new GitCredentials(Optional.of("bot"), Optional.of(new GitCredentials.Secret("wrong")),
          Optional.empty(), Optional.empty());
      try (GitSource source = GitSource.open(new GitRemote(server.url(), bad, Duration.ofSeconds(10)), "main", "",
          dir.resolve("clone2"))) {
        assertThatThrownBy(source::fetch).isInstanceOf(SourceException.class)
            .hasMessageContaining("fetch " + server.url() + " failed")
            .hasMessageNotContaining("wrong");
      }
    }
  }

  @Test
  void passwordsNeverShowInTheRemoteOrCredentials() {
    GitRemote remote = new GitRemote("https://bot:hunter2@git.example.com/config.git",
        new GitCredentials(Optional.of("bot"), Optional.of(new GitCredentials.Secret("hunter2")), Optional.empty(), Optional.empty()),
        Duration.ofSeconds(1));

    assertThat(remote.toString()).isEqualTo("https://bot@git.example.com/config.git");
    assertThat(remote.credentials().toString()).doesNotContain("hunter2");
  }

  @Test
  void statusBranchCommitsOnlyWhenTheDigestChangesAndSurvivesARace() throws Exception {
    try (ConfigRemote remote = ConfigRemote.create(dir)) {
      remote.commitTree(Path.of("sample-repo"), "sample");
      try (GitSource a = open(remote.url(), GitCredentials.NONE, "");
           GitSource b = GitSource.open(new GitRemote(remote.url(), GitCredentials.NONE, Duration.ofSeconds(10)), "main", "",
               dir.resolve("clone-b"))) {
        StatusBranch writerA = a.statusBranch("fleet-backup/status", "fleet-backup", "fleet-backup@example.com");
        StatusBranch writerB = b.statusBranch("fleet-backup/status", "fleet-backup", "fleet-backup@example.com");

        assertThat(writerA.write(Map.of("README.md", "one".getBytes()), "status 1", "d1"))
            .isInstanceOf(StatusBranch.Committed.class);
        assertThat(writerA.write(Map.of("README.md", "one, later".getBytes()), "status 1 again", "d1"))
            .isInstanceOf(StatusBranch.Unchanged.class);
        // B writes from a clone that has not seen A's commit: it must land on top, not replace it.
        assertThat(writerB.write(Map.of("README.md", "two".getBytes(), "status.json", "{}".getBytes()), "status 2", "d2"))
            .isInstanceOf(StatusBranch.Committed.class);

        assertThat(remote.log("fleet-backup/status")).extracting(c -> c.getShortMessage())
            .containsExactly("status 2", "status 1");
        assertThat(remote.filesOf("fleet-backup/status")).containsOnlyKeys("README.md", "status.json");
        assertThat(writerA.read("status.json")).map(String::new).contains("{}");
        assertThat(remote.filesOf("main")).containsKey("fleet/quickstart.yaml");
      }
    }
  }

  @Test
  void statusCommitsOfAReplicaNameItAsCommitterUnderTheConfiguredAuthor() throws Exception {
    try (ConfigRemote remote = ConfigRemote.create(dir)) {
      remote.commitTree(Path.of("sample-repo"), "sample");
      try (GitSource a = open(remote.url(), GitCredentials.NONE, "")) {
        StatusBranch branch = a.statusBranch("fleet-backup/status", "fleet-backup", "fleet-backup@example.com");
        branch.committedBy("fleet-backup-7d9f8-x2kqp").write(Map.of("README.md", "one".getBytes()), "status 1", "d1");
        branch.committedBy("pod\n<root@evil>").write(Map.of("README.md", "two".getBytes()), "status 2", "d2");

        List<RevCommit> log = remote.log("fleet-backup/status");
        assertThat(log).extracting(c -> c.getAuthorIdent().getName()).containsOnly("fleet-backup");
        assertThat(log).extracting(c -> c.getAuthorIdent().getEmailAddress()).containsOnly("fleet-backup@example.com");
        assertThat(log).extracting(c -> c.getCommitterIdent().getName())
            .containsExactly("fleet-backup (pod\\nroot@evil)", "fleet-backup (fleet-backup-7d9f8-x2kqp)");
      }
    }
  }

  @Test
  void statusBranchPushRetriesWhenTheRemoteMovesUnderIt() throws Exception {
    try (ConfigRemote remote = ConfigRemote.create(dir)) {
      remote.commitTree(Path.of("sample-repo"), "sample");
      try (GitSource a = open(remote.url(), GitCredentials.NONE, "")) {
        StatusBranch writer = a.statusBranch("fleet-backup/status", "fleet-backup", "fleet-backup@example.com");
        writer.write(Map.of("README.md", "one".getBytes()), "status 1", "d1");
        // Someone force-pushes the status branch back to a commit of their own.
        try (Git other = Git.open(dir.resolve("work").toFile())) {
          other.checkout().setOrphan(true).setName("rewrite").call();
          Files.writeString(dir.resolve("work/README.md"), "rewritten");
          other.add().addFilepattern("README.md").call();
          other.commit().setMessage("force-pushed").setAuthor("Other", "o@example.com").call();
          other.push().setForce(true).setRefSpecs(new org.eclipse.jgit.transport.RefSpec("rewrite:refs/heads/fleet-backup/status")).call();
        }

        assertThat(writer.write(Map.of("README.md", "two".getBytes()), "status 2", "d2"))
            .isInstanceOf(StatusBranch.Committed.class);
        assertThat(remote.log("fleet-backup/status")).extracting(c -> c.getShortMessage())
            .containsExactly("status 2", "force-pushed");
        assertThat(remote.filesOf("fleet-backup/status")).containsEntry("README.md", "two");
      }
    }
  }
}
