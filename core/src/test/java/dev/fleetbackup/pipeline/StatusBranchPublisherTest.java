package dev.fleetbackup.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetbackup.report.StatusFiles;
import dev.fleetbackup.report.StatusReport;
import dev.fleetbackup.source.GitCredentials;
import dev.fleetbackup.source.GitRemote;
import dev.fleetbackup.source.GitSource;
import dev.fleetbackup.testkit.ConfigRemote;
import dev.fleetbackup.validate.Validator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
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
}
