package dev.fleetbackup.diff;

import dev.fleetbackup.plan.ObjectRef;

/**
 * An object the server refused or that could not be read, named first as {@code DryRunErr} does:
 * "Deployment/velero/velero dry-run failed (Invalid): ...". Never carries manifest content.
 */
public record ObjectFailure(ObjectRef ref, String reason, String message) {
  @Override
  public String toString() {
    return ref + " " + reason + ": " + message;
  }
}
