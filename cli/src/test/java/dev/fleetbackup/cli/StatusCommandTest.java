package dev.fleetbackup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetbackup.pipeline.Components;
import dev.fleetbackup.pipeline.GitOpsLoop;
import dev.fleetbackup.pipeline.PassOutcome;
import dev.fleetbackup.pipeline.StatusBranchPublisher;
import dev.fleetbackup.source.GitCredentials;
import dev.fleetbackup.source.GitRemote;
import dev.fleetbackup.source.GitSource;
import dev.fleetbackup.testkit.ConfigRemote;
import dev.fleetbackup.validate.Validator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusCommandTest {
  @TempDir
  Path dir;

  private final Cli cli = new Cli();

  @Test
  void showsTheStatusBranchOfARepo() throws Exception {
    try (ConfigRemote remote = ConfigRemote.create(dir)) {
      String sha = remote.commitTree(Path.of("sample-repo"), "sample");
      try (GitSource source = GitSource.open(new GitRemote(remote.url(), GitCredentials.NONE, Duration.ofSeconds(10)), "main", "",
          dir.resolve("clone"))) {
        var branch = source.statusBranch(RunCommand.DEFAULT_STATUS_BRANCH, "fleet-backup", "bot@example.com");
        new GitOpsLoop(source, new Validator(), policies -> PassOutcome.NONE,
            new StatusBranchPublisher(branch, RunCommand.DEFAULT_STATUS_BRANCH), Clock.systemUTC()).iterate();
      }

      assertThat(cli.run("status", "--repo", remote.bare.toString(), "--work-dir", dir.resolve("status-work").toString())).isZero();
      assertThat(cli.out.toString()).startsWith("Applied  main@sha1:" + sha.substring(0, 7));
    }
  }

  @Test
  void aRejectedCommitNeedsAttentionAndAnOldReportIsStaleForScripts() throws Exception {
    try (ConfigRemote remote = ConfigRemote.create(dir)) {
      Path broken = Files.createDirectories(dir.resolve("broken"));
      Files.writeString(broken.resolve("backup.yaml"), "apiVersion: backup.kurator.dev/v1alpha1\nkind: Backup\n");
      remote.commitTree(broken, "broken");
      try (GitSource source = GitSource.open(new GitRemote(remote.url(), GitCredentials.NONE, Duration.ofSeconds(10)), "main", "",
          dir.resolve("clone"))) {
        var branch = source.statusBranch(RunCommand.DEFAULT_STATUS_BRANCH, "fleet-backup", "bot@example.com");
        new GitOpsLoop(source, new Validator(), policies -> PassOutcome.NONE,
            new StatusBranchPublisher(branch, RunCommand.DEFAULT_STATUS_BRANCH), Clock.systemUTC()).iterate();
      }

      assertThat(cli.run("status", "--repo", remote.url(), "--work-dir", dir.resolve("a").toString())).isEqualTo(1);
      assertThat(cli.out.toString()).contains("rejected");

      Cli aged = new Cli();
      assertThat(aged.run("status", "--repo", remote.url(), "--work-dir", dir.resolve("b").toString(), "--max-age", "1ms"))
          .isEqualTo(1);
      assertThat(aged.err.toString()).startsWith("stale: the last pass finished at ").contains(" ago, more than --max-age 1ms");
    }
  }

  @Test
  void aReportWithNoPassForThreeIntervalsIsStaleOnTheCommandsClock() throws Exception {
    Instant passed = Instant.parse("2026-11-25T14:03:11Z");
    try (ConfigRemote remote = ConfigRemote.create(dir)) {
      remote.commitTree(Path.of("sample-repo"), "sample");
      try (GitSource source = GitSource.open(new GitRemote(remote.url(), GitCredentials.NONE, Duration.ofSeconds(10)), "main", "",
          dir.resolve("clone"))) {
        var branch = source.statusBranch(RunCommand.DEFAULT_STATUS_BRANCH, "fleet-backup", "bot@example.com");
        new GitOpsLoop(source, new Validator(), policies -> PassOutcome.NONE, new StatusBranchPublisher(branch,
            RunCommand.DEFAULT_STATUS_BRANCH, Optional.of(Duration.ofMinutes(1)), Optional.empty()),
            Clock.fixed(passed, ZoneOffset.UTC)).iterate();
      }

      Cli fresh = at(passed.plus(Duration.ofMinutes(2)));
      assertThat(fresh.run("status", "--repo", remote.url(), "--work-dir", dir.resolve("a").toString())).isZero();
      assertThat(fresh.out.toString()).contains("Pass     finished 2026-11-25 14:03:11 UTC, took 0 s, 2 min ago; a pass every 1 min");
      assertThat(fresh.err.toString()).isEmpty();

      Cli stale = at(passed.plus(Duration.ofMinutes(3)).plusSeconds(1));
      assertThat(stale.run("status", "--repo", remote.url(), "--work-dir", dir.resolve("b").toString())).isEqualTo(1);
      assertThat(stale.out.toString()).contains("STALE    no pass since 2026-11-25 14:03:11 UTC, 3 intervals: the reconciler has stopped");
      assertThat(stale.err.toString()).isEqualTo("stale: the last pass finished at 2026-11-25T14:03:11Z, 3m1s ago, more than 3"
          + " intervals of 1m: the reconciler has stopped" + System.lineSeparator());

      Cli json = at(passed.plus(Duration.ofMinutes(3)).plusSeconds(1));
      assertThat(json.run("status", "--repo", remote.url(), "--work-dir", dir.resolve("c").toString(), "-o", "json")).isEqualTo(1);
      assertThat(json.out.toString()).contains("\"staleAfter\": \"2026-11-25T14:06:11Z\"");
    }
  }

  /** The command line on a clock that reads {@code now}. */
  private static Cli at(Instant now) {
    Components standard = Main.components();
    Components clocked = new Components(standard.validator(), standard.pipeline(), standard.passes(),
        Clock.fixed(now, ZoneOffset.UTC));
    return new Cli(clocked);
  }

  @Test
  void saysSoWhenThereIsNoStatusYet() {
    try (ConfigRemote remote = ConfigRemote.create(dir)) {
      remote.commitTree(Path.of("sample-repo"), "sample");

      assertThat(cli.run("status", "--repo", remote.url(), "--work-dir", dir.resolve("w").toString())).isEqualTo(1);
      assertThat(cli.err.toString()).contains("no status report on branch fleet-backup/status");
    }
  }

  @Test
  void aRepoThatIsNotThereIsOneErrorSaidOnce() {
    assertThat(cli.run("status", "--repo", dir.resolve("nope").toString(), "--work-dir", dir.resolve("w").toString()))
        .isEqualTo(2);

    assertThat(cli.err.toString().lines()).singleElement().asString()
        .isEqualTo("fleet-backup: --repo " + dir.resolve("nope") + ": no such folder or Git repository");
    assertThat(dir.resolve("w")).as("nothing was cloned").doesNotExist();
  }

  @Test
  void aRemoteThatIsNotThereIsNamedOnce() {
    String url = dir.resolve("nope").toUri().toString();

    assertThat(cli.run("status", "--repo", url, "--work-dir", dir.resolve("w").toString())).isEqualTo(2);

    assertThat(cli.err.toString().lines()).singleElement().asString()
        .startsWith("fleet-backup: ").contains(" failed: ")
        .satisfies(line -> assertThat(line.split(java.util.regex.Pattern.quote(url), -1)).as(line).hasSize(2));
  }

  @Test
  void aWorkDirOthersCanWriteToIsRefusedWithItsName() throws Exception {
    try (ConfigRemote remote = ConfigRemote.create(dir)) {
      remote.commitTree(Path.of("sample-repo"), "sample");
      GitRemoteOptions options = new GitRemoteOptions();
      options.repo = remote.url();
      options.workDir = dir.resolve("w");
      Path clone = Files.createDirectories(options.clone("status"));
      Files.setPosixFilePermissions(clone, PosixFilePermissions.fromString("rwxrwxrwx"));

      assertThat(cli.run("status", "--repo", remote.url(), "--work-dir", dir.resolve("w").toString())).isEqualTo(2);
      assertThat(cli.err.toString()).startsWith("fleet-backup: refusing work dir " + clone + ": it can be written by others");
    }
  }

  @Test
  void durationsReadAsGoWritesThem() {
    assertThat(Main.duration("90s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(Main.duration("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(Main.duration("PT2M")).isEqualTo(Duration.ofMinutes(2));
  }
}
