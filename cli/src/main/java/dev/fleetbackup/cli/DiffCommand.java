package dev.fleetbackup.cli;

import dev.fleetbackup.pipeline.PassOutcome;
import dev.fleetbackup.pipeline.Pipeline;
import dev.fleetbackup.validate.Guardrails;
import java.io.PrintWriter;
import java.util.function.Function;
import picocli.CommandLine.Command;

@Command(name = "diff",
    description = {"Show what apply would change in every member cluster, by a server-side dry run that writes nothing.",
        "Prints one line per object (cluster, Kind/namespace/name, created|changed|deleted|unchanged|skipped),",
        "then a unified YAML diff of the fields fleet-backup owns, one section per cluster. Secret values are masked."},
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {"0:no differences", "1:differences (or an invalid config repo)", "2:a cluster failed, usage or internal error"})
final class DiffCommand extends PassCommand {
  DiffCommand(Function<Guardrails, Runner> runners) {
    super(runners);
  }

  @Override
  Pipeline.Mode mode() {
    return new Pipeline.DiffOnly();
  }

  @Override
  void text(PassOutcome outcome, PrintWriter out) {
    PassRendering.diffText(outcome, out);
  }
}
