package dev.fleetbackup.report;

import static dev.fleetbackup.report.Markdown.code;
import static dev.fleetbackup.report.Markdown.codeLink;
import static dev.fleetbackup.report.Markdown.text;
import static dev.fleetbackup.report.Symbols.EMOJI;

import dev.fleetbackup.model.ClusterRun;
import dev.fleetbackup.model.ClusterState;
import dev.fleetbackup.model.Condition;
import dev.fleetbackup.model.Kind;
import dev.fleetbackup.model.ResourceId;
import dev.fleetbackup.model.WorkflowStatus;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Collections;

/**
 * README.md of the status branch: what a person sees on the forge. A banner that counts the
 * problems and says until when the page is current, the problems, then each fleet's clusters, then
 * backups (with the history of their runs), restores and migrations across the clusters; names as
 * the user typed them. Only the banner's times change every pass.
 */
final class Readme {
  private Readme() {}

  static byte[] render(StatusReport report, Optional<ForgeLinks> forge) {
    StringBuilder out = new StringBuilder("# Fleet backup status\n\n");
    Banner.render(report, out);
    revisions(report, out);
    List<Attention> attention = Attention.of(report);
    out.append("\n## Needs attention (").append(attention.size()).append(")\n");
    if (attention.isEmpty()) {
      out.append("Nothing: every cluster answered and every run completed.\n");
    } else {
      attention(report, attention, forge, out);
    }
    for (Map.Entry<String, List<ClusterState>> fleet : Layout.fleets(report).entrySet()) {
      fleet(fleet.getKey(), fleet.getValue(), out);
    }
    backups(report, out);
    History.render(report, out);
    restores(report, out);
    migrations(report, out);
    footer(report, out);
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void revisions(StatusReport report, StringBuilder out) {
    out.append("**Applied** ");
    out.append(report.applied()
        .map(r -> code(r.toString()) + Optional.ofNullable(r.committedAt()).map(t -> " (committed " + Text.date(t) + ")").orElse(""))
        .orElse("nothing yet"));
    report.rejected().ifPresent(rejection -> out.append(" · **Attempted** ")
        .append(code(rejection.revision().toString()))
        .append(" — **rejected**, ").append(Text.count(rejection.errorCount(), "error", "errors"))
        .append(report.applied().isPresent() ? " (the applied revision stays in force)" : " (nothing is applied until a commit passes)"));
    if (report.sourceProblem().isPresent()) {
      out.append(" · **fetch failed** (see Needs attention)");
    }
    out.append('\n');
  }

  private static void attention(StatusReport report, List<Attention> rows, Optional<ForgeLinks> forge, StringBuilder out) {
    Markdown.Table table = new Markdown.Table(List.of("what", "where", "since", "why"));
    Attention.Subject previous = null;
    for (Attention row : rows) {
      String what = row.what().equals(previous) ? "" : subject(row.what());
      previous = row.what();
      table.row(List.of(what, where(report, row, forge), row.since().map(Text::when).orElse(""), text(row.why())));
    }
    table.appendTo(out);
  }

  /** A cluster, or a {@code file:line:col} of the rejected commit, linked to its line on the forge when there is one. */
  private static String where(StatusReport report, Attention row, Optional<ForgeLinks> forge) {
    if (row.where().isEmpty()) {
      return Text.NONE;
    }
    if (row.location().isEmpty()) {
      return text(row.where());
    }
    Optional<String> url = forge.flatMap(f -> report.rejected().flatMap(r ->
        f.blob(r.revision().sha(), row.location().get().file(), row.location().get().line())));
    return url.map(u -> Markdown.link(code(row.where()), u)).orElse(code(row.where()));
  }

  private static String subject(Attention.Subject subject) {
    StringBuilder cell = new StringBuilder(text(subject.lead()));
    if (!subject.name().isEmpty()) {
      cell.append(' ').append(subject.file().map(f -> codeLink(subject.name(), f)).orElse(code(subject.name())));
    }
    if (!subject.tail().isEmpty()) {
      cell.append(' ').append(text(subject.tail()));
    }
    return cell.toString();
  }

  private static void fleet(String name, List<ClusterState> clusters, StringBuilder out) {
    out.append("\n## Fleet ").append(code(name)).append(" · ")
        .append(Layout.ready(clusters)).append(" of ").append(Text.count(clusters.size(), "cluster", "clusters"))
        .append(" ready\n");
    Markdown.Table table = new Markdown.Table(List.of("cluster", "reachable", "Velero", "backup location", "last pass"));
    for (ClusterState cluster : clusters) {
      table.row(List.of(text(cluster.cluster()), Layout.reachable(cluster, EMOJI), text(Layout.velero(cluster, EMOJI)),
          text(Layout.backupLocation(cluster)), text(Layout.lastPass(cluster))));
    }
    table.appendTo(out);
  }

  private static void backups(StatusReport report, StringBuilder out) {
    workflowTable(report, Kind.BACKUP, report.backups(), "Backups", List.of("backup", "schedule", "phase"),
        w -> List.of(w.schedule().map(Markdown::nowrap).orElse("once"), phase(w)), Runs.Noun.BACKUP, out);
  }

  private static void restores(StatusReport report, StringBuilder out) {
    workflowTable(report, Kind.RESTORE, report.restores(), "Restores", List.of("restore", "from backup", "phase"),
        w -> List.of(fromBackup(report, w), phase(w)), Runs.Noun.RESTORE, out);
  }

  /** The Backup a Restore restores, linked to its file when the report has it. */
  private static String fromBackup(StatusReport report, WorkflowStatus restore) {
    if (restore.backupName().isEmpty()) {
      return Text.NONE;
    }
    ResourceId backup = new ResourceId(Kind.BACKUP, restore.id().namespace(), restore.backupName().get());
    boolean known = report.backups().stream().anyMatch(b -> b.id().equals(backup));
    return known ? codeLink(backup.qualifiedName(), ObjectFiles.path(Kind.BACKUP, backup)) : code(backup.qualifiedName());
  }

  private static void migrations(StatusReport report, StringBuilder out) {
    if (report.migrations().isEmpty()) {
      return;
    }
    out.append("\n## Migrations\n");
    Markdown.Table table = new Markdown.Table(List.of("migration", "source → targets", "phase", "steps"));
    for (WorkflowStatus migration : report.migrations()) {
      table.row(List.of(name(Kind.MIGRATE, migration), text(Layout.sourceToTargets(migration)),
          phase(migration), text(Layout.migrationSteps(migration, EMOJI))));
    }
    table.appendTo(out);
  }

  /**
   * Workflows × clusters, a column per cluster (a cell {@code —} where the workflow does not run);
   * with more than {@link Layout#MAX_CLUSTER_COLUMNS} clusters, a row per workflow and cluster.
   */
  private static void workflowTable(StatusReport report, Kind kind, List<WorkflowStatus> workflows, String title,
      List<String> header, java.util.function.Function<WorkflowStatus, List<String>> columns, Runs.Noun noun,
      StringBuilder out) {
    if (workflows.isEmpty()) {
      return;
    }
    out.append("\n## ").append(title).append('\n');
    List<String> clusters = Layout.clusterColumns(report, workflows);
    boolean wide = clusters.size() > Layout.MAX_CLUSTER_COLUMNS;
    List<String> head = new ArrayList<>(header);
    if (wide) {
      head.add("cluster");
      head.add("last run");
    } else {
      clusters.forEach(c -> head.add(text(c)));
    }
    Markdown.Table table = new Markdown.Table(head);
    for (WorkflowStatus workflow : workflows) {
      List<String> lead = new ArrayList<>();
      lead.add(name(kind, workflow));
      lead.addAll(columns.apply(workflow));
      if (wide) {
        boolean first = true;
        for (ClusterRun run : workflow.clusters()) {
          List<String> row = new ArrayList<>(first ? lead : blank(lead.size()));
          row.add(text(run.cluster()));
          row.add(text(Layout.cell(report, workflow, run, noun, EMOJI)));
          table.row(row);
          first = false;
        }
        if (first) {
          table.row(lead);
        }
      } else {
        for (String cluster : clusters) {
          lead.add(text(Layout.run(workflow, cluster)
              .map(run -> Layout.cell(report, workflow, run, noun, EMOJI))
              .orElse(Text.NONE)));
        }
        table.row(lead);
      }
    }
    table.appendTo(out);
  }

  private static List<String> blank(int size) {
    return Collections.nCopies(size, "");
  }

  private static String name(Kind kind, WorkflowStatus workflow) {
    return codeLink(workflow.id().qualifiedName(), ObjectFiles.path(kind, workflow.id()));
  }

  /**
   * {@code ✅ Completed}, {@code ❌ Failed}, {@code ⚠️ Enabled} (its last run failed), {@code ⏳ InProgress},
   * as Markdown: the mark and the word joined by a no-break space, so that a narrow column never
   * puts the word under the mark.
   */
  private static String phase(WorkflowStatus workflow) {
    String phase = workflow.phase() == null || workflow.phase().isEmpty() ? Text.UNKNOWN : workflow.phase();
    Optional<Condition.Status> ready = Runs.condition(workflow, Condition.READY).map(Condition::status);
    String mark;
    if (Runs.failed(workflow) || Runs.stalled(workflow)) {
      mark = EMOJI.fail();
    } else if (ready.equals(Optional.of(Condition.Status.False))) {
      mark = EMOJI.warn();
    } else if (ready.equals(Optional.of(Condition.Status.True)) || phase.equals("Completed") || phase.equals("Enabled")) {
      mark = EMOJI.ok();
    } else {
      mark = EMOJI.waiting();
    }
    return mark + "&nbsp;" + text(phase);
  }

  private static void footer(StatusReport report, StringBuilder out) {
    List<String> folders = new ArrayList<>();
    if (!report.backups().isEmpty()) {
      folders.add(folderLink(Kind.BACKUP));
    }
    if (!report.restores().isEmpty()) {
      folders.add(folderLink(Kind.RESTORE));
    }
    if (!report.migrations().isEmpty()) {
      folders.add(folderLink(Kind.MIGRATE));
    }
    out.append("\n<sub>Machine-readable: [`status.json`](status.json) (schema `")
        .append(StatusJson.SCHEMA_ID).append("`).");
    if (!folders.isEmpty()) {
      out.append(" One file per object under ").append(String.join(", ", folders))
          .append(" in Kurator's status shape, as `kubectl get -o yaml` shows it.");
    }
    out.append(" Times in UTC. Written by fleet-backup after each pass that changed something, and after at least every"
        + " other pass; edits here are overwritten.</sub>\n");
  }

  private static String folderLink(Kind kind) {
    String folder = ObjectFiles.folder(kind);
    return "[`" + folder + "/`](" + folder + ")";
  }
}
