package dev.fleetbackup.report;

import dev.fleetbackup.model.ClusterRun;
import dev.fleetbackup.model.ClusterState;
import dev.fleetbackup.model.ClusterState.ApplySummary;
import dev.fleetbackup.model.Condition;
import dev.fleetbackup.model.Diagnostic;
import dev.fleetbackup.model.Kind;
import dev.fleetbackup.model.MemberFailure;
import dev.fleetbackup.model.ResourceId;
import dev.fleetbackup.model.Revision;
import dev.fleetbackup.model.RunCounters;
import dev.fleetbackup.model.SourceLocation;
import dev.fleetbackup.model.VeleroPhase;
import dev.fleetbackup.model.VeleroRun;
import dev.fleetbackup.model.WorkflowStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Reports as a pass would produce them. {@link #quickstart()}: a 3-cluster fleet whose third
 * member is unreachable; a nightly schedule that broke its promise on member2 (two PartiallyFailed
 * runs since the last completed one); an immediate backup completed on two clusters; a restore of
 * it completed; a restore of a schedule that has not completed a run yet; a migration restoring;
 * and the newest commit rejected with two errors while the previous one stays applied.
 */
final class SampleReports {
  static final String FLEET = "default/quickstart";
  static final String M1 = "kurator-member1";
  static final String M2 = "kurator-member2";
  static final String M3 = "kurator-member3";

  private SampleReports() {}

  static Instant t(String iso) {
    return Instant.parse(iso);
  }

  static StatusReport quickstart() {
    Revision applied = new Revision("main", "4f2c9e1b7d3a5c8e9f0a1b2c3d4e5f6a7b8c9d0e", t("2026-11-25T13:38:20Z"));
    Revision attempted = new Revision("main", "9a7d003e1f2a3b4c5d6e7f8091a2b3c4d5e6f708", t("2026-11-25T14:02:09Z"));
    StatusReport.Rejection rejection = new StatusReport.Rejection(attempted, List.of(
        Diagnostic.error(new SourceLocation("backups/nightly.yaml", 7, 13),
            "schedule \"0 2 * *\": a cron expression needs 5 fields, got 4"),
        Diagnostic.error(new SourceLocation("restores/shop.yaml", 6, 15),
            "backupName \"shop-dailly\": no Backup \"shop-dailly\" in namespace \"default\" (did you mean \"shop-daily\"?)")));
    return new StatusReport(t("2026-11-25T14:03:11Z"), Duration.ofMillis(4_217), Optional.of(applied),
        Optional.of(rejection), Optional.empty(), clusters(), List.of(nightly(), selectLabels(), weekly()),
        List.of(minimal(), weeklyRestore()), List.of(shopToEast()), Optional.of(Duration.ofMinutes(1)));
  }

  /**
   * Every cluster ready, every run completed: the nightly schedule's last ten runs, a restore of it
   * done, the newest commit applied.
   */
  static StatusReport healthy() {
    Revision applied = new Revision("main", "4f2c9e1b7d3a5c8e9f0a1b2c3d4e5f6a7b8c9d0e", t("2026-11-25T13:38:20Z"));
    List<ClusterState> clusters = List.of(
        new ClusterState(M1, FLEET, true, Optional.empty(), true, Optional.of("v1.18.1"), "Available",
            new ApplySummary(0, 0, 0, 23)),
        new ClusterState(M2, FLEET, true, Optional.empty(), true, Optional.of("v1.18.1"), "Available",
            new ApplySummary(0, 0, 0, 22)));
    List<ClusterRun> runs = List.of(M1, M2).stream().map(cluster -> {
      List<VeleroRun> history = nightlies(cluster, "CCCCCCCCCC", "2026-11-25T02:00:00Z");
      VeleroRun newest = history.get(history.size() - 1);
      return new ClusterRun(cluster, "backup", Optional.of(cluster + "-backup-default-nightly"), Optional.of(newest),
          Optional.of(newest), Optional.empty(), history);
    }).toList();
    WorkflowStatus nightly = new WorkflowStatus(new ResourceId(Kind.BACKUP, "default", "nightly"), "Enabled",
        List.of(new Condition(Condition.READY, Condition.Status.True, "ScheduleEnabled", "next run 2026-11-26 02:00",
            t("2026-11-16T02:00:00Z"))), runs, Optional.of("0 2 * * *"), List.of());
    VeleroRun restored = new VeleroRun(M2, M2 + "-restore-default-shop", VeleroPhase.COMPLETED,
        Optional.of(t("2026-11-25T09:00:00Z")), Optional.of(t("2026-11-25T09:00:41Z")), Optional.empty(), 1204, 1204, 0, 0,
        Optional.empty(), List.of());
    WorkflowStatus shop = new WorkflowStatus(new ResourceId(Kind.RESTORE, "default", "shop"), "Completed",
        List.of(new Condition(Condition.READY, Condition.Status.True, "Succeeded", "1 of 1 clusters restored",
            t("2026-11-25T09:00:42Z"))),
        List.of(new ClusterRun(M2, "restore", Optional.of(restored.name()), Optional.of(restored), Optional.of(restored),
            Optional.empty())),
        Optional.empty(), List.of(), Optional.of("nightly"));
    return new StatusReport(t("2026-11-25T14:03:11Z"), Duration.ofMillis(2_140), Optional.of(applied), Optional.empty(),
        Optional.empty(), clusters, List.of(nightly), List.of(shop), List.of(), Optional.of(Duration.ofMinutes(1)));
  }

  /**
   * The healthy fleet the morning after things went wrong: the nightly run failed in member2 (its
   * history shows the trend), and the newest commit was rejected while the one before stays applied.
   */
  static StatusReport failing() {
    StatusReport healthy = healthy();
    WorkflowStatus nightly = healthy.backups().get(0);
    List<VeleroRun> history = new java.util.ArrayList<>(nightlies(M2, "CCCCCCPCC", "2026-11-24T02:00:00Z"));
    VeleroRun failed = new VeleroRun(M2, M2 + "-backup-default-nightly-20261125020000", VeleroPhase.FAILED,
        Optional.of(t("2026-11-25T02:00:00Z")), Optional.of(t("2026-11-25T02:04:51Z")), Optional.empty(), 1204, 310, 1, 0,
        Optional.of("upload to bucket fleet-backups failed: AccessDenied"), List.of());
    history.add(failed);
    ClusterRun m2 = new ClusterRun(M2, "backup", Optional.of(M2 + "-backup-default-nightly"), Optional.of(failed),
        Optional.of(history.get(history.size() - 2)), Optional.empty(), history);
    WorkflowStatus broken = new WorkflowStatus(nightly.id(), "Enabled", List.of(new Condition(Condition.READY,
        Condition.Status.False, "LastRunFailed", "the last run failed in kurator-member2; the schedule goes on",
        t("2026-11-25T02:04:51Z"))), List.of(nightly.clusters().get(0), m2), nightly.schedule(), List.of());
    Revision attempted = new Revision("main", "9a7d003e1f2a3b4c5d6e7f8091a2b3c4d5e6f708", t("2026-11-25T14:02:09Z"));
    StatusReport.Rejection rejection = new StatusReport.Rejection(attempted, List.of(
        Diagnostic.error(new SourceLocation("backups/nightly.yaml", 7, 13),
            "schedule \"0 2 * *\": a cron expression needs 5 fields (minute hour day-of-month month day-of-week), got 4")));
    return new StatusReport(healthy.finishedAt(), healthy.took(), healthy.applied(), Optional.of(rejection), Optional.empty(),
        healthy.clusters(), List.of(broken), healthy.restores(), healthy.migrations(), healthy.interval());
  }

  /**
   * One run of a nightly schedule a day up to {@code last}, a letter per run as {@code phases} spells
   * them: C Completed, P PartiallyFailed, F Failed, I InProgress.
   */
  static List<VeleroRun> nightlies(String cluster, String phases, String last) {
    List<VeleroRun> runs = new java.util.ArrayList<>();
    for (int i = 0; i < phases.length(); i++) {
      Instant day = t(last).minus(Duration.ofDays(phases.length() - 1 - i));
      VeleroPhase phase = switch (phases.charAt(i)) {
        case 'C' -> VeleroPhase.COMPLETED;
        case 'P' -> VeleroPhase.PARTIALLY_FAILED;
        case 'F' -> VeleroPhase.FAILED;
        default -> VeleroPhase.IN_PROGRESS;
      };
      String stamp = java.time.format.DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(java.time.ZoneOffset.UTC).format(day);
      runs.add(run(cluster, cluster + "-backup-default-nightly-" + stamp, phase, day.toString(),
          phase == VeleroPhase.IN_PROGRESS ? null : day.plus(Duration.ofMinutes(18)).toString(), 1204,
          phase == VeleroPhase.COMPLETED ? 1204 : 1100, phase == VeleroPhase.PARTIALLY_FAILED ? 2 : 0, 0));
    }
    return runs;
  }

  static List<ClusterState> clusters() {
    return List.of(
        new ClusterState(M1, FLEET, true, Optional.empty(), true, Optional.of("v1.18.1"), "Available",
            new ApplySummary(0, 0, 0, 23)),
        new ClusterState(M2, FLEET, true, Optional.empty(), true, Optional.of("v1.18.1"), "Available",
            new ApplySummary(0, 1, 0, 22)),
        new ClusterState(M3, FLEET, false, Optional.of(new MemberFailure(MemberFailure.Reason.TIMED_OUT, "dial tcp 10.0.4.7:6443: i/o timeout")), false,
            Optional.empty(), "Unknown", ApplySummary.NONE));
  }

  /** {@code run} with Velero's further counters: snapshots, item operations, hooks. */
  static VeleroRun withCounters(VeleroRun run, RunCounters counters) {
    return new VeleroRun(run.cluster(), run.name(), run.phaseText(), run.started(), run.completed(), run.expiration(),
        run.totalItems(), run.itemsDone(), run.errors(), run.warnings(), run.failureReason(), run.validationErrors(), counters);
  }

  static VeleroRun run(String cluster, String name, VeleroPhase phase, String started, String completed, int total,
      int done, int errors, int warnings) {
    return new VeleroRun(cluster, name, phase, Optional.of(t(started)), Optional.ofNullable(completed).map(Instant::parse),
        phase == VeleroPhase.COMPLETED || phase == VeleroPhase.PARTIALLY_FAILED
            ? Optional.of(t(started).plus(Duration.ofDays(30))) : Optional.empty(),
        total, done, errors, warnings, Optional.empty(), List.of());
  }

  static WorkflowStatus nightly() {
    String schedule1 = M1 + "-backup-default-nightly";
    String schedule2 = M2 + "-backup-default-nightly";
    VeleroRun m1Run = run(M1, schedule1 + "-20261125020000", VeleroPhase.COMPLETED, "2026-11-25T02:00:00Z",
        "2026-11-25T02:18:41Z", 1204, 1204, 0, 0);
    VeleroRun m2Run = run(M2, schedule2 + "-20261125020000", VeleroPhase.PARTIALLY_FAILED, "2026-11-25T02:00:00Z",
        "2026-11-25T02:35:12Z", 988, 986, 2, 1);
    VeleroRun m2Last = withCounters(run(M2, schedule2 + "-20261123020000", VeleroPhase.COMPLETED, "2026-11-23T02:00:00Z",
        "2026-11-23T02:20:05Z", 975, 975, 0, 0), new RunCounters(1, "1.1.0", 0, 2, 2, 3, 3, 3, 3, 0, 4, 0));
    return new WorkflowStatus(new ResourceId(Kind.BACKUP, "default", "nightly"), "Failed",
        List.of(new Condition(Condition.READY, Condition.Status.False, "ScheduleMissed",
            "kurator-member2 has no completed run in the last 24 h", t("2026-11-24T02:35:03Z"))),
        List.of(
            new ClusterRun(M1, "backup", Optional.of(schedule1), Optional.of(m1Run), Optional.of(m1Run), Optional.empty(),
                withNewest(nightlies(M1, "CCCFCCCCC", "2026-11-24T02:00:00Z"), m1Run)),
            new ClusterRun(M2, "backup", Optional.of(schedule2), Optional.of(m2Run), Optional.of(m2Last), Optional.empty(),
                List.of(m2Last, run(M2, schedule2 + "-20261124020000", VeleroPhase.PARTIALLY_FAILED, "2026-11-24T02:00:00Z",
                    "2026-11-24T02:31:40Z", 980, 977, 3, 0), m2Run)),
            new ClusterRun(M3, "backup", Optional.of(M3 + "-backup-default-nightly"), Optional.empty(), Optional.empty(),
                Optional.empty())),
        Optional.of("0 2 * * *"),
        List.of(M2 + ": no completed run since 2026-11-23 02:20 (the schedule promises one every 24 h)"));
  }

  private static List<VeleroRun> withNewest(List<VeleroRun> older, VeleroRun newest) {
    List<VeleroRun> runs = new java.util.ArrayList<>(older);
    runs.add(newest);
    return runs;
  }

  static WorkflowStatus selectLabels() {
    VeleroRun m1 = run(M1, M1 + "-backup-default-select-labels", VeleroPhase.COMPLETED, "2026-11-25T13:40:02Z",
        "2026-11-25T13:40:31Z", 37, 37, 0, 0);
    VeleroRun m2 = run(M2, M2 + "-backup-default-select-labels", VeleroPhase.COMPLETED, "2026-11-25T13:40:02Z",
        "2026-11-25T13:40:19Z", 12, 12, 0, 3);
    return new WorkflowStatus(new ResourceId(Kind.BACKUP, "default", "select-labels"), "Completed",
        List.of(new Condition(Condition.READY, Condition.Status.True, "Succeeded", "2 of 2 clusters completed",
            t("2026-11-25T13:40:33Z"))),
        List.of(
            new ClusterRun(M1, "backup", Optional.of(m1.name()), Optional.of(m1), Optional.of(m1), Optional.empty()),
            new ClusterRun(M2, "backup", Optional.of(m2.name()), Optional.of(m2), Optional.of(m2), Optional.empty())),
        Optional.empty(), List.of());
  }

  /** A schedule created today: no run yet. */
  static WorkflowStatus weekly() {
    return new WorkflowStatus(new ResourceId(Kind.BACKUP, "default", "weekly"), "Enabled",
        List.of(new Condition(Condition.READY, Condition.Status.True, "ScheduleEnabled", "next run 2026-11-29 03:00",
            t("2026-11-25T13:40:05Z"))),
        List.of(new ClusterRun(M1, "backup", Optional.of(M1 + "-backup-default-weekly"), Optional.empty(),
            Optional.empty(), Optional.empty())),
        Optional.of("0 3 * * 0"), List.of());
  }

  static WorkflowStatus minimal() {
    VeleroRun m1 = new VeleroRun(M1, M1 + "-restore-default-minimal", VeleroPhase.COMPLETED,
        Optional.of(t("2026-11-25T13:52:00Z")), Optional.of(t("2026-11-25T13:52:14Z")), Optional.empty(), 37, 37, 0, 0,
        Optional.empty(), List.of());
    VeleroRun m2 = new VeleroRun(M2, M2 + "-restore-default-minimal", VeleroPhase.COMPLETED,
        Optional.of(t("2026-11-25T13:52:00Z")), Optional.of(t("2026-11-25T13:52:09Z")), Optional.empty(), 12, 12, 0, 0,
        Optional.empty(), List.of());
    return new WorkflowStatus(new ResourceId(Kind.RESTORE, "default", "minimal"), "Completed",
        List.of(new Condition(Condition.READY, Condition.Status.True, "Succeeded", "2 of 2 clusters restored",
            t("2026-11-25T13:52:15Z"))),
        List.of(
            new ClusterRun(M1, "restore", Optional.of(m1.name()), Optional.of(m1), Optional.of(m1), Optional.empty()),
            new ClusterRun(M2, "restore", Optional.of(m2.name()), Optional.of(m2), Optional.of(m2), Optional.empty())),
        Optional.empty(), List.of(), Optional.of("select-labels"));
  }

  /** Kurator would stall silently here. */
  static WorkflowStatus weeklyRestore() {
    return new WorkflowStatus(new ResourceId(Kind.RESTORE, "default", "weekly-restore"), "Pending",
        List.of(new Condition(Condition.READY, Condition.Status.False, "WaitingForBackup",
            "Backup weekly has no completed run in kurator-member1", t("2026-11-25T13:45:10Z"))),
        List.of(new ClusterRun(M1, "restore", Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.of("a completed run of schedule kurator-member1-backup-default-weekly"))),
        Optional.empty(), List.of(), Optional.of("weekly"));
  }

  static WorkflowStatus shopToEast() {
    VeleroRun backup = new VeleroRun(M1, M1 + "-migrate-default-shop-to-east", VeleroPhase.COMPLETED,
        Optional.of(t("2026-11-25T13:55:00Z")), Optional.of(t("2026-11-25T13:55:40Z")), Optional.of(t("2026-12-25T13:55:00Z")),
        412, 412, 0, 0, Optional.empty(), List.of());
    VeleroRun restore = new VeleroRun(M2, M2 + "-migrate-default-shop-to-east", VeleroPhase.IN_PROGRESS,
        Optional.of(t("2026-11-25T13:57:02Z")), Optional.empty(), Optional.empty(), 412, 169, 0, 0, Optional.empty(),
        List.of());
    return new WorkflowStatus(new ResourceId(Kind.MIGRATE, "default", "shop-to-east"), "RestoreInProgress",
        List.of(
            new Condition(Condition.READY, Condition.Status.Unknown, "Progressing", "restoring in 1 of 1 target clusters",
                t("2026-11-25T13:55:00Z")),
            new Condition(Condition.RECONCILING, Condition.Status.True, "RestoreInProgress",
                "restoring in kurator-member2", t("2026-11-25T13:57:02Z"))),
        List.of(
            new ClusterRun(M1, "source", Optional.of(backup.name()), Optional.of(backup), Optional.of(backup), Optional.empty()),
            new ClusterRun(M2, "target", Optional.of(restore.name()), Optional.of(restore), Optional.empty(), Optional.empty())),
        Optional.empty(), List.of());
  }

  /** A first pass: nothing applied yet, no clusters, nothing to show. */
  static StatusReport empty() {
    return new StatusReport(t("2026-11-25T14:00:00Z"), Duration.ofMillis(310), Optional.empty(), Optional.empty(),
        Optional.of("git fetch https://git.example.com/platform/backup-policies.git: connection refused"),
        List.of(), List.of(), List.of(), List.of());
  }
}
