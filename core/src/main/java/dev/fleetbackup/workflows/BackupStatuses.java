package dev.fleetbackup.workflows;

import dev.fleetbackup.model.Backup;
import dev.fleetbackup.model.ClusterRun;
import dev.fleetbackup.model.Condition;
import dev.fleetbackup.model.VeleroPhase;
import dev.fleetbackup.model.VeleroRun;
import dev.fleetbackup.model.VeleroSchedule;
import dev.fleetbackup.model.VeleroSchedulePhase;
import dev.fleetbackup.observe.FleetObservation;
import dev.fleetbackup.observe.MemberObservation;
import dev.fleetbackup.observe.ObservedRun;
import dev.fleetbackup.plan.Conventions;
import dev.fleetbackup.plan.WorkflowRuns;
import dev.fleetbackup.validate.VeleroCron;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The status of a Backup across its clusters. Immediate: one run per cluster followed to its end;
 * a failed run is Failed with Velero's reason and never retried. Scheduled: each cluster's last
 * run and last completed run, and whether the schedule keeps its promise: a cluster without a
 * completed run for about two intervals (plus Velero's one-minute schedule check) is a problem.
 */
final class BackupStatuses {
  /** Velero checks schedules once a minute, so a run can come up to a minute after its time. */
  static final Duration SCHEDULE_CHECK = Duration.ofMinutes(1);

  private BackupStatuses() {}

  static Assessment immediate(Backup backup, List<String> clusters, FleetObservation observed, Instant now) {
    List<ClusterRun> runs = new ArrayList<>();
    List<VeleroRun> latest = new ArrayList<>();
    List<String> waiting = new ArrayList<>();
    Optional<Instant> firstCreated = Optional.empty();
    for (String cluster : clusters) {
      String base = WorkflowRuns.backupRunBase(cluster, backup);
      Optional<MemberObservation> member = observed.member(cluster);
      List<ObservedRun> all = member.map(m -> MemberObservation.runsOf(m.backups(), base)).orElse(List.of());
      Optional<ObservedRun> current = all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
      Optional<VeleroRun> lastCompleted = all.stream().map(ObservedRun::run).filter(r -> r.phase() == VeleroPhase.COMPLETED)
          .reduce((a, b) -> b);
      Optional<String> waitingFor = Optional.empty();
      if (current.isEmpty() && member.isPresent()) {
        waitingFor = Optional.of(member.get().location(Conventions.DEFAULT_LOCATION)
            .filter(l -> !l.available()).map(l -> l.describe() + "; the run is created once it is Available")
            .orElse("the run to be created"));
        waiting.add(cluster);
      }
      current.ifPresent(c -> latest.add(c.run()));
      if (current.isPresent() && !current.get().run().phase().isFinished()) {
        firstCreated = earliest(firstCreated, current.get().created());
      }
      runs.add(new ClusterRun(cluster, "backup", Optional.of(current.map(ObservedRun::name).orElse(WorkflowRuns.runName(base, 1))),
          current.map(ObservedRun::run), lastCompleted, waitingFor, history(all, now)));
    }
    return immediatePhase(clusters.size(), latest, waiting, firstCreated, runs);
  }

  private static Assessment immediatePhase(int total, List<VeleroRun> latest, List<String> waiting, Optional<Instant> firstCreated,
      List<ClusterRun> runs) {
    List<VeleroRun> failed = latest.stream().filter(r -> r.phase() == VeleroPhase.FAILED || r.phase() == VeleroPhase.FAILED_VALIDATION).toList();
    List<Draft> conditions = new ArrayList<>();
    long completed = latest.stream().filter(r -> r.phase() == VeleroPhase.COMPLETED).count();
    if (!failed.isEmpty()) {
      // Velero's reason is in each cluster's run, and the report shows it from there: not repeated here.
      String message = "run " + Words.and(failed.stream().map(r -> r.name() + " " + r.phaseText() + " in " + r.cluster()).toList())
          + "; not retried, a changed policy in Git makes a new run";
      Optional<Instant> since = failed.stream().map(r -> r.completed().or(r::started)).flatMap(Optional::stream).min(Comparator.naturalOrder());
      conditions.add(Draft.ready(Condition.Status.False, "BackupFailed", message, since));
      conditions.add(Draft.stalled("BackupFailed", message, since));
      return new Assessment("Failed", conditions, runs, List.of());
    }
    boolean allFinished = waiting.isEmpty() && latest.size() == total && latest.stream().allMatch(r -> r.phase().isFinished());
    if (allFinished) {
      Optional<Instant> end = latest.stream().map(VeleroRun::completed).flatMap(Optional::stream).max(Comparator.naturalOrder());
      List<VeleroRun> partial = latest.stream().filter(r -> r.phase() == VeleroPhase.PARTIALLY_FAILED).toList();
      if (!partial.isEmpty()) {
        conditions.add(Draft.ready(Condition.Status.False, "PartiallyFailed", Words.and(partial.stream()
            .map(r -> r.cluster() + ": run " + r.name() + " " + Words.count(r.errors(), "error", "errors")).toList()), end));
        return new Assessment("PartiallyFailed", conditions, runs, List.of());
      }
      conditions.add(Draft.ready(Condition.Status.True, "Succeeded", completed + " of " + total + " clusters completed", end));
      return new Assessment("Completed", conditions, runs, List.of());
    }
    String progress = completed + " of " + total + " clusters completed";
    if (latest.isEmpty()) {
      conditions.add(Draft.ready(Condition.Status.Unknown, "Progressing", progress, Optional.empty()));
      conditions.add(Draft.reconciling("Pending", "waiting for the runs to be created in " + Words.and(waiting), Optional.empty()));
      return new Assessment("Pending", conditions, runs, List.of());
    }
    List<String> running = latest.stream().filter(r -> !r.phase().isFinished()).map(VeleroRun::cluster).toList();
    conditions.add(Draft.ready(Condition.Status.Unknown, "Progressing", progress, firstCreated));
    conditions.add(Draft.reconciling("BackupInProgress", "backing up in " + Words.and(running)
        + (waiting.isEmpty() ? "" : "; waiting for the runs to be created in " + Words.and(waiting)), firstCreated));
    return new Assessment("InProgress", conditions, runs, List.of());
  }

  static Assessment scheduled(Backup backup, List<String> clusters, FleetObservation observed, Instant now) {
    String expression = backup.spec().schedule().orElseThrow();
    Optional<VeleroCron> cron = VeleroCron.parse(expression).cron();
    Optional<Duration> promise = cron.map(c -> c.intervalAround(now.atZone(ZoneOffset.UTC))); // the same in every cluster
    List<ClusterRun> runs = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    List<String> pending = new ArrayList<>();
    List<String> invalid = new ArrayList<>();
    List<String> lastFailed = new ArrayList<>();
    Optional<Instant> brokenSince = Optional.empty();
    Optional<Instant> enabledSince = Optional.empty();
    // Velero never looks at a paused Schedule: it stays without a phase and makes no run, as asked.
    boolean paused = backup.spec().effectivePolicy().paused().orElse(false);
    for (String cluster : clusters) {
      String name = WorkflowRuns.scheduleName(cluster, backup);
      Optional<MemberObservation> member = observed.member(cluster);
      Optional<VeleroSchedule> schedule = member.flatMap(m -> m.schedule(name));
      List<ObservedRun> all = member.map(m -> m.scheduleRuns(name)).orElse(List.of());
      Optional<ObservedRun> current = all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
      Optional<ObservedRun> completed = member.flatMap(m -> m.newestCompleted(all));
      Optional<String> waitingFor = Optional.empty();
      if (member.isPresent() && schedule.isEmpty()) {
        waitingFor = Optional.of("the schedule to be created");
        pending.add(cluster);
      } else if (schedule.filter(s -> s.status().phase() == VeleroSchedulePhase.FAILED_VALIDATION).isPresent()) {
        invalid.add(cluster);
        problems.add(cluster + ": schedule " + name + " failed validation: " + String.join("; ", schedule.get().status().validationErrors()));
      } else if (schedule.isPresent() && schedule.get().status().phase() != VeleroSchedulePhase.ENABLED && !paused) {
        pending.add(cluster);
      }
      if (current.filter(c -> c.run().phase().isFailure()).isPresent()) {
        lastFailed.add(cluster);
      }
      if (schedule.isPresent() && promise.isPresent() && !paused) {
        Instant reference = completed.flatMap(c -> c.run().completed()).or(() -> schedule.get().metadata().created()).orElse(now);
        Duration allowed = promise.get().multipliedBy(2).plus(SCHEDULE_CHECK);
        if (Duration.between(reference, now).compareTo(allowed) > 0) {
          problems.add(cluster + ": no completed run since " + (completed.isPresent() ? Words.when(reference)
              : "the schedule was created at " + Words.when(reference)) + " (the schedule promises one every " + Words.duration(promise.get()) + ")");
          brokenSince = earliest(brokenSince, Optional.of(reference.plus(allowed)));
        }
        enabledSince = latestOf(enabledSince, schedule.get().metadata().created());
      }
      runs.add(new ClusterRun(cluster, "backup", Optional.of(name), current.map(ObservedRun::run), completed.map(ObservedRun::run),
          waitingFor, history(all, now)));
    }
    List<Draft> conditions = new ArrayList<>();
    if (!invalid.isEmpty()) {
      String message = "the schedule failed Velero's validation in " + Words.and(invalid);
      conditions.add(Draft.ready(Condition.Status.False, "ScheduleInvalid", message, Optional.empty()));
      conditions.add(Draft.stalled("ScheduleInvalid", message, Optional.empty()));
      return new Assessment("Failed", conditions, runs, problems);
    }
    if (paused && pending.isEmpty()) {
      conditions.add(Draft.ready(Condition.Status.True, "SchedulePaused", "paused by spec.policy.paused: no runs until it is"
          + " removed", Optional.empty()));
      return new Assessment("Paused", conditions, runs, problems);
    }
    if (brokenSince.isPresent()) {
      conditions.add(Draft.ready(Condition.Status.False, "ScheduleMissed", Words.count(problems.size(), "cluster has", "clusters have")
          + " no completed run within two schedule intervals", brokenSince));
      return new Assessment("Failed", conditions, runs, problems);
    }
    if (!pending.isEmpty()) {
      conditions.add(Draft.ready(Condition.Status.Unknown, "Progressing", "waiting for the schedule in " + Words.and(pending), Optional.empty()));
      conditions.add(Draft.reconciling("Pending", "waiting for the schedule in " + Words.and(pending), Optional.empty()));
      return new Assessment("Pending", conditions, runs, problems);
    }
    if (!lastFailed.isEmpty()) {
      conditions.add(Draft.ready(Condition.Status.False, "LastRunFailed", "the last run failed in " + Words.and(lastFailed)
          + "; the schedule goes on", Optional.empty()));
      return new Assessment("Enabled", conditions, runs, problems);
    }
    String next = cron.flatMap(c -> c.nextAfter(now.atZone(ZoneOffset.UTC))).map(t -> "next run " + Words.when(t.toInstant())).orElse("enabled");
    conditions.add(Draft.ready(Condition.Status.True, "ScheduleEnabled", next, enabledSince));
    return new Assessment("Enabled", conditions, runs, problems);
  }

  /**
   * The newest runs, oldest first, that are within their TTL: Velero's garbage collection removes an
   * expired Backup within the hour, and until then it is no run to count on.
   */
  static List<VeleroRun> history(List<ObservedRun> runs, Instant now) {
    List<VeleroRun> held = runs.stream().map(ObservedRun::run)
        .filter(r -> r.expiration().filter(e -> !e.isAfter(now)).isEmpty()).toList();
    return held.subList(Math.max(0, held.size() - ClusterRun.HISTORY), held.size());
  }

  static Optional<Instant> earliest(Optional<Instant> a, Optional<Instant> b) {
    return a.isEmpty() ? b : b.isEmpty() ? a : Optional.of(a.get().isBefore(b.get()) ? a.get() : b.get());
  }

  static Optional<Instant> latestOf(Optional<Instant> a, Optional<Instant> b) {
    return a.isEmpty() ? b : b.isEmpty() ? a : Optional.of(a.get().isAfter(b.get()) ? a.get() : b.get());
  }
}
