package dev.fleetbackup.workflows;

import dev.fleetbackup.model.Backup;
import dev.fleetbackup.model.Migrate;
import dev.fleetbackup.model.Restore;
import dev.fleetbackup.model.VeleroPhase;
import dev.fleetbackup.model.VeleroRun;
import dev.fleetbackup.model.VeleroSchedule;
import dev.fleetbackup.model.VeleroSchedulePhase;
import dev.fleetbackup.observe.FleetObservation;
import dev.fleetbackup.observe.MemberObservation;
import dev.fleetbackup.observe.ObservedRun;
import dev.fleetbackup.plan.WorkflowRuns;
import java.util.Optional;

/**
 * The step logic shared by the stage that creates runs and the status: for one cluster of a
 * restore or migration, whether its run exists, can be created, waits, or cannot go on. Pure.
 */
final class Steps {
  private Steps() {}

  /**
   * What is settled before a restore step looks at any backup: a cluster that was not read waits,
   * and a Restore fleet-backup already created there (under {@code restoreBase}) is done — never
   * created twice.
   */
  private static Optional<Step> decided(FleetObservation observed, String cluster, String restoreBase) {
    Optional<MemberObservation> member = observed.member(cluster);
    if (member.isEmpty()) {
      return Optional.of(new Step.Waiting(observed.unread(cluster), Optional.empty()));
    }
    return MemberObservation.latest(member.get().restores(), restoreBase).map(Step.Done::new);
  }

  /** A Restore of a scheduled Backup: the newest Completed run of the cluster's Schedule. */
  static Step scheduledRestore(FleetObservation observed, String cluster, Restore restore, Backup backup) {
    Optional<Step> decided = decided(observed, cluster, WorkflowRuns.restoreRunBase(cluster, restore));
    if (decided.isPresent()) {
      return decided.get();
    }
    MemberObservation member = observed.member(cluster).orElseThrow();
    String schedule = WorkflowRuns.scheduleName(cluster, backup);
    Optional<ObservedRun> completed = member.newestCompleted(member.scheduleRuns(schedule));
    if (completed.isPresent()) {
      return new Step.Ready(completed.get().name());
    }
    Optional<VeleroSchedule> observedSchedule = member.schedule(schedule);
    if (observedSchedule.filter(s -> s.status().phase() == VeleroSchedulePhase.FAILED_VALIDATION).isPresent()) {
      return new Step.Blocked("a completed run of schedule " + schedule, "schedule " + schedule + " failed validation: "
          + String.join("; ", observedSchedule.get().status().validationErrors()), observedSchedule.get().metadata().created());
    }
    return new Step.Waiting("a completed run of schedule " + schedule,
        observedSchedule.flatMap(s -> s.metadata().created()));
  }

  /**
   * A Restore of an immediate Backup: that cluster's current run, once it has finished well.
   *
   * @param plannedHash the spec hash of the Backup run the plan wants, when known: a run of an
   *     earlier policy is not restored
   */
  static Step immediateRestore(FleetObservation observed, String cluster, Restore restore, Backup backup,
      Optional<String> plannedHash) {
    Optional<Step> decided = decided(observed, cluster, WorkflowRuns.restoreRunBase(cluster, restore));
    if (decided.isPresent()) {
      return decided.get();
    }
    MemberObservation member = observed.member(cluster).orElseThrow();
    Optional<ObservedRun> run = MemberObservation.latest(member.backups(), WorkflowRuns.backupRunBase(cluster, backup))
        .filter(r -> plannedHash.isEmpty() || r.specHash().equals(plannedHash));
    if (run.isEmpty()) {
      return new Step.Waiting("a run of Backup " + backup.id().qualifiedName() + " in " + cluster, Optional.empty());
    }
    VeleroRun r = run.get().run();
    if (r.phase() == VeleroPhase.COMPLETED || r.phase() == VeleroPhase.PARTIALLY_FAILED) {
      return new Step.Ready(r.name());
    }
    if (r.phase().isFailure()) {
      return new Step.Blocked("a completed run of Backup " + backup.id().qualifiedName(),
          "backup run " + r.name() + " " + r.phaseText() + r.problem().map(p -> ": " + p).orElse(""), r.completed().or(run.get()::created));
    }
    return new Step.Waiting("backup run " + r.name() + " to complete (" + r.phaseText() + ")", run.get().created());
  }

  /** The migration's Backup in its source: the newest run fleet-backup created there. */
  static Optional<ObservedRun> migrationSource(FleetObservation observed, String source, Migrate migrate) {
    return observed.member(source)
        .flatMap(m -> MemberObservation.latest(m.backups(), WorkflowRuns.migrationRunBase(source, migrate)));
  }

  /**
   * A migration's Restore in one target: once the source's run has Completed and Velero's sync has
   * brought it into the target through the read-only location on the source's prefix.
   *
   * @param plannedHash the spec hash of the source Backup the plan wants, when known: an older run
   *     (from an earlier policy) is not restored
   */
  static Step migrationTarget(FleetObservation observed, String target, Migrate migrate, String source,
      Optional<String> plannedHash) {
    Optional<Step> decided = decided(observed, target, WorkflowRuns.migrationRunBase(target, migrate));
    if (decided.isPresent()) {
      return decided.get();
    }
    MemberObservation member = observed.member(target).orElseThrow();
    if (observed.member(source).isEmpty()) {
      return new Step.Waiting("the source backup; " + observed.unread(source), Optional.empty());
    }
    Optional<ObservedRun> run = migrationSource(observed, source, migrate)
        .filter(r -> plannedHash.isEmpty() || r.specHash().equals(plannedHash));
    if (run.isEmpty()) {
      return new Step.Waiting("the backup in source " + source + " to be created", Optional.empty());
    }
    VeleroRun r = run.get().run();
    if (r.phase().isFailure()) {
      return new Step.Blocked("backup " + r.name() + " in " + source,
          "backup " + r.name() + " " + r.phaseText() + " in " + source + r.problem().map(p -> ": " + p).orElse(""),
          r.completed().or(run.get()::created));
    }
    if (r.phase() != VeleroPhase.COMPLETED) {
      return new Step.Waiting("backup " + r.name() + " to complete in " + source + " (" + r.phaseText() + ")", run.get().created());
    }
    Optional<ObservedRun> synced = member.backup(r.name()).filter(b -> b.run().phase() == VeleroPhase.COMPLETED);
    if (synced.isPresent()) {
      return new Step.Ready(r.name());
    }
    String location = WorkflowRuns.readOnlyLocation(source);
    String how = member.location(location)
        .map(l -> l.available() ? "" : "; " + l.describe())
        .orElse("; location " + location + " does not exist yet");
    return new Step.Waiting("Velero's sync to bring backup " + r.name() + " into " + target + " through location " + location + how,
        r.completed());
  }
}
