package dev.fleetbackup.diff;

import dev.fleetbackup.plan.DesiredObject;
import dev.fleetbackup.plan.ManagedKind;
import dev.fleetbackup.plan.ObjectRef;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * One object's entry in a change set.
 *
 * @param note why, for skipped entries and unverified creations; empty otherwise
 * @param diff the unified YAML diff of the owned fields, Secret values masked; empty when unchanged
 * @param desired what {@code apply} writes for a created or changed object
 * @param live the owned fields as the member holds them, as YAML, Secret values masked; empty when
 *     there is no diff or no live object (for an external diff program, {@code KUBECTL_EXTERNAL_DIFF})
 * @param merged the owned fields as they would be after the apply, likewise; empty when there is no diff or it is deleted
 */
public record Change(ObjectRef ref, Action action, String note, String diff, Optional<DesiredObject> desired, String live,
    String merged) {
  public Change {
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(action, "action");
    note = note == null ? "" : note;
    diff = diff == null ? "" : diff;
    desired = desired == null ? Optional.empty() : desired;
    live = live == null ? "" : live;
    merged = merged == null ? "" : merged;
  }

  /** An entry without the two sides of its diff. */
  public Change(ObjectRef ref, Action action, String note, String diff, Optional<DesiredObject> desired) {
    this(ref, action, note, diff, desired, "", "");
  }

  static Change of(ObjectRef ref, Action action, String note) {
    return new Change(ref, action, note, "", Optional.empty());
  }

  /** An entry showing {@code before} and {@code after} (either may be null), a Secret's values masked in place first. */
  static Change shown(ObjectRef ref, Action action, String note, JsonNode before, JsonNode after, Optional<DesiredObject> desired) {
    if (ref.kind() == ManagedKind.SECRET) {
      Masking.maskSecretPair(before, after);
    }
    String diff = YamlDiff.unified(before, after);
    return diff.isEmpty() ? new Change(ref, action, note, "", desired)
        : new Change(ref, action, note, diff, desired, YamlDiff.yaml(before), YamlDiff.yaml(after));
  }
}
