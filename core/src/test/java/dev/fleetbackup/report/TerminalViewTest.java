package dev.fleetbackup.report;

import static dev.fleetbackup.report.SampleReports.t;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TerminalViewTest {
  private final TerminalView view = new TerminalView();
  private final StatusFiles files = new StatusFiles();

  @Test
  void showsTheRevisionsThenWhatNeedsAttentionBeforeAnythingElse() {
    List<String> lines = view.render(SampleReports.quickstart()).lines().toList();

    assertThat(lines.subList(0, 7)).containsExactly(
        "Applied    main@sha1:4f2c9e1 (committed 2026-11-25 13:38 UTC)",
        "Attempted  main@sha1:9a7d003 rejected, 2 errors (the applied revision stays in force)",
        "Pass       finished 2026-11-25 14:03:11 UTC, took 4.2 s; a pass every 1 min",
        "Summary    1 rejected commit, 1 unreachable cluster, 1 failed workflow, 1 partially failed run, 1 run in progress",
        "",
        "Needs attention (6)",
        "  WHAT                            WHERE                      SINCE         WHY");
    assertThat(lines).contains(
        "  commit 9a7d003 rejected         backups/nightly.yaml:7:13  Nov 25 14:02  schedule \"0 2 * *\": a cron expression needs 5 fields, got 4",
        "  cluster unreachable             kurator-member3            —             dial tcp 10.0.4.7:6443: i/o timeout",
        "  Restore default/weekly-restore  kurator-member1            Nov 25 13:45  waiting for a completed run of schedule kurator-member1-backup-default-weekly");
  }

  @Test
  void listsEachBackupWithARowPerClusterSoThatItFitsATerminal() {
    String text = view.render(SampleReports.quickstart());

    assertThat(text).contains(
        "Backups (3)\n"
            + "  BACKUP                 SCHEDULE   PHASE      CLUSTER          LAST RUN\n"
            + "  default/nightly        0 2 * * *  Failed     kurator-member1  ✓ Nov 25 02:18 · 1,204 items\n"
            + "                                               kurator-member2  ⚠ PartiallyFailed Nov 25 02:35 · 2 errors · 1 warning · last ✓ Nov 23 02:20\n"
            + "                                               kurator-member3  ? unreachable\n");
    assertThat(text).contains(
        "Migrations (1)\n"
            + "  MIGRATION             PHASE              SOURCE → TARGETS                   STEPS\n"
            + "  default/shop-to-east  RestoreInProgress  kurator-member1 → kurator-member2  backup ✓ Nov 25 13:55 · 412 items; restore kurator-member2 ⏳ InProgress 41%\n");
  }

  @Test
  void countsTheHourglassAsTwoColumnsAndLeavesNoTrailingSpaceOrControlCharacter() {
    String text = view.render(SampleReports.quickstart());

    assertThat(TextTable.width("⏳ waiting")).isEqualTo(10);
    assertThat(text).contains("  RESTORE                 PHASE      CLUSTER          LAST RUN\n"
        + "  default/minimal         Completed  kurator-member1  ✓ Nov 25 13:52 · 37 restored\n");
    assertThat(text.lines()).allSatisfy(line -> assertThat(line).doesNotEndWith(" ").doesNotContain("\u001b", "\t"));
  }

  @Test
  void showsTheSameReadBackFromStatusJson() {
    StatusReport report = SampleReports.quickstart();
    StatusReport readBack = files.parse(files.render(report).get(StatusFiles.STATUS_JSON));

    assertThat(view.render(readBack)).isEqualTo(view.render(report));
  }

  @Test
  void asOfANowItSaysHowLongAgoThePassWasAndStaleOnceThreeIntervalsWentBy() {
    StatusReport report = SampleReports.quickstart();

    assertThat(view.render(report, t("2026-11-25T14:05:11Z")).lines().toList())
        .contains("Pass       finished 2026-11-25 14:03:11 UTC, took 4.2 s, 2 min ago; a pass every 1 min")
        .noneMatch(line -> line.startsWith("STALE"));
    assertThat(view.render(report, t("2026-11-25T14:06:12Z")).lines().toList())
        .contains("Pass       finished 2026-11-25 14:03:11 UTC, took 4.2 s, 3 min 1 s ago; a pass every 1 min",
            "STALE      no pass since 2026-11-25 14:03:11 UTC, 3 intervals: the reconciler has stopped");
  }

  @Test
  void aFirstPassShowsTheFetchProblem() {
    assertThat(view.render(SampleReports.empty())).isEqualTo(
        "Applied  nothing yet\n"
            + "Fetch    failed: git fetch https://git.example.com/platform/backup-policies.git: connection refused\n"
            + "Pass     finished 2026-11-25 14:00:00 UTC, took 0.3 s\n"
            + "Summary  1 failed fetch\n"
            + "\n"
            + "Needs attention (1)\n"
            + "  WHAT                             WHERE  SINCE  WHY\n"
            + "  fetching the config repo failed  —      —      git fetch https://git.example.com/platform/backup-policies.git: connection refused\n");
  }
}
