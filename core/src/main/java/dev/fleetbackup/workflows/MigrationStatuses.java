package dev.fleetbackup.workflows;

import dev.fleetbackup.model.ClusterRun;
import dev.fleetbackup.model.Condition;
import dev.fleetbackup.model.Migrate;
import dev.fleetbackup.model.VeleroPhase;
import dev.fleetbackup.model.VeleroRun;
import dev.fleetbackup.observe.FleetObservation;
import dev.fleetbackup.observe.ObservedRun;
import dev.fleetbackup.plan.Conventions;
import dev.fleetbackup.plan.WorkflowRuns;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The status of a Migrate: {@code Pending → BackupInProgress → RestoreInProgress → Completed}, or
 * {@code Failed}/{@code FailedValidation} with Velero's reason when a run fails. A target waiting
 * for Velero's sync is progress; waiting longer than the sync timeout after the backup completed
 * is Stalled (the read-only location is the usual cause, and the message says how it stands).
 */
final class MigrationStatuses {
  private MigrationStatuses() {}

  static Assessment of(Migrate migrate, List<String> sources, List<String> targets, FleetObservation observed,
      Instant now, Duration syncTimeout) {
    List<Draft> conditions = new ArrayList<>();
    if (sources.size() != 1) {
      String message = "sourceCluster selects " + Words.count(sources.size(), "cluster", "clusters") + "; a migration needs exactly one";
      conditions.add(Draft.ready(Condition.Status.False, "FailedValidation", message, Optional.empty()));
      conditions.add(Draft.stalled("FailedValidation", message, Optional.empty()));
      return new Assessment("FailedValidation", conditions, List.of(), List.of(message));
    }
    String source = sources.get(0);
    List<ClusterRun> runs = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    Optional<ObservedRun> backup = Steps.migrationSource(observed, source, migrate);
    Optional<String> sourceWait = Optional.empty();
    if (backup.isEmpty()) {
      sourceWait = Optional.of(observed.member(source)
          .map(m -> m.location(Conventions.DEFAULT_LOCATION).filter(l -> !l.available())
              .map(l -> l.describe() + "; the backup is created once it is Available").orElse("the backup to be created"))
          .orElse(observed.unread(source)));
    }
    runs.add(new ClusterRun(source, "source",
        Optional.of(backup.map(ObservedRun::name).orElse(WorkflowRuns.runName(WorkflowRuns.migrationRunBase(source, migrate), 1))),
        backup.map(ObservedRun::run), backup.map(ObservedRun::run).filter(r -> r.phase() == VeleroPhase.COMPLETED), sourceWait));

    List<VeleroRun> restores = new ArrayList<>();
    List<String> syncing = new ArrayList<>();
    Optional<Instant> syncingSince = Optional.empty();
    for (String target : targets) {
      Step step = Steps.migrationTarget(observed, target, migrate, source, Optional.empty());
      String planned = WorkflowRuns.runName(WorkflowRuns.migrationRunBase(target, migrate), 1);
      if (step instanceof Step.Done done) {
        VeleroRun run = done.run().run();
        restores.add(run);
        runs.add(new ClusterRun(target, "target", Optional.of(run.name()), Optional.of(run),
            Optional.of(run).filter(r -> r.phase() == VeleroPhase.COMPLETED), Optional.empty()));
      } else {
        String waitingFor = step instanceof Step.Waiting w ? w.waitingFor()
            : step instanceof Step.Blocked b ? b.waitingFor()
            : "the restore of backup " + ((Step.Ready) step).backupName() + " to be created";
        if (step instanceof Step.Waiting w && waitingFor.startsWith("Velero's sync")) {
          syncing.add(target);
          syncingSince = BackupStatuses.earliest(syncingSince, w.since());
        }
        runs.add(new ClusterRun(target, "target", Optional.of(planned), Optional.empty(), Optional.empty(), Optional.of(waitingFor)));
      }
    }

    if (backup.isPresent() && backup.get().run().phase().isFailure()) {
      VeleroRun b = backup.get().run();
      String phase = b.phase() == VeleroPhase.FAILED_VALIDATION ? "FailedValidation" : "Failed";
      String message = "backup " + b.name() + " " + b.phaseText() + " in " + source
          + "; not retried, a changed policy in Git makes a new run";
      Optional<Instant> since = b.completed().or(b::started).or(backup.get()::created);
      conditions.add(Draft.ready(Condition.Status.False, "BackupFailed", message, since));
      conditions.add(Draft.stalled("BackupFailed", message, since));
      return new Assessment(phase, conditions, runs, problems);
    }
    List<VeleroRun> failed = restores.stream().filter(r -> r.phase().isFailure()).toList();
    if (!failed.isEmpty()) {
      boolean validation = failed.stream().allMatch(r -> r.phase() == VeleroPhase.FAILED_VALIDATION);
      String message = "restore " + Words.and(failed.stream().map(r -> r.name() + " " + r.phaseText() + " in " + r.cluster()).toList())
          + "; not retried, a changed policy in Git makes a new run";
      Optional<Instant> since = failed.stream().map(r -> r.completed().or(r::started)).flatMap(Optional::stream).min(Comparator.naturalOrder());
      conditions.add(Draft.ready(Condition.Status.False, "RestoreFailed", message, since));
      conditions.add(Draft.stalled("RestoreFailed", message, since));
      return new Assessment(validation ? "FailedValidation" : "Failed", conditions, runs, problems);
    }
    if (backup.isEmpty()) {
      conditions.add(Draft.ready(Condition.Status.Unknown, "Progressing", "waiting for the backup in " + source, Optional.empty()));
      conditions.add(Draft.reconciling("Pending", "waiting for " + sourceWait.orElse("the backup") + " in " + source, Optional.empty()));
      return new Assessment("Pending", conditions, runs, problems);
    }
    VeleroRun b = backup.get().run();
    Optional<Instant> started = backup.get().created().or(b::started);
    if (b.phase() != VeleroPhase.COMPLETED) {
      conditions.add(Draft.ready(Condition.Status.Unknown, "Progressing", "backing up in " + source, started));
      conditions.add(Draft.reconciling("BackupInProgress", "backup " + b.name() + " " + b.phaseText() + " in " + source, started));
      return new Assessment("BackupInProgress", conditions, runs, problems);
    }
    long completed = restores.stream().filter(r -> r.phase() == VeleroPhase.COMPLETED).count();
    if (completed == targets.size()) {
      Optional<Instant> end = restores.stream().map(VeleroRun::completed).flatMap(Optional::stream).max(Comparator.naturalOrder());
      conditions.add(Draft.ready(Condition.Status.True, "Succeeded", "restored in " + completed + " of " + targets.size()
          + " target clusters", end));
      return new Assessment("Completed", conditions, runs, problems);
    }
    List<String> restoring = restores.stream().filter(r -> !r.phase().isFinished()).map(VeleroRun::cluster).toList();
    String message = "restored in " + completed + " of " + targets.size() + " target clusters"
        + (restoring.isEmpty() ? "" : "; restoring in " + Words.and(restoring))
        + (syncing.isEmpty() ? "" : "; waiting for Velero's sync in " + Words.and(syncing));
    conditions.add(Draft.ready(Condition.Status.Unknown, "Progressing", message, started));
    conditions.add(Draft.reconciling("RestoreInProgress", message, b.completed()));
    if (syncingSince.isPresent() && Duration.between(syncingSince.get(), now).compareTo(syncTimeout) > 0) {
      conditions.add(Draft.stalled("SyncTimeout", "backup " + b.name() + " has not appeared in " + Words.and(syncing) + " "
          + Words.duration(syncTimeout) + " after it completed; Velero syncs every minute from an Available location "
          + WorkflowRuns.readOnlyLocation(source), Optional.of(syncingSince.get().plus(syncTimeout))));
    }
    return new Assessment("RestoreInProgress", conditions, runs, problems);
  }
}
