package dev.fleetbackup.apply;

/**
 * Whether this instance may still write to the members: with leader election, whether it still
 * holds the Lease. Checked before every write, so that after another replica took over nothing
 * more is written, not even the rest of a pass already under way.
 */
@FunctionalInterface
public interface Fence {
  /** No election: this instance always writes. */
  Fence NONE = () -> true;

  boolean holds();
}
