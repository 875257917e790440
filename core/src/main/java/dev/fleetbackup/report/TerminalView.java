package dev.fleetbackup.report;

import dev.fleetbackup.model.ClusterRun;
import dev.fleetbackup.model.ClusterState;
import dev.fleetbackup.model.WorkflowStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.Collections;

/**
 * {@code fleet-backup status} in a terminal: the same report as README.md, as plain text with
 * aligned columns (kubectl style), problems first, a row per workflow and cluster so that it fits
 * a terminal however many clusters there are. No colours; every message a cluster or a user wrote
 * is cut and put on one line with its control and format characters shown as escapes
 * ({@link Text#cell}), so that no line of the view is anyone else's.
 */
public final class TerminalView {
  private static final String INDENT = "  ";

  /** The view, lines ending in {@code \n}, as of when the report was written. */
  public String render(StatusReport report) {
    return render(report, Optional.empty());
  }

  /** The view as of {@code now}: how long ago the last pass was, and whether the report is stale. */
  public String render(StatusReport report, Instant now) {
    return render(report, Optional.of(now));
  }

  private String render(StatusReport report, Optional<Instant> now) {
    StatusReport ordered = StatusFiles.ordered(report);
    StringBuilder out = new StringBuilder();
    header(ordered, now, out);
    List<Attention> attention = Attention.of(ordered);
    out.append("\nNeeds attention (").append(attention.size()).append(")\n");
    if (attention.isEmpty()) {
      out.append(INDENT).append("nothing: every cluster answered and every run completed\n");
    } else {
      TextTable table = new TextTable("WHAT", "WHERE", "SINCE", "WHY");
      Attention.Subject previous = null;
      for (Attention row : attention) {
        String what = row.what().equals(previous) ? "" : row.what().plain();
        previous = row.what();
        table.row(List.of(what, row.where().isEmpty() ? Text.NONE : row.where(),
            row.since().map(Text::when).orElse(Text.NONE), row.why()));
      }
      table.appendTo(out, INDENT);
    }
    for (Map.Entry<String, List<ClusterState>> fleet : Layout.fleets(ordered).entrySet()) {
      List<ClusterState> clusters = fleet.getValue();
      out.append("\nFleet ").append(Text.cell(fleet.getKey())).append(": ").append(Layout.ready(clusters))
          .append(" of ").append(Text.count(clusters.size(), "cluster", "clusters")).append(" ready\n");
      TextTable table = new TextTable("CLUSTER", "REACHABLE", "VELERO", "BACKUP LOCATION", "LAST PASS");
      for (ClusterState cluster : clusters) {
        table.row(List.of(cluster.cluster(), Layout.reachable(cluster, Symbols.TERMINAL), Layout.velero(cluster, Symbols.TERMINAL),
            Layout.backupLocation(cluster), Layout.lastPass(cluster)));
      }
      table.appendTo(out, INDENT);
    }
    out.append(sections(ordered));
    return out.toString();
  }

  /** The Backups, Restores and Migrations sections alone, each after a blank line; empty when there is none. */
  public String workflows(StatusReport report) {
    return sections(StatusFiles.ordered(report));
  }

  private static String sections(StatusReport ordered) {
    StringBuilder out = new StringBuilder();
    if (!ordered.backups().isEmpty()) {
      out.append("\nBackups (").append(ordered.backups().size()).append(")\n");
      TextTable table = new TextTable("BACKUP", "SCHEDULE", "PHASE", "CLUSTER", "LAST RUN");
      for (WorkflowStatus backup : ordered.backups()) {
        perCluster(ordered, table, backup, List.of(backup.id().qualifiedName(), backup.schedule().orElse("once"), phase(backup)),
            Runs.Noun.BACKUP);
      }
      table.appendTo(out, INDENT);
    }
    if (!ordered.restores().isEmpty()) {
      out.append("\nRestores (").append(ordered.restores().size()).append(")\n");
      TextTable table = new TextTable("RESTORE", "PHASE", "CLUSTER", "LAST RUN");
      for (WorkflowStatus restore : ordered.restores()) {
        perCluster(ordered, table, restore, List.of(restore.id().qualifiedName(), phase(restore)), Runs.Noun.RESTORE);
      }
      table.appendTo(out, INDENT);
    }
    if (!ordered.migrations().isEmpty()) {
      out.append("\nMigrations (").append(ordered.migrations().size()).append(")\n");
      TextTable table = new TextTable("MIGRATION", "PHASE", "SOURCE → TARGETS", "STEPS");
      for (WorkflowStatus migration : ordered.migrations()) {
        table.row(List.of(migration.id().qualifiedName(), phase(migration), Layout.sourceToTargets(migration),
            Layout.migrationSteps(migration, Symbols.TERMINAL)));
      }
      table.appendTo(out, INDENT);
    }
    return out.toString();
  }

  private static void header(StatusReport report, Optional<Instant> now, StringBuilder out) {
    TextTable table = new TextTable("", "");
    table.row(List.of("Applied", report.applied()
        .map(r -> r + Optional.ofNullable(r.committedAt()).map(t -> " (committed " + Text.date(t) + ")").orElse(""))
        .orElse("nothing yet")));
    report.rejected().ifPresent(rejection -> table.row(List.of("Attempted", rejection.revision() + " rejected, "
        + Text.count(rejection.errorCount(), "error", "errors")
        + (report.applied().isPresent() ? " (the applied revision stays in force)" : ""))));
    report.sourceProblem().ifPresent(problem -> table.row(List.of("Fetch", "failed: " + problem)));
    table.row(List.of("Pass", "finished " + Text.dateSeconds(report.finishedAt()) + ", took "
        + Text.duration(report.took()) + now.map(n -> ", " + Text.duration(Duration.between(report.finishedAt(), n)) + " ago")
            .orElse("") + report.interval().map(i -> "; a pass every " + Text.duration(i)).orElse("")));
    if (now.isPresent() && report.isStaleAt(now.get())) {
      table.row(List.of("STALE", "no pass since " + Text.dateSeconds(report.finishedAt()) + ", "
          + StatusReport.STALE_INTERVALS + " intervals: the reconciler has stopped"));
    }
    Glance glance = Glance.of(report);
    table.row(List.of("Summary", glance.present().isEmpty() ? "all good"
        : glance.present().stream().map(Glance.Count::words).collect(Collectors.joining(", "))));
    StringBuilder lines = new StringBuilder();
    table.appendTo(lines, "");
    // The header row of a table without headers is blank: drop it.
    out.append(lines.substring(lines.indexOf("\n") + 1));
  }

  private static void perCluster(StatusReport report, TextTable table, WorkflowStatus workflow, List<String> lead, Runs.Noun noun) {
    if (workflow.clusters().isEmpty()) {
      List<String> row = new ArrayList<>(lead);
      row.add(Text.NONE);
      row.add("no cluster selected");
      table.row(row);
      return;
    }
    boolean first = true;
    for (ClusterRun run : workflow.clusters()) {
      List<String> row = new ArrayList<>(first ? lead : Collections.nCopies(lead.size(), ""));
      row.add(run.cluster());
      row.add(Layout.cell(report, workflow, run, noun, Symbols.TERMINAL));
      table.row(row);
      first = false;
    }
  }

  private static String phase(WorkflowStatus workflow) {
    return workflow.phase() == null || workflow.phase().isEmpty() ? Text.UNKNOWN : workflow.phase();
  }
}
