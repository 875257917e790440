package dev.fleetbackup.model;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * The phases of Velero Backups and Restores (Velero v1.18: 13 for a Backup). A phase this version
 * does not know parses as {@link #UNKNOWN}; the objects that hold a phase keep Velero's text for
 * display ({@link VeleroRun#phaseText()}).
 */
public enum VeleroPhase {
  NEW("New"),
  QUEUED("Queued"),
  READY_TO_START("ReadyToStart"),
  IN_PROGRESS("InProgress"),
  WAITING_FOR_PLUGIN_OPERATIONS("WaitingForPluginOperations"),
  WAITING_FOR_PLUGIN_OPERATIONS_PARTIALLY_FAILED("WaitingForPluginOperationsPartiallyFailed"),
  FINALIZING("Finalizing"),
  FINALIZING_PARTIALLY_FAILED("FinalizingPartiallyFailed"),
  COMPLETED("Completed"),
  PARTIALLY_FAILED("PartiallyFailed"),
  FAILED("Failed"),
  FAILED_VALIDATION("FailedValidation"),
  DELETING("Deleting"),
  UNKNOWN("Unknown");

  private static final Set<VeleroPhase> FINISHED = EnumSet.of(COMPLETED, PARTIALLY_FAILED, FAILED, FAILED_VALIDATION);

  private final String text;

  VeleroPhase(String text) {
    this.text = text;
  }

  /** Velero's own word: {@code Completed}, {@code PartiallyFailed}. */
  public String text() {
    return text;
  }

  /** An object Velero has not touched yet has no phase, which reads as New. */
  public static VeleroPhase parse(String text) {
    if (text == null || text.isEmpty()) {
      return NEW;
    }
    return Arrays.stream(values()).filter(p -> p.text.equals(text)).findFirst().orElse(UNKNOWN);
  }

  /** Velero will not move this run any further. */
  public boolean isFinished() {
    return FINISHED.contains(this);
  }

  public boolean isFailure() {
    return this == FAILED || this == FAILED_VALIDATION || this == PARTIALLY_FAILED;
  }
}
