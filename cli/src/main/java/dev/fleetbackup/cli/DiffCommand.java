package dev.fleetbackup.cli;

import dev.fleetbackup.pipeline.ExitCode;
import dev.fleetbackup.pipeline.PassOutcome;
import dev.fleetbackup.pipeline.Pipeline;
import dev.fleetbackup.validate.Guardrails;
import java.io.PrintWriter;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "diff",
    description = {"Show what apply would change in every member cluster, by a server-side dry run that writes nothing.",
        "Prints one line per object that would change (cluster, Kind/namespace/name, created|changed|deleted|skipped;",
        "the unchanged ones too with --show-unchanged), then a unified YAML diff of the fields fleet-backup owns,",
        "one section per cluster. Secret values are masked."},
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {"0:no differences", "1:differences",
        "2:an invalid config repo, a cluster failed, usage or internal error (as kubectl diff: above 1 is an error)"})
final class DiffCommand extends PassCommand {
  @Option(names = "--show-unchanged", description = "List the objects that would stay as they are too (hidden by default).")
  boolean showUnchanged;

  DiffCommand(Function<Guardrails, Runner> runners) {
    super(runners);
  }

  @Override
  Pipeline.Mode mode() {
    return new Pipeline.DiffOnly();
  }

  @Override
  ExitCode invalidRepo() {
    return ExitCode.ERROR;
  }

  @Override
  void text(PassOutcome outcome, PrintWriter out) {
    PassRendering.diffText(outcome, showUnchanged, out);
  }
}
