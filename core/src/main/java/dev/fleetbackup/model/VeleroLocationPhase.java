package dev.fleetbackup.model;

import java.util.Arrays;

/**
 * The phases of a Velero BackupStorageLocation: Available or Unavailable once Velero has validated
 * it, none before; a word this version does not know is UNKNOWN (the location keeps the text).
 */
public enum VeleroLocationPhase {
  /** Velero has not validated the location yet (is its server running?). */
  NOT_VALIDATED(""),
  AVAILABLE("Available"),
  UNAVAILABLE("Unavailable"),
  UNKNOWN("Unknown");

  private final String text;

  VeleroLocationPhase(String text) {
    this.text = text;
  }

  /** Velero's word; empty for {@link #NOT_VALIDATED}. */
  public String text() {
    return text;
  }

  public static VeleroLocationPhase parse(String text) {
    if (text == null || text.isEmpty()) {
      return NOT_VALIDATED;
    }
    return Arrays.stream(values()).filter(p -> p != NOT_VALIDATED && p.text.equals(text)).findFirst().orElse(UNKNOWN);
  }
}
