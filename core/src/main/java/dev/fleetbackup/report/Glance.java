package dev.fleetbackup.report;

import dev.fleetbackup.model.ClusterRun;
import dev.fleetbackup.model.ClusterState;
import dev.fleetbackup.model.VeleroPhase;
import dev.fleetbackup.model.VeleroRun;
import dev.fleetbackup.model.WorkflowStatus;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The page at a glance: the problems counted by kind, worst first, and the level of the banner
 * that shows them (GitHub's alert types). README's banner, status.json's {@code summary.counts} and
 * {@code summary.level} say the same.
 */
record Glance(Level level, List<Count> counts, int attention) {

  /** The banner's alert type, worst first. */
  enum Level {
    /** something failed or cannot be seen: a person is needed */
    CAUTION,
    /** something is not well, and may become a failure */
    WARNING,
    /** nothing is wrong, runs are under way */
    NOTE,
    /** all good */
    TIP;

    String json() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** A kind of problem, its key in status.json, its words, and how bad one is. */
  record Count(String key, long n, String singular, String plural, Level level) {
    String words() {
      return Text.count(n, singular, plural);
    }
  }

  Glance {
    counts = List.copyOf(counts);
  }

  static Glance of(StatusReport report) {
    List<ClusterState> clusters = report.clusters();
    List<WorkflowStatus> workflows = Stream.of(report.backups(), report.restores(), report.migrations())
        .flatMap(List::stream).toList();
    List<VeleroRun> current = workflows.stream().flatMap(w -> w.clusters().stream())
        .map(ClusterRun::current).flatMap(Optional::stream).toList();
    List<Count> counts = List.of(
        new Count("rejectedCommits", report.rejected().isPresent() ? 1 : 0, "rejected commit", "rejected commits", Level.CAUTION),
        new Count("fetchFailures", report.sourceProblem().isPresent() ? 1 : 0, "failed fetch", "failed fetches", Level.CAUTION),
        new Count("unreachableClusters", clusters.stream().filter(c -> !c.reachable()).count(),
            "unreachable cluster", "unreachable clusters", Level.CAUTION),
        new Count("failedClusters", clusters.stream().filter(c -> c.reachable() && c.failed()).count(),
            "cluster failed", "clusters failed", Level.CAUTION),
        new Count("failedRuns", current.stream().filter(r -> r.phase() == VeleroPhase.FAILED
            || r.phase() == VeleroPhase.FAILED_VALIDATION).count(), "failed run", "failed runs", Level.CAUTION),
        new Count("failedWorkflows", workflows.stream().filter(Runs::failed).count(),
            "failed workflow", "failed workflows", Level.CAUTION),
        new Count("partiallyFailedRuns", current.stream().filter(r -> r.phase() == VeleroPhase.PARTIALLY_FAILED).count(),
            "partially failed run", "partially failed runs", Level.WARNING),
        new Count("clustersNotReady", clusters.stream()
            .filter(c -> c.reachable() && !c.failed() && !(c.veleroReady() && c.backupLocationAvailable())).count(),
            "cluster not ready", "clusters not ready", Level.WARNING),
        new Count("clusterWarnings", clusters.stream().mapToLong(c -> c.warnings().size()).sum(),
            "cluster warning", "cluster warnings", Level.WARNING),
        new Count("runsInProgress", current.stream().filter(r -> !r.phase().isFinished()).count(),
            "run in progress", "runs in progress", Level.NOTE));
    int attention = Attention.of(report).size();
    Level level = counts.stream().filter(c -> c.n() > 0).map(Count::level).min(Enum::compareTo)
        .orElse(Level.TIP);
    if (attention > 0 && level.compareTo(Level.WARNING) > 0) {
      level = Level.WARNING; // a wait that needs a person, counted under no kind of its own
    }
    return new Glance(level, counts, attention);
  }

  /** The kinds that occur, worst first. */
  List<Count> present() {
    return counts.stream().filter(c -> c.n() > 0).sorted(Comparator.comparing(Count::level)).toList();
  }
}
