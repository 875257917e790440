package dev.fleetbackup.report;

import static dev.fleetbackup.report.Text.UNKNOWN;

import dev.fleetbackup.model.ClusterRun;
import dev.fleetbackup.model.ClusterState;
import dev.fleetbackup.model.WorkflowStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** What the Markdown and the terminal view share: fleets, cluster columns, cluster cells. */
final class Layout {
  /** More clusters than this and a workflow table gets a row per cluster instead of a column. */
  static final int MAX_CLUSTER_COLUMNS = 5;

  private Layout() {}

  /** Clusters grouped by fleet, fleets and clusters in the report's order. */
  static Map<String, List<ClusterState>> fleets(StatusReport report) {
    Map<String, List<ClusterState>> fleets = new LinkedHashMap<>();
    for (ClusterState cluster : report.clusters()) {
      fleets.computeIfAbsent(String.valueOf(cluster.fleet()), f -> new ArrayList<>()).add(cluster);
    }
    return fleets;
  }

  /** Every cluster some workflow runs in: in the report's cluster order, then as they come. */
  static List<String> clusterColumns(StatusReport report, List<WorkflowStatus> workflows) {
    Set<String> used = new LinkedHashSet<>();
    workflows.forEach(w -> w.clusters().forEach(run -> used.add(run.cluster())));
    List<String> columns = new ArrayList<>();
    report.clusters().forEach(c -> {
      if (used.remove(c.cluster())) {
        columns.add(c.cluster());
      }
    });
    columns.addAll(used);
    return columns;
  }

  static Optional<ClusterRun> run(WorkflowStatus workflow, String cluster) {
    return workflow.clusters().stream().filter(r -> r.cluster().equals(cluster)).findFirst();
  }

  /**
   * A cluster's part in a workflow; for a cluster the pass could not reach, what it last said, or
   * {@code ? unreachable}.
   */
  static String cell(StatusReport report, WorkflowStatus workflow, ClusterRun run, Runs.Noun noun, Symbols symbols) {
    boolean unreachable = report.clusters().stream()
        .anyMatch(c -> c.cluster().equals(run.cluster()) && !c.reachable());
    if (unreachable && run.current().isEmpty() && run.lastCompleted().isEmpty() && run.waitingFor().isEmpty()) {
      return symbols.unknown() + " unreachable";
    }
    String cell = Runs.cell(run, noun, Runs.waitNeedsAttention(workflow, run), symbols);
    return unreachable ? cell + Text.SEP + "unreachable" : cell;
  }

  static long ready(List<ClusterState> clusters) {
    return clusters.stream().filter(StatusJson::ready).count();
  }

  static String reachable(ClusterState cluster, Symbols symbols) {
    return cluster.reachable() ? symbols.ok() : symbols.fail();
  }

  static String velero(ClusterState cluster, Symbols symbols) {
    if (!cluster.reachable()) {
      return symbols.unknown();
    }
    return (cluster.veleroReady() ? symbols.ok() : symbols.fail()) + cluster.veleroVersion().map(v -> " " + v).orElse("");
  }

  static String backupLocation(ClusterState cluster) {
    return cluster.reachable() && cluster.backupLocationPhase() != null ? cluster.backupLocationPhase() : UNKNOWN;
  }

  static String lastPass(ClusterState cluster) {
    if (!cluster.reachable()) {
      return "failed: unreachable";
    }
    if (cluster.failed()) {
      return "failed";
    }
    ClusterState.ApplySummary apply = cluster.lastApply() == null ? ClusterState.ApplySummary.NONE : cluster.lastApply();
    if (apply.changes() == 0) {
      return "no changes";
    }
    List<String> parts = new ArrayList<>();
    if (apply.created() > 0) {
      parts.add(apply.created() + " created");
    }
    if (apply.configured() > 0) {
      parts.add(apply.configured() + " configured");
    }
    if (apply.deleted() > 0) {
      parts.add(apply.deleted() + " deleted");
    }
    return String.join(", ", parts);
  }

  /** {@code kurator-member1 → kurator-member2, kurator-member3}. */
  static String sourceToTargets(WorkflowStatus migration) {
    String source = migration.clusters().stream().filter(r -> Runs.ROLE_SOURCE.equals(r.role()))
        .map(ClusterRun::cluster).findFirst().orElse(UNKNOWN);
    List<String> targets = migration.clusters().stream().filter(r -> Runs.ROLE_TARGET.equals(r.role()))
        .map(ClusterRun::cluster).toList();
    return source + " → " + (targets.isEmpty() ? UNKNOWN : String.join(", ", targets));
  }

  /**
   * {@code backup ✓ Nov 25 13:55 · 412 items; restore kurator-member2 ✓ Nov 25 13:58 · 412 restored;
   * kurator-member3 ⏳ InProgress 41%}.
   */
  static String migrationSteps(WorkflowStatus migration, Symbols symbols) {
    StringBuilder steps = new StringBuilder("backup ");
    steps.append(migration.clusters().stream().filter(r -> Runs.ROLE_SOURCE.equals(r.role())).findFirst()
        .map(r -> Runs.cell(r, Runs.Noun.BACKUP, Runs.waitNeedsAttention(migration, r), symbols))
        .orElse(Text.NONE));
    List<String> targets = new ArrayList<>();
    for (ClusterRun run : migration.clusters()) {
      if (Runs.ROLE_TARGET.equals(run.role())) {
        targets.add(run.cluster() + " " + Runs.cell(run, Runs.Noun.RESTORE, Runs.waitNeedsAttention(migration, run), symbols));
      }
    }
    if (!targets.isEmpty()) {
      steps.append("; restore ").append(String.join("; ", targets));
    }
    return steps.toString();
  }
}
