package dev.fleetbackup.report;

/** A status.json that fleet-backup cannot read: not JSON, not its schema, or a newer version. */
public final class StatusFormatException extends RuntimeException {
  public StatusFormatException(String message) {
    super(message);
  }

  public StatusFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
