package dev.fleetbackup.model;

import java.util.Optional;

/**
 * One member cluster as the last pass found it.
 *
 * @param reachable whether its API server answered in the pass
 * @param failure why the cluster could not be reached or reconciled, empty when all went well
 * @param veleroVersion the image tag of the running Velero Deployment, when known
 * @param backupLocationPhase the phase of its {@code default} BackupStorageLocation: Available,
 *     Unavailable, or Unknown
 */
public record ClusterState(String cluster, String fleet, boolean reachable, Optional<MemberFailure> failure,
    boolean veleroReady, Optional<String> veleroVersion, String backupLocationPhase, ApplySummary lastApply) {
  public ClusterState {
    failure = Collections2.optional(failure);
    veleroVersion = Collections2.optional(veleroVersion);
  }

  /** Whether the pass failed for this cluster; the pass decided, with {@link #failure}. */
  public boolean failed() {
    return failure.isPresent();
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
