package dev.fleetbackup.apply;

import java.util.Optional;

/** Refuses a pass that would delete more than a set share of what fleet-backup manages in a member. */
final class MassDeleteGuard {
  private MassDeleteGuard() {}

  /** Why the pass is refused, if it is. */
  static Optional<String> check(long deletions, long managed, ApplyOptions options) {
    if (options.deletes() == ApplyOptions.Deletes.ALLOW_MASS_DELETE || deletions == 0 || managed == 0) {
      return Optional.empty();
    }
    if (deletions > options.maxDeleteShare() * managed) {
      return Optional.of("would delete " + deletions + " of " + managed + " objects fleet-backup manages here (more than "
          + Math.round(options.maxDeleteShare() * 100) + "%); refused, pass --allow-mass-delete if that is intended");
    }
    return Optional.empty();
  }
}
