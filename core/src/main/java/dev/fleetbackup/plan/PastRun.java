package dev.fleetbackup.plan;

import dev.fleetbackup.model.VeleroPhase;
import java.util.Objects;

/**
 * A run fleet-backup created earlier, as the member's inventory remembers it or the cluster shows
 * it. {@code present} is false for a run the inventory remembers and the cluster no longer has
 * (Velero's garbage collection deleted an expired backup); {@code phase} is {@link VeleroPhase#UNKNOWN} then.
 */
public record PastRun(ManagedKind kind, String name, String base, int number, String specHash, boolean present,
    VeleroPhase phase) {
  public PastRun {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(specHash, "specHash");
    Objects.requireNonNull(phase, "phase");
  }
}
