package dev.fleetbackup.report;

import static dev.fleetbackup.report.Markdown.codeLink;
import static dev.fleetbackup.report.Markdown.text;
import static dev.fleetbackup.report.Symbols.EMOJI;

import dev.fleetbackup.model.ClusterRun;
import dev.fleetbackup.model.Kind;
import dev.fleetbackup.model.VeleroRun;
import dev.fleetbackup.model.WorkflowStatus;
import java.util.List;
import java.util.stream.Collectors;

/**
 * README's "Backup history": a row per Backup and cluster that holds a run, a mark per run it holds
 * (its Velero Backups within their TTL, the newest {@link ClusterRun#HISTORY}), oldest on the left,
 * newest on the right, so that a trend shows at a glance; and a legend.
 */
final class History {
  static final String LEGEND = EMOJI.ok() + " Completed · " + EMOJI.warn() + " PartiallyFailed · " + EMOJI.fail()
      + " Failed · " + EMOJI.waiting() + " in progress · " + EMOJI.unknown() + " a phase this version does not know";

  private History() {}

  static void render(StatusReport report, StringBuilder out) {
    if (report.backups().stream().allMatch(b -> b.clusters().stream().allMatch(r -> r.history().isEmpty()))) {
      return;
    }
    out.append("\n## Backup history\n");
    Markdown.Table table = new Markdown.Table(List.of("backup", "cluster",
        "last " + ClusterRun.HISTORY + " runs, oldest → newest", "newest"));
    for (WorkflowStatus backup : report.backups()) {
      boolean first = true;
      for (ClusterRun run : backup.clusters()) {
        List<VeleroRun> runs = run.history();
        if (runs.isEmpty()) {
          continue; // no run yet, or a cluster the pass could not read: the Backups table says which
        }
        String name = first ? codeLink(backup.id().qualifiedName(), ObjectFiles.path(Kind.BACKUP, backup.id())) : "";
        first = false;
        table.row(List.of(name, text(run.cluster()), marks(runs), text(newest(runs.get(runs.size() - 1)))));
      }
    }
    table.appendTo(out);
    out.append("\n").append(LEGEND).append(". One mark per Velero Backup the cluster still holds (within its TTL).\n");
  }

  static String marks(List<VeleroRun> runs) {
    return runs.stream().map(r -> EMOJI.of(r.phase())).collect(Collectors.joining());
  }

  private static String newest(VeleroRun run) {
    return run.phaseText() + Runs.end(run).map(t -> " " + Text.when(t)).orElse("");
  }
}
