package dev.fleetbackup.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One member cluster as the last pass found it.
 *
 * @param reachable whether its API server answered in the pass
 * @param failure why the cluster could not be reached or reconciled, empty when all went well
 * @param veleroVersion the image tag of the running Velero Deployment, when known
 * @param backupLocationPhase the phase of its {@code default} BackupStorageLocation: Available,
 *     Unavailable, or Unknown
 * @param warnings what needs a person although the pass did not fail (an inventory edited by hand)
 */
public record ClusterState(String cluster, String fleet, boolean reachable, Optional<MemberFailure> failure,
    boolean veleroReady, Optional<String> veleroVersion, String backupLocationPhase, ApplySummary lastApply,
    List<Warning> warnings) {
  public ClusterState {
    failure = Collections2.optional(failure);
    veleroVersion = Collections2.optional(veleroVersion);
    warnings = Collections2.list(warnings);
  }

  /** A cluster with nothing to warn about. */
  public ClusterState(String cluster, String fleet, boolean reachable, Optional<MemberFailure> failure,
      boolean veleroReady, Optional<String> veleroVersion, String backupLocationPhase, ApplySummary lastApply) {
    this(cluster, fleet, reachable, failure, veleroReady, veleroVersion, backupLocationPhase, lastApply, List.of());
  }

  /**
   * Something a pass found that needs a person, though it did what it should.
   *
   * @param reason a constant an alert can match: {@code InventoryEdited}, {@code InventoryDeleted}
   * @param what a few words for the "needs attention" list: {@code inventory edited}
   * @param message one line, naming the object and what fleet-backup does about it
   * @param since when it happened, when the cluster says
   */
  public record Warning(String reason, String what, String message, Optional<Instant> since) {
    public Warning {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(what, "what");
      Objects.requireNonNull(message, "message");
      since = Collections2.optional(since);
    }
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
