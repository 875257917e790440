package dev.fleetbackup.cli;

import dev.fleetbackup.apply.ApplyOptions;
import dev.fleetbackup.diff.Ownership;
import dev.fleetbackup.pipeline.PassOutcome;
import dev.fleetbackup.pipeline.Pipeline;
import dev.fleetbackup.validate.Guardrails;
import java.io.PrintWriter;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "apply",
    description = {"One full pass over every member cluster, printing what it did and where each workflow stands.",
        "Installs Velero and brings the Velero objects of every member cluster into the shape the config repo describes,",
        "then prunes what fleet-backup applied earlier and no longer wants."},
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {"0:every cluster applied", "1:invalid config repo", "2:a cluster failed or was refused, usage or internal error"})
final class ApplyCommand extends PassCommand {
  @Option(names = "--adopt",
      description = "Take over objects fleet-backup did not create (an existing Velero install, a hand-made location): without it they are reported as conflicts and left untouched.")
  boolean adopt;

  @Option(names = "--allow-mass-delete",
      description = "Allow a pass to delete more than --max-delete-share of what fleet-backup manages in a cluster (e.g. when removing the backup plugin).")
  boolean allowMassDelete;

  @Option(names = "--max-delete-share", paramLabel = "SHARE",
      description = "The mass-deletion guard: the share of managed objects one pass may delete (default: ${DEFAULT-VALUE}).")
  double maxDeleteShare = ApplyOptions.DEFAULTS.maxDeleteShare();

  ApplyCommand(Function<Guardrails, Runner> runners) {
    super(runners);
  }

  @Override
  Pipeline.Mode mode() {
    return new Pipeline.Apply(new ApplyOptions(maxDeleteShare,
        allowMassDelete ? ApplyOptions.Deletes.ALLOW_MASS_DELETE : ApplyOptions.Deletes.GUARDED,
        ApplyOptions.DEFAULTS.waitTimeout(), adopt ? Ownership.ADOPT : Ownership.OURS_ONLY));
  }

  @Override
  void text(PassOutcome outcome, PrintWriter out) {
    PassRendering.applyText(outcome, out);
  }
}
