package dev.fleetbackup.cli;

import dev.fleetbackup.apply.ApplyOptions;
import dev.fleetbackup.diff.Ownership;
import picocli.CommandLine.Option;

/** How {@code apply} and {@code run} may write: what they may take over and how much one pass may delete. */
final class ApplyFlags {
  @Option(names = "--adopt",
      description = "Take over objects fleet-backup did not create (an existing Velero install, a hand-made location): without it they are reported as conflicts and left untouched.")
  boolean adopt;

  @Option(names = "--allow-mass-delete",
      description = "Allow a pass to delete more than --max-delete-share of what fleet-backup manages in a cluster (e.g. when removing the backup plugin).")
  boolean allowMassDelete;

  @Option(names = "--max-delete-share", paramLabel = "SHARE",
      description = "The mass-deletion guard: the share of managed objects one pass may delete (default: ${DEFAULT-VALUE}).")
  double maxDeleteShare = ApplyOptions.DEFAULTS.maxDeleteShare();

  ApplyOptions options() {
    return new ApplyOptions(maxDeleteShare, allowMassDelete ? ApplyOptions.Deletes.ALLOW_MASS_DELETE : ApplyOptions.Deletes.GUARDED,
        ApplyOptions.DEFAULTS.waitTimeout(), adopt ? Ownership.ADOPT : Ownership.OURS_ONLY);
  }
}
