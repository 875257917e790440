package dev.fleetbackup.report;

import static dev.fleetbackup.report.SampleReports.M1;
import static dev.fleetbackup.report.SampleReports.M2;
import static dev.fleetbackup.report.SampleReports.t;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetbackup.model.ClusterRun;
import dev.fleetbackup.model.ClusterState;
import dev.fleetbackup.model.Condition;
import dev.fleetbackup.model.Kind;
import dev.fleetbackup.model.MemberFailure;
import dev.fleetbackup.model.ResourceId;
import dev.fleetbackup.model.VeleroPhase;
import dev.fleetbackup.model.WorkflowStatus;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class StatusFilesTest {
  private final StatusFiles files = new StatusFiles();

  private String readme(StatusReport report) {
    return new String(files.render(report).get(StatusFiles.README), UTF_8);
  }

  @Test
  void statusBranchHoldsReadmeStatusJsonAndOneFilePerObjectInPathOrder() {
    assertThat(files.render(SampleReports.quickstart()).keySet()).containsExactly(
        "README.md",
        "backups/default/nightly.yaml",
        "backups/default/select-labels.yaml",
        "backups/default/weekly.yaml",
        "migrations/default/shop-to-east.yaml",
        "restores/default/minimal.yaml",
        "restores/default/weekly-restore.yaml",
        "status.json");
  }

  @Test
  void readmeStartsWithTheRevisionsThenWhatNeedsAttention() {
    String readme = readme(SampleReports.quickstart());

    assertThat(readme).startsWith("# Fleet backup status\n\n> [!CAUTION]\n");
    assertThat(readme).contains("\n\n"
        + "**Applied** `main@sha1:4f2c9e1` (committed 2026-11-25 13:38 UTC) · **Attempted** `main@sha1:9a7d003`"
        + " — **rejected**, 2 errors (the applied revision stays in force)\n\n## Needs attention (6)\n");
    assertThat(readme.indexOf("## Needs attention (6)")).isPositive().isLessThan(readme.indexOf("## Fleet"));
  }

  @Test
  void needsAttentionHasEveryRejectionErrorTheUnreachableClusterTheBrokenPromiseTheFailedRunAndTheWaitingRestore() {
    String readme = readme(SampleReports.quickstart());

    assertThat(readme).contains(
        "| commit `9a7d003` rejected | `backups/nightly.yaml:7:13` | Nov 25 14:02 |"
            + " schedule \"0 2 \\* \\*\": a cron expression needs 5 fields, got 4 |\n"
            + "| | `restores/shop.yaml:6:15` | Nov 25 14:02 | backupName \"shop-dailly\": no Backup \"shop-dailly\""
            + " in namespace \"default\" (did you mean \"shop-daily\"?) |\n"
            + "| cluster unreachable | kurator-member3 | | dial tcp 10.0.4.7:6443: i/o timeout |\n"
            + "| Backup [`default/nightly`](backups/default/nightly.yaml) | kurator-member2 | Nov 24 02:35 |"
            + " no completed run since 2026-11-23 02:20 (the schedule promises one every 24 h) |\n"
            + "| | kurator-member2 | Nov 25 02:35 | run kurator-member2-backup-default-nightly-20261125020000"
            + " PartiallyFailed: 2 errors, 1 warning |\n"
            + "| Restore [`default/weekly-restore`](restores/default/weekly-restore.yaml) | kurator-member1 |"
            + " Nov 25 13:45 | waiting for a completed run of schedule kurator-member1-backup-default-weekly |\n");
  }

  @Test
  void aMigrationWaitingForVelerosBackupSyncIsProgressNotAProblem() {
    String readme = readme(withMigration(syncing(List.of())));

    assertThat(section(readme, "## Needs attention")).as("the sample's six rows, and no seventh")
        .startsWith("## Needs attention (6)\n").doesNotContain("Migrate");
    assertThat(readme).contains("| [`default/shop-to-east`](migrations/default/shop-to-east.yaml)"
        + " | kurator-member1 → kurator-member2, kurator-member3 | ⏳&nbsp;RestoreInProgress"
        + " | backup ✅ Nov 25 13:55 · 412 items; restore kurator-member2 ⏳ InProgress 41%;"
        + " kurator-member3 ⏳ waiting for Velero's sync to bring backup kurator-member1-migrate-default-shop-to-east"
        + " into kurator-member3 |\n");
  }

  @Test
  void aMigrationWhoseSyncTimedOutNeedsAttentionWithTheReason() {
    Condition stalled = new Condition(Condition.STALLED, Condition.Status.True, "SyncTimeout",
        "backup kurator-member1-migrate-default-shop-to-east has not appeared in kurator-member3 10m after it completed",
        t("2026-11-25T14:05:40Z"));

    String readme = readme(withMigration(syncing(List.of(stalled))));

    assertThat(section(readme, "## Needs attention")).startsWith("## Needs attention (8)\n")
        .endsWith("| Migrate [`default/shop-to-east`](migrations/default/shop-to-east.yaml) | kurator-member3 | Nov 25 14:05 |"
            + " waiting for Velero's sync to bring backup kurator-member1-migrate-default-shop-to-east into kurator-member3 |\n"
            + "| | — | Nov 25 14:05 | SyncTimeout: backup kurator-member1-migrate-default-shop-to-east has not appeared in"
            + " kurator-member3 10m after it completed |\n");
  }

  @Test
  void fleetTableShowsReachabilityVeleroBackupLocationAndLastPass() {
    assertThat(readme(SampleReports.quickstart())).contains(
        "## Fleet `default/quickstart` · 2 of 3 clusters ready\n"
            + "| cluster | reachable | Velero | backup location | last pass |\n"
            + "|---|---|---|---|---|\n"
            + "| kurator-member1 | ✅ | ✅ v1.18.1 | Available | no changes |\n"
            + "| kurator-member2 | ✅ | ✅ v1.18.1 | Available | 1 configured |\n"
            + "| kurator-member3 | ❌ | ❔ | ? | failed: unreachable |\n");
  }

  @Test
  void backupsTableHasACellPerClusterWithPhaseLastCompletedRunItemsAndErrors() {
    String readme = readme(SampleReports.quickstart());

    assertThat(readme).contains("| backup | schedule | phase | kurator-member1 | kurator-member2 | kurator-member3 |\n");
    assertThat(readme).contains("| [`default/nightly`](backups/default/nightly.yaml)"
        + " | <code>0&nbsp;2&nbsp;&#42;&nbsp;&#42;&nbsp;&#42;</code> | ❌&nbsp;Failed"
        + " | ✅ Nov 25 02:18 · 1,204 items"
        + " | ⚠️ PartiallyFailed Nov 25 02:35 · 2 errors · 1 warning · last ✅ Nov 23 02:20"
        + " | ❔ unreachable |\n");
    assertThat(readme).contains("| [`default/select-labels`](backups/default/select-labels.yaml) | once | ✅&nbsp;Completed"
        + " | ✅ Nov 25 13:40 · 37 items | ✅ Nov 25 13:40 · 12 items · 3 warnings | — |\n");
    assertThat(readme).contains("| [`default/weekly`](backups/default/weekly.yaml)"
        + " | <code>0&nbsp;3&nbsp;&#42;&nbsp;&#42;&nbsp;0</code> | ✅&nbsp;Enabled | no run yet | — | — |\n");
  }

  @Test
  void restoresAndMigrationsShowPhaseAndProgress() {
    String readme = readme(SampleReports.quickstart());

    assertThat(readme).contains("| restore | from backup | phase | kurator-member1 | kurator-member2 |\n");
    assertThat(readme).contains("| [`default/minimal`](restores/default/minimal.yaml)"
        + " | [`default/select-labels`](backups/default/select-labels.yaml) | ✅&nbsp;Completed"
        + " | ✅ Nov 25 13:52 · 37 restored | ✅ Nov 25 13:52 · 12 restored |\n");
    assertThat(readme).contains("| [`default/weekly-restore`](restores/default/weekly-restore.yaml)"
        + " | [`default/weekly`](backups/default/weekly.yaml) | ⚠️&nbsp;Pending | ⏳ waiting | — |\n");
    assertThat(readme).contains("| [`default/shop-to-east`](migrations/default/shop-to-east.yaml)"
        + " | kurator-member1 → kurator-member2 | ⏳&nbsp;RestoreInProgress"
        + " | backup ✅ Nov 25 13:55 · 412 items; restore kurator-member2 ⏳ InProgress 41% |\n");
  }

  @Test
  void readmeEndsWithAPointerToStatusJsonAndThePerObjectFiles() {
    assertThat(readme(SampleReports.quickstart())).endsWith("<sub>Machine-readable: [`status.json`](status.json)"
        + " (schema `https://fleet-backup.dev/schemas/status.schema.json`). One file per object under"
        + " [`backups/`](backups), [`restores/`](restores), [`migrations/`](migrations) in Kurator's status shape,"
        + " as `kubectl get -o yaml` shows it. Times in UTC. Written by fleet-backup after each pass that changed"
        + " something, and after at least every other pass; edits here are overwritten.</sub>\n");
  }

  @Test
  void aFirstPassThatCouldNotFetchSaysSoAndNothingElse() {
    String readme = readme(SampleReports.empty());

    assertThat(readme).contains("**Applied** nothing yet · **fetch failed** (see Needs attention)\n");
    assertThat(readme).contains("| fetching the config repo failed | — | |"
        + " git fetch https\\://git.example.com/platform/backup-policies.git: connection refused |\n");
    assertThat(readme.lines().filter(l -> l.startsWith("#"))).containsExactly("# Fleet backup status", "## Needs attention (1)");
    assertThat(readme.lines().filter(l -> l.startsWith("| "))).as("the header and the one problem")
        .containsExactly("| what | where | since | why |", "| fetching the config repo failed | — | |"
            + " git fetch https\\://git.example.com/platform/backup-policies.git: connection refused |");
    assertThat(readme).doesNotContain("One file per object");
  }

  @Test
  void aMessageFromAClusterCannotBreakTheTableOrTheTerminal() {
    StatusReport report = withClusters(List.of(new ClusterState("kurator-member9", "default/quickstart", false,
        Optional.of(new MemberFailure(MemberFailure.Reason.UNREACHABLE, "x | y\nz `<img src=x>` \u001b[31mred\u001b[0m *bold*")), false, Optional.empty(), "Unknown",
        ClusterState.ApplySummary.NONE)));

    String readme = readme(report);

    assertThat(readme).contains("| cluster unreachable | kurator-member9 | |"
        + " x \\| y\\\\nz \\`\\<img src=x\\>\\` \\\\x1b\\[31mred\\\\x1b\\[0m \\*bold\\* |\n");
    assertThat(readme).doesNotContain("\u001b");
    assertThat(new TerminalView().render(report)).doesNotContain("\u001b").contains("x | y\\nz `<img src=x>` \\x1b[31mred");
  }

  @Test
  void aClusterWarningNeedsAttentionWithWhenItHappenedThoughThePassDidNotFail() {
    StatusReport report = withClusters(List.of(new ClusterState("kurator-member1", "default/quickstart", true, Optional.empty(),
        true, Optional.of("v1.18.1"), "Available", ClusterState.ApplySummary.NONE, List.of(new ClusterState.Warning(
            "InventoryEdited", "inventory edited", "inventory kube-system/fleet-backup-inventory was edited by kubectl-edit"
                + " (Update) at 2026-12-02T03:10:00Z, not by fleet-backup: nothing is pruned in this cluster on this pass",
            Optional.of(t("2026-12-02T03:10:00Z")))))));

    assertThat(readme(report)).contains("| inventory edited | kurator-member1 | Dec 2 03:10 | inventory"
        + " kube-system/fleet-backup-inventory was edited by kubectl-edit (Update) at 2026-12-02T03:10:00Z, not by"
        + " fleet-backup: nothing is pruned in this cluster on this pass |\n");
    assertThat(new TerminalView().render(report)).containsPattern("inventory edited +kurator-member1 +Dec 2 03:10 +inventory kube-system");
  }

  @Test
  void withMoreThanFiveClustersAWorkflowGetsARowPerCluster() {
    List<ClusterState> clusters = IntStream.rangeClosed(1, 7).mapToObj(i -> new ClusterState("member" + i, "default/big",
        true, Optional.empty(), true, Optional.of("v1.18.1"), "Available", ClusterState.ApplySummary.NONE)).toList();
    List<ClusterRun> runs = clusters.stream().map(c -> new ClusterRun(c.cluster(), "backup", Optional.empty(),
        Optional.of(SampleReports.run(c.cluster(), c.cluster() + "-backup-default-all", VeleroPhase.COMPLETED,
            "2026-11-25T13:40:00Z", "2026-11-25T13:41:00Z", 5, 5, 0, 0)), Optional.empty(), Optional.empty())).toList();
    WorkflowStatus all = new WorkflowStatus(new ResourceId(Kind.BACKUP, "default", "all"), "Completed", List.of(), runs,
        Optional.empty(), List.of());
    StatusReport report = new StatusReport(t("2026-11-25T14:00:00Z"), java.time.Duration.ofSeconds(2),
        Optional.empty(), Optional.empty(), Optional.empty(), clusters, List.of(all), List.of(), List.of());

    String readme = readme(report);

    assertThat(readme).contains("| backup | schedule | phase | cluster | last run |\n|---|---|---|---|---|\n"
        + "| [`default/all`](backups/default/all.yaml) | once | ✅&nbsp;Completed | member1 | ✅ Nov 25 13:41 · 5 items |\n"
        + "| | | | member2 | ✅ Nov 25 13:41 · 5 items |\n");
  }

  @Test
  void sameReportGivesSameBytesWhateverTheOrderOfItsObjects() {
    StatusReport report = SampleReports.quickstart();
    List<WorkflowStatus> backups = new ArrayList<>(report.backups());
    Collections.reverse(backups);
    List<WorkflowStatus> restores = new ArrayList<>(report.restores());
    Collections.reverse(restores);
    StatusReport shuffled = new StatusReport(report.finishedAt(), report.took(), report.applied(), report.rejected(),
        report.sourceProblem(), report.clusters(), backups, restores, report.migrations(), report.interval());

    Map<String, byte[]> first = files.render(report);
    Map<String, byte[]> again = new StatusFiles().render(report);
    Map<String, byte[]> reordered = files.render(shuffled);

    assertThat(again.keySet()).isEqualTo(first.keySet());
    assertThat(reordered.keySet()).isEqualTo(first.keySet());
    first.forEach((path, bytes) -> {
      assertThat(again.get(path)).as(path).isEqualTo(bytes);
      assertThat(reordered.get(path)).as(path).isEqualTo(bytes);
    });
  }

  @Test
  void withoutTimingChangesOnlyThePassLineOfTheReadmeAndThePassOfStatusJson() {
    StatusReport report = SampleReports.quickstart();
    Map<String, byte[]> timed = files.render(report);
    Map<String, byte[]> untimed = files.render(report.withoutTiming());

    assertThat(untimed.keySet()).isEqualTo(timed.keySet());
    for (String path : timed.keySet()) {
      List<String> a = new String(timed.get(path), UTF_8).lines().toList();
      List<String> b = new String(untimed.get(path), UTF_8).lines().toList();
      assertThat(b).as(path).hasSameSizeAs(a);
      List<String> changed = IntStream.range(0, a.size()).filter(i -> !a.get(i).equals(b.get(i)))
          .mapToObj(a::get).toList();
      switch (path) {
        case "README.md" -> assertThat(changed).containsExactly("> Last pass **2026-11-25 14:03:11 UTC** (took 4.2 s),"
            + " just before this page was written. A pass every 1 min: **if it is now later than 2026-11-25 14:06:11 UTC,"
            + " this page is stale** (written more than 3 min ago, 3 intervals without a pass): the reconciler has stopped.");
        case "status.json" -> assertThat(changed).containsExactly(
            "    \"finishedAt\": \"2026-11-25T14:03:11Z\",", "    \"took\": \"PT4.217S\",",
            "    \"staleAfter\": \"2026-11-25T14:06:11Z\"");
        default -> assertThat(changed).as(path).isEmpty();
      }
    }
  }

  @Test
  void aNameThatIsNotAKubernetesNameNeverBecomesAPath() {
    WorkflowStatus sneaky = new WorkflowStatus(new ResourceId(Kind.BACKUP, "default", "../../README"), "Pending",
        List.of(), List.of(), Optional.empty(), List.of());
    StatusReport report = new StatusReport(t("2026-11-25T14:00:00Z"), java.time.Duration.ZERO, Optional.empty(),
        Optional.empty(), Optional.empty(), List.of(), List.of(sneaky), List.of(), List.of());

    assertThatThrownBy(() -> files.render(report)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("../../README");
  }

  @Test
  void clusterOrderIsTheReportsTheFleetsOrder() {
    StatusReport report = SampleReports.quickstart();
    List<ClusterState> reversed = new ArrayList<>(report.clusters());
    Collections.reverse(reversed);

    String readme = readme(withClusters(reversed));

    assertThat(readme.indexOf("| kurator-member3 | ❌")).isPositive().isLessThan(readme.indexOf("| " + M2 + " | ✅"));
    assertThat(readme.indexOf("| " + M2 + " | ✅")).isLessThan(readme.indexOf("| " + M1 + " | ✅"));
  }

  /**
   * The sample's migration with a second target, kurator-member3, whose Velero has not yet synced
   * the source's backup, and {@code extra} conditions.
   */
  private static WorkflowStatus syncing(List<Condition> extra) {
    WorkflowStatus sample = SampleReports.shopToEast();
    List<ClusterRun> runs = new ArrayList<>(sample.clusters());
    runs.add(new ClusterRun(SampleReports.M3, "target", Optional.of(SampleReports.M3 + "-migrate-default-shop-to-east"),
        Optional.empty(), Optional.empty(), Optional.of("Velero's sync to bring backup " + SampleReports.M1
            + "-migrate-default-shop-to-east into " + SampleReports.M3)));
    List<Condition> conditions = new ArrayList<>(sample.conditions());
    conditions.addAll(extra);
    return new WorkflowStatus(sample.id(), sample.phase(), conditions, runs, sample.schedule(), sample.problems());
  }

  private static StatusReport withMigration(WorkflowStatus migration) {
    StatusReport r = SampleReports.quickstart();
    return new StatusReport(r.finishedAt(), r.took(), r.applied(), r.rejected(), r.sourceProblem(), r.clusters(),
        r.backups(), r.restores(), List.of(migration), r.interval());
  }

  /** From the line {@code heading} starts to the next heading (or the end), without the blank line before it. */
  private static String section(String readme, String heading) {
    int start = readme.indexOf(heading);
    assertThat(start).as("%s in:%n%s", heading, readme).isNotNegative();
    int end = readme.indexOf("\n## ", start + heading.length());
    return readme.substring(start, end < 0 ? readme.length() : end).stripTrailing() + "\n";
  }

  private static StatusReport withClusters(List<ClusterState> clusters) {
    StatusReport r = SampleReports.quickstart();
    return new StatusReport(r.finishedAt(), r.took(), r.applied(), r.rejected(), r.sourceProblem(), clusters,
        r.backups(), r.restores(), r.migrations(), r.interval());
  }
}
