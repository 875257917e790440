package dev.fleetbackup.workflows;

import static dev.fleetbackup.workflows.Observations.M1;
import static dev.fleetbackup.workflows.Observations.M2;
import static dev.fleetbackup.workflows.Observations.M3;
import static dev.fleetbackup.workflows.Observations.t;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetbackup.model.ClusterRun;
import dev.fleetbackup.model.Condition;
import dev.fleetbackup.model.PolicySet;
import dev.fleetbackup.model.VeleroPhase;
import dev.fleetbackup.model.VeleroRun;
import dev.fleetbackup.model.WorkflowStatus;
import dev.fleetbackup.observe.FleetObservation;
import dev.fleetbackup.observe.MemberObservation;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Statuses from fake observed state and a fixed clock: phases, conditions, waits and problems. */
class StatusBuilderTest {
  static final Instant NOW = t("2026-11-25T14:30:00Z");
  static final String SOURCE = M1 + "-migrate-default-shop-to-members";
  static final String NIGHTLY = M1 + "-backup-default-nightly";

  @TempDir static Path dir;
  static PolicySet policies;

  @BeforeAll
  static void policies() {
    policies = Observations.samplePolicies(dir);
  }

  private static StatusBuilder builder(Instant now) {
    return new StatusBuilder(Clock.fixed(now, ZoneOffset.UTC), Duration.ofMinutes(10));
  }

  @Test
  void migrationPhasesFollowWhatTheClustersHold() {
    StatusBuilder builder = builder(t("2026-11-25T14:05:00Z")); // within the sync timeout of the backup's completion
    Observations o = new Observations();
    o.member(M1);
    o.member(M2);
    o.member(M3);
    assertThat(migration(builder.build(policies, o.fleet())).phase()).isEqualTo("Pending");

    o.member(M1).backup(SOURCE, 1, "h", VeleroPhase.IN_PROGRESS, t("2026-11-25T14:00:00Z"));
    WorkflowStatus backingUp = migration(builder.build(policies, o.fleet()));
    assertThat(backingUp.phase()).isEqualTo("BackupInProgress");
    assertThat(condition(backingUp, Condition.RECONCILING).reason()).isEqualTo("BackupInProgress");
    assertThat(condition(backingUp, Condition.READY).status()).isEqualTo(Condition.Status.Unknown);

    o = new Observations();
    o.member(M1).backup(SOURCE, 1, "h", VeleroPhase.COMPLETED, t("2026-11-25T14:00:00Z"));
    o.member(M2).synced(SOURCE, "readonly-kurator-member1", VeleroPhase.COMPLETED, t("2026-11-25T14:01:00Z"))
        .restore(M2 + "-migrate-default-shop-to-members", SOURCE, VeleroPhase.IN_PROGRESS, t("2026-11-25T14:02:00Z"));
    o.member(M3);
    WorkflowStatus restoring = migration(builder.build(policies, o.fleet()));
    assertThat(restoring.phase()).isEqualTo("RestoreInProgress");
    assertThat(restoring.clusters()).extracting(ClusterRun::cluster, ClusterRun::role)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(M1, "source"), org.assertj.core.groups.Tuple.tuple(M2, "target"),
            org.assertj.core.groups.Tuple.tuple(M3, "target"));
    assertThat(restoring.clusters().get(2).waitingFor()).hasValueSatisfying(w -> assertThat(w).startsWith("Velero's sync to bring backup"));
    assertThat(condition(restoring, Condition.RECONCILING).message())
        .isEqualTo("restored in 0 of 2 target clusters; restoring in kurator-member2; waiting for Velero's sync in kurator-member3");
    assertThat(restoring.conditions()).extracting(Condition::type).doesNotContain(Condition.STALLED);
    assertThat(restoring.problems()).isEmpty();

