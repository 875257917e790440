package dev.fleetbackup.model;

import java.util.Arrays;

/** The phases of a Velero Schedule; no phase reads as New, a word this version does not know as UNKNOWN. */
public enum VeleroSchedulePhase {
  NEW("New"),
  ENABLED("Enabled"),
  FAILED_VALIDATION("FailedValidation"),
  UNKNOWN("Unknown");

  private final String text;

  VeleroSchedulePhase(String text) {
    this.text = text;
  }

  public String text() {
    return text;
  }

  public static VeleroSchedulePhase parse(String text) {
    if (text == null || text.isEmpty()) {
      return NEW;
    }
    return Arrays.stream(values()).filter(p -> p.text.equals(text)).findFirst().orElse(UNKNOWN);
  }
}
