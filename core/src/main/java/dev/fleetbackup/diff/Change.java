package dev.fleetbackup.diff;

import dev.fleetbackup.plan.DesiredObject;
import dev.fleetbackup.plan.ObjectRef;
import java.util.Objects;
import java.util.Optional;

/**
 * One object's entry in a change set.
 *
 * @param note why, for skipped entries and unverified creations; empty otherwise
 * @param diff the unified YAML diff of the owned fields, Secret values masked; empty when unchanged
 * @param desired what {@code apply} writes for a created or changed object
 */
public record Change(ObjectRef ref, Action action, String note, String diff, Optional<DesiredObject> desired) {
  public Change {
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(action, "action");
    note = note == null ? "" : note;
    diff = diff == null ? "" : diff;
    desired = desired == null ? Optional.empty() : desired;
  }

  static Change of(ObjectRef ref, Action action, String note) {
    return new Change(ref, action, note, "", Optional.empty());
  }
}
