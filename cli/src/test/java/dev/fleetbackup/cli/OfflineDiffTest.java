package dev.fleetbackup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetbackup.pipeline.ExitCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code diff --offline}: what a change of the config repo asks of each member, from Git and the plans alone. */
class OfflineDiffTest {
  @TempDir
  Path repo;

  private final Cli cli = new Cli();

  @BeforeEach
  void aCommittedCopyOfTheSampleRepo() throws Exception {
    try (Stream<Path> files = Files.walk(Path.of("sample-repo"))) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        Path target = repo.resolve(Path.of("sample-repo").relativize(file).toString());
        Files.createDirectories(target.getParent());
        Files.copy(file, target);
      }
    }
    try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
      git.add().addFilepattern(".").call();
      git.commit().setMessage("base").setAuthor("t", "t@example.com").setCommitter("t", "t@example.com").setSign(false).call();
    }
  }

  @Test
  void aChangedScheduleIsAChangeInEveryMemberWithItsYamlDiff() throws IOException {
    Path nightly = repo.resolve("backups/nightly.yaml");
    Files.writeString(nightly, Files.readString(nightly).replace("0 2 * * *", "0 3 * * *"));

    int exit = cli.run("diff", "--offline", "--repo", repo.toString());

    assertThat(exit).as(cli.err.toString()).isEqualTo(ExitCode.FINDINGS.code());
    assertThat(cli.out.toString())
        .contains("kurator-member1  Schedule/velero/kurator-member1-backup-default-nightly  changed")
        .contains("-  schedule: 0 2 * * *\n+  schedule: 0 3 * * *")
        .contains("+++ kurator-member2 Schedule/velero/kurator-member2-backup-default-nightly (working tree)")
        .contains("3 differences in 3 clusters between HEAD@");
  }

  @Test
  void velerosFieldsAndTheChartValuesShowOnTheObjectsTheyLandOn() throws IOException {
    Path nightly = repo.resolve("backups/nightly.yaml");
    Files.writeString(nightly, Files.readString(nightly) + "    paused: true\n    csiSnapshotTimeout: 5m\n");
    Path fleet = repo.resolve("fleet/quickstart.yaml");
    Files.writeString(fleet, Files.readString(fleet) + "      extraArgs:\n        configuration: {logLevel: debug}\n");

    int exit = cli.run("diff", "--offline", "--repo", repo.toString());

    assertThat(exit).as(cli.err.toString()).isEqualTo(ExitCode.FINDINGS.code());
    assertThat(cli.out.toString())
        .contains("kurator-member1  Schedule/velero/kurator-member1-backup-default-nightly  changed")
        .contains("+    csiSnapshotTimeout: 5m")
        .contains("+  paused: true")
        .contains("kurator-member1  Deployment/velero/velero  changed")
        .contains("+        - --log-level=debug")
        .contains("kurator-member1  DaemonSet/velero/node-agent  changed");
  }

  @Test
  void aRemovedPolicyIsADeletionAndTheSameTreeHasNoDifferences() throws IOException {
    assertThat(cli.run("diff", "--offline", "--repo", repo.toString(), "--base", "main")).isEqualTo(ExitCode.OK.code());
    assertThat(cli.out.toString()).contains("no differences in 3 clusters between main@");

    Files.delete(repo.resolve("backups/nightly.yaml"));
    Cli after = new Cli();
    int exit = after.run("diff", "--offline", "--repo", repo.toString(), "-o", "json");

    assertThat(exit).as(after.err.toString()).isEqualTo(ExitCode.FINDINGS.code());
    assertThat(after.out.toString()).contains("\"action\" : \"deleted\"", "no longer desired; pruned if fleet-backup applied it");
  }

  @Test
  void aConfigRepoInAFolderOfALargerRepositoryIsComparedWithThatFolderAtTheBase(@TempDir Path larger) throws Exception {
    try (Git git = Git.init().setDirectory(larger.toFile()).setInitialBranch("main").call()) {
      Files.writeString(larger.resolve("README.yaml"), "not: a policy\n");
      try (Stream<Path> files = Files.walk(repo)) {
        for (Path file : files.filter(f -> Files.isRegularFile(f) && !repo.relativize(f).startsWith(".git")).toList()) {
          Path target = larger.resolve("platform/backups").resolve(repo.relativize(file).toString());
          Files.createDirectories(target.getParent());
          Files.copy(file, target);
        }
      }
      git.add().addFilepattern(".").call();
      git.commit().setMessage("base").setAuthor("t", "t@example.com").setCommitter("t", "t@example.com").setSign(false).call();
    }
    Path config = larger.resolve("platform/backups");
    Path nightly = config.resolve("backups/nightly.yaml");
    Files.writeString(nightly, Files.readString(nightly).replace("0 2 * * *", "0 3 * * *"));

    int exit = cli.run("diff", "--offline", "--repo", config.toString(), "--base", "HEAD");

    assertThat(exit).as(cli.err.toString()).isEqualTo(ExitCode.FINDINGS.code());
    assertThat(cli.out.toString()).contains("-  schedule: 0 2 * * *\n+  schedule: 0 3 * * *")
        .contains("3 differences in 3 clusters between HEAD@");
  }

  @Test
  void aBaseThatIsNoCommitIsAUsageErrorAndNoClusterIsNeeded() {
    int exit = cli.run("diff", "--offline", "--repo", repo.toString(), "--base", "no-such-branch");

    assertThat(exit).isEqualTo(ExitCode.ERROR.code());
    assertThat(cli.err.toString()).startsWith("--base: no commit \"no-such-branch\" in ");
  }
}
