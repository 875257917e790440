package dev.fleetbackup.model;

import java.util.Optional;

/**
 * One member cluster as the last pass found it.
 *
 * @param error why the cluster could not be reached or reconciled, empty when all went well
 * @param veleroVersion the image tag of the running Velero Deployment, when known
 * @param backupLocationPhase the phase of its {@code default} BackupStorageLocation: Available,
 *     Unavailable, or Unknown
 */
public record ClusterState(String cluster, String fleet, boolean reachable, Optional<String> error,
    boolean veleroReady, Optional<String> veleroVersion, String backupLocationPhase, ApplySummary lastApply) {
  public ClusterState {
    error = Collections2.optional(error);
    veleroVersion = Collections2.optional(veleroVersion);
  }

  public boolean backupLocationAvailable() {
    return VeleroLocationPhase.parse(backupLocationPhase) == VeleroLocationPhase.AVAILABLE;
  }

  /** What one pass changed in a cluster. */
  public record ApplySummary(int created, int configured, int deleted, int unchanged) {
    public static final ApplySummary NONE = new ApplySummary(0, 0, 0, 0);

    public int changes() {
      return created + configured + deleted;
    }
  }
}
