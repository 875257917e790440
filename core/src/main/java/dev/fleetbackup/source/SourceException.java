package dev.fleetbackup.source;

/** The config repo could not be fetched or read: remote down, authentication refused, no such branch. */
public final class SourceException extends Exception {
  public SourceException(String message, Throwable cause) {
    super(message, cause);
  }

  public SourceException(String message) {
    super(message);
  }
}
