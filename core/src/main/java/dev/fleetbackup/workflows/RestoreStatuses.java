package dev.fleetbackup.workflows;

import dev.fleetbackup.model.Backup;
import dev.fleetbackup.model.ClusterRun;
import dev.fleetbackup.model.Condition;
import dev.fleetbackup.model.Restore;
import dev.fleetbackup.model.VeleroPhase;
import dev.fleetbackup.model.VeleroRun;
import dev.fleetbackup.observe.FleetObservation;
import dev.fleetbackup.plan.WorkflowRuns;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The status of a Restore across its clusters: each cluster's Velero Restore, or what it waits
 * for. A restore with no completed backup run to restore waits and says so (Kurator's stalls
 * silently); one whose backup run failed cannot run and says why.
 */
final class RestoreStatuses {
  private RestoreStatuses() {}

  static Assessment of(Restore restore, Backup backup, List<String> clusters, FleetObservation observed) {
    List<ClusterRun> runs = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    List<VeleroRun> current = new ArrayList<>();
    List<String> waiting = new ArrayList<>();
    List<String> blocked = new ArrayList<>();
    Optional<Instant> waitingSince = Optional.empty();
    Optional<Instant> blockedSince = Optional.empty();
    for (String cluster : clusters) {
      Step step = backup.isScheduled() ? Steps.scheduledRestore(observed, cluster, restore, backup)
          : Steps.immediateRestore(observed, cluster, restore, backup, Optional.empty());
      String planned = WorkflowRuns.runName(WorkflowRuns.restoreRunBase(cluster, restore), 1);
      if (step instanceof Step.Done done) {
        VeleroRun run = done.run().run();
        current.add(run);
        runs.add(new ClusterRun(cluster, "restore", Optional.of(run.name()), Optional.of(run),
            Optional.of(run).filter(r -> r.phase() == VeleroPhase.COMPLETED), Optional.empty()));
      } else if (step instanceof Step.Ready ready) {
        waiting.add(cluster);
        runs.add(new ClusterRun(cluster, "restore", Optional.of(planned), Optional.empty(), Optional.empty(),
            Optional.of("the restore of backup run " + ready.backupName() + " to be created")));
      } else if (step instanceof Step.Waiting w) {
        waiting.add(cluster);
        waitingSince = BackupStatuses.earliest(waitingSince, w.since());
        runs.add(new ClusterRun(cluster, "restore", Optional.of(planned), Optional.empty(), Optional.empty(), Optional.of(w.waitingFor())));
      } else if (step instanceof Step.Blocked b) {
        blocked.add(cluster);
        blockedSince = BackupStatuses.earliest(blockedSince, b.since());
        problems.add(cluster + ": cannot restore, " + b.reason());
        runs.add(new ClusterRun(cluster, "restore", Optional.of(planned), Optional.empty(), Optional.empty(), Optional.of(b.waitingFor())));
      }
    }
    List<Draft> conditions = new ArrayList<>();
    List<VeleroRun> failed = current.stream().filter(r -> r.phase() == VeleroPhase.FAILED || r.phase() == VeleroPhase.FAILED_VALIDATION).toList();
    if (!blocked.isEmpty() || !failed.isEmpty()) {
      String reason = failed.isEmpty() ? "BackupFailed" : "RestoreFailed";
      List<String> why = new ArrayList<>();
      failed.forEach(r -> why.add("run " + r.name() + " " + r.phaseText() + " in " + r.cluster()));
      if (!blocked.isEmpty()) {
        why.add("the backup has no usable run in " + Words.and(blocked));
      }
      Optional<Instant> since = failed.stream().map(r -> r.completed().or(r::started)).flatMap(Optional::stream)
          .min(Comparator.naturalOrder());
      since = BackupStatuses.earliest(since, blockedSince);
      String message = String.join("; ", why) + "; not retried, a changed policy in Git makes a new run";
      conditions.add(Draft.ready(Condition.Status.False, reason, message, since));
      conditions.add(Draft.stalled(reason, message, since));
      return new Assessment("Failed", conditions, runs, problems);
    }
    long completed = current.stream().filter(r -> r.phase() == VeleroPhase.COMPLETED).count();
    if (!waiting.isEmpty()) {
      String message = "Backup " + backup.id().qualifiedName() + " has no completed run to restore in " + Words.and(waiting);
      conditions.add(Draft.ready(Condition.Status.False, "WaitingForBackup", message, waitingSince));
      conditions.add(Draft.reconciling("WaitingForBackup", message, waitingSince));
      return new Assessment(current.isEmpty() ? "Pending" : "InProgress", conditions, runs, problems);
    }
    List<String> running = current.stream().filter(r -> !r.phase().isFinished()).map(VeleroRun::cluster).toList();
    if (!running.isEmpty()) {
      Optional<Instant> since = current.stream().map(VeleroRun::started).flatMap(Optional::stream).min(Comparator.naturalOrder());
      conditions.add(Draft.ready(Condition.Status.Unknown, "Progressing", completed + " of " + clusters.size() + " clusters restored", since));
      conditions.add(Draft.reconciling("RestoreInProgress", "restoring in " + Words.and(running), since));
      return new Assessment("InProgress", conditions, runs, problems);
    }
    Optional<Instant> end = current.stream().map(VeleroRun::completed).flatMap(Optional::stream).max(Comparator.naturalOrder());
    List<VeleroRun> partial = current.stream().filter(r -> r.phase() == VeleroPhase.PARTIALLY_FAILED).toList();
    if (!partial.isEmpty()) {
      conditions.add(Draft.ready(Condition.Status.False, "PartiallyFailed", Words.and(partial.stream()
          .map(r -> r.cluster() + ": run " + r.name() + " " + Words.count(r.errors(), "error", "errors")).toList()), end));
      return new Assessment("PartiallyFailed", conditions, runs, problems);
    }
    conditions.add(Draft.ready(Condition.Status.True, "Succeeded", completed + " of " + clusters.size() + " clusters restored", end));
    return new Assessment("Completed", conditions, runs, problems);
  }
}
