package dev.fleetbackup.observe;

import dev.fleetbackup.plan.ObjectRef;
import java.util.Objects;
import java.util.Optional;

/**
 * One object fleet-backup applied to a member; runs also remember which policy made them.
 *
 * @param uid the uid of the object fleet-backup applied, when known: a prune deletes only a live object of that uid
 * @param tombstone a Velero run that ran and is no longer desired (its policy was removed; a
 *     Restore was pruned): remembered for the life of the member, so that a revert, a rollback or a
 *     force-push bringing the policy back never runs it again; never pruned itself
 */
public record InventoryEntry(ObjectRef ref, Optional<RunRecord> run, boolean tombstone, Optional<String> uid)
    implements Comparable<InventoryEntry> {
  public InventoryEntry {
    Objects.requireNonNull(ref, "ref");
    run = run == null ? Optional.empty() : run;
    uid = uid == null ? Optional.empty() : uid.filter(u -> !u.isEmpty());
    if (tombstone && run.isEmpty()) {
      throw new IllegalArgumentException(ref + ": only a run leaves a tombstone");
    }
  }

  public InventoryEntry(ObjectRef ref, Optional<RunRecord> run) {
    this(ref, run, false, Optional.empty());
  }

  /** This run, remembered after it stopped being desired. */
  public InventoryEntry asTombstone() {
    return new InventoryEntry(ref, run, true, uid);
  }

  /** This entry for the object of uid {@code newUid} (empty: not known). */
  public InventoryEntry withUid(Optional<String> newUid) {
    return new InventoryEntry(ref, run, tombstone, newUid);
  }

  /** @param number 1 for {@code base}, 2 for {@code base-2}, ... */
  public record RunRecord(String base, int number, String specHash) {}

  @Override
  public int compareTo(InventoryEntry other) {
    return ref.compareTo(other.ref);
  }
}
