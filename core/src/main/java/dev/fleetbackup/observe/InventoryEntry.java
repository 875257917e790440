package dev.fleetbackup.observe;

import dev.fleetbackup.plan.ObjectRef;
import java.util.Objects;
import java.util.Optional;

/** One object fleet-backup applied to a member; runs also remember which policy made them. */
public record InventoryEntry(ObjectRef ref, Optional<RunRecord> run) implements Comparable<InventoryEntry> {
  public InventoryEntry {
    Objects.requireNonNull(ref, "ref");
    run = run == null ? Optional.empty() : run;
  }

  /** @param number 1 for {@code base}, 2 for {@code base-2}, ... */
  public record RunRecord(String base, int number, String specHash) {}

  @Override
  public int compareTo(InventoryEntry other) {
    return ref.compareTo(other.ref);
  }
}
