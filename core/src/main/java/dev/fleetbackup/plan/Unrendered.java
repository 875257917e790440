package dev.fleetbackup.plan;

/** An object that should exist but cannot be rendered now, and why; it is reported, and never pruned. */
public record Unrendered(ObjectRef ref, Reason reason, String message) {

  public enum Reason {
    /** The fleet's storage credentials could not be read. */
    CREDENTIALS_UNAVAILABLE,
    /** A restore waits for the backup run it restores to complete. */
    WAITING_FOR_BACKUP,
    /** The config cannot be rendered as it stands (for example a cluster in two fleets with the backup plugin). */
    CONFLICT
  }
}
