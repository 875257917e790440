package dev.fleetbackup.cli;

import dev.fleetbackup.pipeline.ExitCode;
import dev.fleetbackup.pipeline.PassOutcome;
import dev.fleetbackup.pipeline.Pipeline;
import dev.fleetbackup.validate.Guardrails;
import java.io.PrintWriter;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "apply",
    description = {"One full pass over every member cluster, printing what it did and where each workflow stands.",
        "Installs Velero and brings the Velero objects of every member cluster into the shape the config repo describes,",
        "then prunes what fleet-backup applied earlier and no longer wants."},
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {"0:every cluster applied", "1:invalid config repo", "2:a cluster failed or was refused, usage or internal error"})
final class ApplyCommand extends PassCommand {
  @Mixin
  ApplyFlags writes = new ApplyFlags();

  ApplyCommand(Function<Guardrails, Runner> runners) {
    super(runners);
  }

  @Override
  Pipeline.Mode mode() {
    return new Pipeline.Apply(writes.options());
  }

  @Override
  ExitCode text(PassOutcome outcome, PrintWriter out) {
    PassRendering.applyText(outcome, out);
    return outcome.exitCode();
  }
}
