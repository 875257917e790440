package dev.fleetbackup.apply;

import dev.fleetbackup.diff.Ownership;
import java.time.Duration;
import java.util.Objects;

/**
 * How an apply pass behaves.
 *
 * @param maxDeleteShare the share of the inventory one pass may delete before the mass-deletion
 *     guard refuses it (0.5: more than half)
 * @param deletes whether the guard applies
 * @param waitTimeout how long to wait for Velero's CRDs to be established, and for a storage location to be
 *     Available before a Backup run is created in it
 */
public record ApplyOptions(double maxDeleteShare, Deletes deletes, Duration waitTimeout, Ownership ownership) {
  public static final ApplyOptions DEFAULTS = new ApplyOptions(0.5, Deletes.GUARDED, Duration.ofMinutes(3));

  public enum Deletes {
    /** Refuse a pass that deletes more than {@code maxDeleteShare} of what fleet-backup manages in a member. */
    GUARDED,
    /** {@code --allow-mass-delete}. */
    ALLOW_MASS_DELETE
  }

  public ApplyOptions {
    if (maxDeleteShare < 0 || maxDeleteShare > 1) {
      throw new IllegalArgumentException("maxDeleteShare must be within 0..1: " + maxDeleteShare);
    }
    Objects.requireNonNull(ownership, "ownership");
  }

  /** Taking over nothing fleet-backup did not create. */
  public ApplyOptions(double maxDeleteShare, Deletes deletes, Duration waitTimeout) {
    this(maxDeleteShare, deletes, waitTimeout, Ownership.OURS_ONLY);
  }

  public ApplyOptions withDeletes(Deletes newDeletes) {
    return new ApplyOptions(maxDeleteShare, newDeletes, waitTimeout, ownership);
  }
}
