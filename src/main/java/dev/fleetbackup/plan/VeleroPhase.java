package dev.fleetbackup.plan;

import java.util.Arrays;

/**
 * The phase of a Velero Backup or Restore as Velero writes it in {@code status.phase}. Phases
 * Velero adds later parse as {@link #UNKNOWN}; a run without a status is {@link #NEW}.
 */
public enum VeleroPhase {
  NEW("New"),
  QUEUED("Queued"),
  READY_TO_START("ReadyToStart"),
  FAILED_VALIDATION("FailedValidation"),
  IN_PROGRESS("InProgress"),
  WAITING_FOR_PLUGIN_OPERATIONS("WaitingForPluginOperations"),
  WAITING_FOR_PLUGIN_OPERATIONS_PARTIALLY_FAILED("WaitingForPluginOperationsPartiallyFailed"),
  FINALIZING("Finalizing"),
  FINALIZING_PARTIALLY_FAILED("FinalizingPartiallyFailed"),
  COMPLETED("Completed"),
  PARTIALLY_FAILED("PartiallyFailed"),
  FAILED("Failed"),
  DELETING("Deleting"),
  UNKNOWN("");

  private final String wire;

  VeleroPhase(String wire) {
    this.wire = wire;
  }

  public static VeleroPhase of(String phase) {
    if (phase == null || phase.isEmpty()) {
      return NEW;
    }
    return Arrays.stream(values()).filter(p -> p != UNKNOWN && p.wire.equals(phase)).findFirst().orElse(UNKNOWN);
  }

  public String wire() {
    return wire;
  }

  /** Whether a restore can be made from a backup in this phase (Velero accepts Completed and PartiallyFailed). */
  public boolean isRestorable() {
    return this == COMPLETED || this == PARTIALLY_FAILED;
  }

  public boolean isFinished() {
    return this == COMPLETED || this == PARTIALLY_FAILED || this == FAILED || this == FAILED_VALIDATION;
  }
}