    o.member(M2).restore(M2 + "-migrate-default-shop-to-members", SOURCE, VeleroPhase.COMPLETED, t("2026-11-25T14:02:00Z"));
    o.member(M3).synced(SOURCE, "readonly-kurator-member1", VeleroPhase.COMPLETED, t("2026-11-25T14:02:00Z"))
        .restore(M3 + "-migrate-default-shop-to-members", SOURCE, VeleroPhase.COMPLETED, t("2026-11-25T14:03:00Z"));
    o.member(M2); // the completed restore replaces nothing: the newest of a base is the one shown
    WorkflowStatus done = migration(builder.build(policies, completedOnly(o)));
    assertThat(done.phase()).isEqualTo("Completed");
    assertThat(condition(done, Condition.READY)).satisfies(c -> {
      assertThat(c.status()).isEqualTo(Condition.Status.True);
      assertThat(c.message()).isEqualTo("restored in 2 of 2 target clusters");
      assertThat(c.lastTransitionTime()).isEqualTo(t("2026-11-25T14:03:30Z"));
    });
  }

  /** The fake member keeps every restore added; for the completed case rebuild it with the finished ones only. */
  private static FleetObservation completedOnly(Observations o) {
    FleetObservation f = o.fleet();
    java.util.Map<String, MemberObservation> members = new java.util.HashMap<>();
    f.members().forEach((name, m) -> members.put(name, new MemberObservation(name, m.backups(),
        m.restores().stream().filter(r -> r.run().phase().isFinished()).toList(), m.schedules(), m.locations(), m.server())));
    return new FleetObservation(members, f.failures());
  }

  @Test
  void aTargetWaitingForSyncLongerThanTheTimeoutIsStalledButStillRestoring() {
    Observations o = new Observations();
    o.member(M1).backup(SOURCE, 1, "h", VeleroPhase.COMPLETED, t("2026-11-25T14:00:00Z"));
    o.member(M2).location("readonly-kurator-member1", "Unavailable", "NoSuchBucket");
    o.member(M3);
    WorkflowStatus status = migration(builder(NOW).build(policies, o.fleet()));
    assertThat(status.phase()).isEqualTo("RestoreInProgress");
    assertThat(condition(status, Condition.STALLED)).satisfies(c -> {
      assertThat(c.reason()).isEqualTo("SyncTimeout");
      assertThat(c.lastTransitionTime()).isEqualTo(t("2026-11-25T14:10:30Z"));
    });
    assertThat(status.clusters().get(1).waitingFor()).hasValueSatisfying(w -> assertThat(w)
        .endsWith("; location readonly-kurator-member1 is Unavailable: NoSuchBucket"));
  }

  @Test
  void aFailedSourceBackupFailsTheMigrationWithoutRepeatingVelerosReason() {
    Observations o = new Observations();
    o.member(M1).backup(SOURCE, 1, "h", VeleroPhase.FAILED, t("2026-11-25T14:00:00Z"));
    o.member(M2);
    o.member(M3);
    WorkflowStatus status = migration(builder(NOW).build(policies, o.fleet()));
    assertThat(status.phase()).isEqualTo("Failed");
    assertThat(condition(status, Condition.STALLED).message())
        .isEqualTo("backup " + SOURCE + " Failed in kurator-member1; not retried, a changed policy in Git makes a new run");
    assertThat(status.clusters().get(0).current().orElseThrow().failureReason()).contains("upload failed: the bucket is gone");
    assertThat(status.problems()).isEmpty();

    Observations invalid = new Observations();
    invalid.member(M1).backup(SOURCE, 1, "h", VeleroPhase.FAILED_VALIDATION, t("2026-11-25T14:00:00Z"));
    assertThat(migration(builder(NOW).build(policies, invalid.fleet())).phase()).isEqualTo("FailedValidation");
  }

  @Test
  void aFailedImmediateBackupIsFailedAndStalledAndEveryOtherClusterStillShows() {
    Observations o = new Observations();
    String base = "-backup-default-select-labels";
    o.member(M1).backup(M1 + base, 1, "h", VeleroPhase.COMPLETED, t("2026-11-25T14:00:00Z"));
    o.member(M2).backup(M2 + base, 1, "h", VeleroPhase.FAILED, t("2026-11-25T14:00:00Z"));
    o.member(M3).location("default", "Unavailable", "dial tcp: connection refused");
    WorkflowStatus status = backup(builder(NOW).build(policies, o.fleet()), "select-labels");
    assertThat(status.phase()).isEqualTo("Failed");
    assertThat(condition(status, Condition.READY).reason()).isEqualTo("BackupFailed");
    assertThat(condition(status, Condition.STALLED).lastTransitionTime()).isEqualTo(t("2026-11-25T14:00:30Z"));
    assertThat(status.clusters().get(2).waitingFor())
        .contains("location default is Unavailable: dial tcp: connection refused; the run is created once it is Available");
    assertThat(status.problems()).isEmpty();
  }

  @Test
  void anImmediateBackupCompletedEverywhereIsReadyFromItsLastCompletion() {
    Observations o = new Observations();
    String base = "-backup-default-select-labels";
    o.member(M1).backup(M1 + base, 1, "h", VeleroPhase.COMPLETED, t("2026-11-25T14:00:00Z"));
    o.member(M2).backup(M2 + base, 1, "h", VeleroPhase.COMPLETED, t("2026-11-25T14:05:00Z"));
    o.member(M3).backup(M3 + base, 1, "old", VeleroPhase.COMPLETED, t("2026-11-24T14:00:00Z"))
        .backup(M3 + base, 2, "h", VeleroPhase.COMPLETED, t("2026-11-25T14:01:00Z"));
    WorkflowStatus status = backup(builder(NOW).build(policies, o.fleet()), "select-labels");
    assertThat(status.phase()).isEqualTo("Completed");
    assertThat(status.clusters().get(2).current().orElseThrow().name()).isEqualTo(M3 + base + "-2");
    assertThat(condition(status, Condition.READY)).satisfies(c -> {
      assertThat(c.reason()).isEqualTo("Succeeded");
      assertThat(c.message()).isEqualTo("3 of 3 clusters completed");
      assertThat(c.lastTransitionTime()).isEqualTo(t("2026-11-25T14:05:30Z"));
    });
  }

  @Test
  void aScheduleWithoutACompletedRunForTwoIntervalsBreaksItsPromise() {
    Observations o = new Observations();
    for (String m : List.of(M1, M2, M3)) {
      o.member(m).schedule(m + "-backup-default-nightly", "0 2 * * *", "Enabled", t("2026-11-01T10:00:00Z"));
    }
    o.member(M1).scheduleRun(NIGHTLY, "20261125020000", VeleroPhase.COMPLETED, t("2026-11-25T02:00:00Z"));
    o.member(M2).scheduleRun(M2 + "-backup-default-nightly", "20261122020000", VeleroPhase.COMPLETED, t("2026-11-22T02:00:00Z"))
        .scheduleRun(M2 + "-backup-default-nightly", "20261125020000", VeleroPhase.PARTIALLY_FAILED, t("2026-11-25T02:00:00Z"));
    o.member(M3).scheduleRun(M3 + "-backup-default-nightly", "20261124020000", VeleroPhase.COMPLETED, t("2026-11-24T02:00:00Z"));

    WorkflowStatus status = backup(builder(NOW).build(policies, o.fleet()), "nightly");

    assertThat(status.phase()).isEqualTo("Failed");
    assertThat(status.schedule()).contains("0 2 * * *");
    assertThat(status.problems()).containsExactly(
        "kurator-member2: no completed run since 2026-11-22 02:00 (the schedule promises one every 24 h)");
    assertThat(condition(status, Condition.READY)).satisfies(c -> {
      assertThat(c.status()).isEqualTo(Condition.Status.False);
      assertThat(c.reason()).isEqualTo("ScheduleMissed");
      assertThat(c.lastTransitionTime()).isEqualTo(t("2026-11-24T02:01:30Z"));
    });
    ClusterRun m2 = status.clusters().get(1);
    assertThat(m2.current().orElseThrow().phase()).isEqualTo(VeleroPhase.PARTIALLY_FAILED);
    assertThat(m2.lastCompleted().orElseThrow().name()).isEqualTo(M2 + "-backup-default-nightly-20261122020000");
  }

  @Test
  void eachClustersHistoryIsItsNewestTenRunsWithinTheirTtlOldestFirst() {
    Observations o = new Observations();
    o.member(M1).schedule(NIGHTLY, "0 2 * * *", "Enabled", t("2026-11-01T10:00:00Z"));
    for (int day = 14; day <= 24; day++) {
      o.member(M1).scheduleRun(NIGHTLY, "202611" + day + "020000", day == 20 ? VeleroPhase.FAILED : VeleroPhase.COMPLETED,
          t("2026-11-" + day + "T02:00:00Z"));
    }
    o.member(M1).expiredScheduleRun(NIGHTLY, "20261125020000", t("2026-11-25T02:00:00Z"), t("2026-11-25T14:00:00Z"));

    ClusterRun m1 = backup(builder(NOW).build(policies, o.fleet()), "nightly").clusters().get(0);
    ClusterRun before = backup(builder(t("2026-11-25T13:00:00Z")).build(policies, o.fleet()), "nightly").clusters().get(0);

    assertThat(m1.history()).extracting(VeleroRun::name).as("the newest ten, the expired one left out")
        .containsExactlyElementsOf(IntStream.rangeClosed(15, 24).mapToObj(day -> NIGHTLY + "-202611" + day + "020000").toList());
    assertThat(m1.history().get(5).phase()).isEqualTo(VeleroPhase.FAILED);
    assertThat(before.history()).extracting(VeleroRun::name).as("before its TTL ran out, the newest run counts")
        .endsWith(NIGHTLY + "-20261124020000", NIGHTLY + "-20261125020000").hasSize(10);
  }

  @Test
  void aScheduleKeepingItsPromiseIsEnabledAndReady() {
    Observations o = new Observations();
    for (String m : List.of(M1, M2, M3)) {
      o.member(m).schedule(m + "-backup-default-nightly", "0 2 * * *", "Enabled", t("2026-11-24T10:00:00Z"))
          .scheduleRun(m + "-backup-default-nightly", "20261125020000", VeleroPhase.COMPLETED, t("2026-11-25T02:00:00Z"));
    }
    WorkflowStatus status = backup(builder(NOW).build(policies, o.fleet()), "nightly");
    assertThat(status.phase()).isEqualTo("Enabled");
    assertThat(status.problems()).isEmpty();
    assertThat(condition(status, Condition.READY)).satisfies(c -> {
      assertThat(c.status()).isEqualTo(Condition.Status.True);
      assertThat(c.message()).isEqualTo("next run 2026-11-26 02:00");
    });
  }

  @Test
  void aPausedScheduleIsPausedAndReadyNotMissedWhileVeleroLeavesItWithoutAPhase() {
    PolicySet paused = Observations.samplePolicies(dir.resolve("paused"), nightly -> nightly + "    paused: true\n");
    Observations o = new Observations();
    for (String m : List.of(M1, M2, M3)) {
      o.member(m).schedule(m + "-backup-default-nightly", "0 2 * * *", "", t("2026-11-01T10:00:00Z"));
    }

    WorkflowStatus status = backup(builder(NOW).build(paused, o.fleet()), "nightly");

    assertThat(status.phase()).isEqualTo("Paused");
    assertThat(status.problems()).isEmpty();
    assertThat(condition(status, Condition.READY)).satisfies(c -> {
      assertThat(c.status()).isEqualTo(Condition.Status.True);
      assertThat(c.reason()).isEqualTo("SchedulePaused");
    });
    assertThat(backup(builder(NOW).build(policies, o.fleet()), "nightly").phase()).as("the same Schedules, not paused").isEqualTo("Failed");
  }

  @Test
  void aNewScheduleIsNotReportedMissingBeforeItHadItsChance() {
    Observations o = new Observations();
    for (String m : List.of(M1, M2, M3)) {
      o.member(m).schedule(m + "-backup-default-nightly", "0 2 * * *", "Enabled", t("2026-11-25T10:00:00Z"));
    }
    assertThat(backup(builder(NOW).build(policies, o.fleet()), "nightly").phase()).isEqualTo("Enabled");
    assertThat(backup(builder(t("2026-11-27T11:00:00Z")).build(policies, o.fleet()), "nightly").problems())
        .hasSize(3).allMatch(p -> p.contains("no completed run since the schedule was created at 2026-11-25 10:00"));
  }

  @Test
  void aRestoreOfAScheduleWithoutACompletedRunWaitsForBackupAndSaysSo() {
    Observations o = new Observations();
    o.member(M1).schedule(NIGHTLY, "0 2 * * *", "Enabled", t("2026-11-25T13:45:10Z"));
    WorkflowStatus status = restore(builder(NOW).build(policies, o.fleet()), "nightly-restore");
    assertThat(status.phase()).isEqualTo("Pending");
    assertThat(condition(status, Condition.READY)).satisfies(c -> {
      assertThat(c.status()).isEqualTo(Condition.Status.False);
      assertThat(c.reason()).isEqualTo("WaitingForBackup");
      assertThat(c.message()).isEqualTo("Backup default/nightly has no completed run to restore in kurator-member1");
      assertThat(c.lastTransitionTime()).isEqualTo(t("2026-11-25T13:45:10Z"));
    });
    assertThat(condition(status, Condition.RECONCILING).reason()).isEqualTo("WaitingForBackup");
    assertThat(status.clusters()).singleElement().satisfies(r -> {
      assertThat(r.role()).isEqualTo("restore");
      assertThat(r.waitingFor()).contains("a completed run of schedule " + NIGHTLY);
    });
  }

  @Test
  void aRestoreWhoseBackupRunFailedCannotRunAndSaysWhyOnce() {
    Observations o = new Observations();
    o.member(M1).backup(M1 + "-backup-default-shop-pre-upgrade", 1, "h", VeleroPhase.FAILED, t("2026-11-25T14:00:00Z"));
    WorkflowStatus status = restore(builder(NOW).build(policies, o.fleet()), "shop-rollback");
    assertThat(status.phase()).isEqualTo("Failed");
    assertThat(condition(status, Condition.STALLED).reason()).isEqualTo("BackupFailed");
    assertThat(status.problems()).containsExactly("kurator-member1: cannot restore, backup run " + M1
        + "-backup-default-shop-pre-upgrade Failed: upload failed: the bucket is gone");
  }

  @Test
  void aConditionKeepsItsTransitionTimeWhileItsStatusStays() {
    StatusBuilder builder = new StatusBuilder(new SteppingClock(NOW), Duration.ofMinutes(10));
    Observations o = new Observations(); // nothing created yet: no time in the objects, so the first pass's time
    o.member(M1);
    o.member(M2);
    o.member(M3);
    Instant first = condition(backup(builder.build(policies, o.fleet()), "select-labels"), Condition.READY).lastTransitionTime();
    Instant second = condition(backup(builder.build(policies, o.fleet()), "select-labels"), Condition.READY).lastTransitionTime();
    assertThat(first).isEqualTo(NOW);
    assertThat(second).isEqualTo(first);
  }

  @Test
  void anUnreadableClusterLeavesItsRunsUnknownWithoutInventingAProblem() {
    Observations o = new Observations().unreachable(M3, "cannot reach https://10.0.0.3:6443: i/o timeout");
    o.member(M1);
    o.member(M2);
    WorkflowStatus status = backup(builder(NOW).build(policies, o.fleet()), "select-labels");
    assertThat(status.clusters().get(2)).satisfies(r -> {
      assertThat(r.current()).isEmpty();
      assertThat(r.waitingFor()).isEmpty();
    });
    assertThat(status.problems()).isEmpty();
  }

  /** A clock that moves a minute every time it is read. */
  private static final class SteppingClock extends Clock {
    private Instant now;

    SteppingClock(Instant start) {
      this.now = start;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      Instant t = now;
      now = now.plusSeconds(60);
      return t;
    }
  }

  private static WorkflowStatus backup(WorkflowStatuses s, String name) {
    return s.backups().stream().filter(w -> w.id().name().equals(name)).findFirst().orElseThrow();
  }

  private static WorkflowStatus restore(WorkflowStatuses s, String name) {
    return s.restores().stream().filter(w -> w.id().name().equals(name)).findFirst().orElseThrow();
  }

  private static WorkflowStatus migration(WorkflowStatuses s) {
    return s.migrations().get(0);
  }

  private static Condition condition(WorkflowStatus w, String type) {
    Optional<Condition> c = w.conditions().stream().filter(x -> x.type().equals(type)).findFirst();
    assertThat(c).as(type + " in " + w).isPresent();
    return c.get();
  }
}
