package dev.fleetbackup.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetbackup.report.StatusFiles;
import dev.fleetbackup.report.StatusReport;
import dev.fleetbackup.source.GitCredentials;
import dev.fleetbackup.source.GitRemote;
import dev.fleetbackup.source.GitSource;
import dev.fleetbackup.testkit.ConfigRemote;
import dev.fleetbackup.testkit.HttpGitServer;
import dev.fleetbackup.validate.Validator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Git loop writing the status branch of a real (file://) config repo. */
class StatusBranchPublisherTest {
  static final String STATUS = "fleet-backup/status";

  @TempDir
  Path dir;

  @Test
  void commitsOnlyWhenTheReportChangesAndShowsARejectedCommit() throws Exception {
    try (ConfigRemote remote = ConfigRemote.create(dir)) {
      String good = remote.commitTree(Path.of("sample-repo"), "sample");
      GitSource source = GitSource.open(new GitRemote(remote.url(), GitCredentials.NONE, Duration.ofSeconds(10)), "main", "",
          dir.resolve("clone"));
      StatusBranchPublisher publisher = new StatusBranchPublisher(
          source.statusBranch(STATUS, "fleet-backup", "bot@example.com"), STATUS);
      GitOpsLoop loop = new GitOpsLoop(source, new Validator(), policies -> PassOutcome.NONE, publisher, Clock.systemUTC());

      loop.iterate();
      loop.iterate();
      assertThat(remote.log(STATUS)).as("a second pass with nothing new leaves no commit").hasSize(1);
      assertThat(remote.log(STATUS).get(0).getShortMessage()).isEqualTo("status of main@sha1:" + good.substring(0, 7) + ": 0 clusters");

      String broken = remote.commit(Map.of("backups/nightly.yaml", """
          apiVersion: backup.kurator.dev/v1alpha1
          kind: Backup
          metadata:
            name: nightly
          spec:
            schedule: "0 2 * *"
            destination:
              fleet: quickstart
          """), "break it");
      loop.iterate();

      assertThat(remote.log(STATUS)).hasSize(2);
      Map<String, String> files = remote.filesOf(STATUS);
      assertThat(files.get("README.md"))
          .contains(good.substring(0, 7))
          .contains(broken.substring(0, 7))
          .contains("backups/nightly.yaml:6:13");
      StatusReport parsed = new StatusFiles().parse(files.get("status.json").getBytes(StandardCharsets.UTF_8));
      assertThat(parsed.applied()).map(r -> r.sha()).contains(good);
      assertThat(parsed.rejected()).map(r -> r.revision().sha()).contains(broken);
    }
  }

  /** Another writer's push lands between the publisher's fetch of the branch and its push. */
  @Test
  void aPushThatLosesTheRaceIsMadeAgainOnTopOfTheOtherWritersCommit() throws Exception {
    try (ConfigRemote remote = ConfigRemote.create(dir);
         HttpGitServer server = new HttpGitServer(remote.bare, "bot", "t0ken");
         GitSource source = GitSource.open(new GitRemote(server.url(), GitCredentials.from(Optional.of("bot"), Optional.empty(),
             Optional.empty(), Optional.empty(), Map.of("FLEET_BACKUP_GIT_PASSWORD", "t0ken")), Duration.ofSeconds(10)), "main", "",
             dir.resolve("clone"))) {
      remote.commitTree(Path.of("sample-repo"), "sample");
      StatusBranchPublisher publisher = new StatusBranchPublisher(
          source.statusBranch(STATUS, "fleet-backup", "bot@example.com"), STATUS);
      GitOpsLoop loop = new GitOpsLoop(source, new Validator(), policies -> PassOutcome.NONE, publisher, Clock.systemUTC());
      loop.iterate();
      String before = remote.log(STATUS).get(0).name();
      String[] theirs = new String[1];
      server.beforeNextAdvertisement(HttpGitServer.Service.PUSH, () -> theirs[0] = remote.commitOnto(STATUS,
          Map.of("README.md", "# another writer's\n"), "another writer"));

      String published = publisher.publish(new StatusReport(Instant.now(), Duration.ZERO, Optional.empty(), Optional.empty(),
          Optional.of("fetch failed"), List.of(), List.of(), List.of(), List.of()));

      assertThat(published).matches("status committed to fleet-backup/status \\([0-9a-f]{7}\\) on attempt 2, another writer pushed"
          + " first: 0 clusters");
      assertThat(remote.log(STATUS)).extracting(c -> c.name()).as("on top of theirs, never over it")
          .containsExactly(remote.log(STATUS).get(0).name(), theirs[0], before);
      assertThat(remote.filesOf(STATUS).get("README.md")).doesNotContain("another writer's").contains("fetch failed");
    }
  }
}
