package dev.fleetbackup.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A Velero {@code Backup} (velero.io/v1) as fleet-backup writes and reads it. Only the fields it
 * uses are here: the spec a Kurator policy sets (its {@code BackupSpec}, also a Schedule's
 * template), the location Velero fills in, and the status a report shows. Absent stays absent:
 * an empty list, map or Optional is never written, so server-side apply owns no field fleet-backup
 * did not set. Read and written only through {@code plan.VeleroCodec}.
 */
public record VeleroBackup(VeleroMeta metadata, Spec spec, Status status) {

  public VeleroBackup {
    Objects.requireNonNull(metadata, "metadata");
    spec = spec == null ? Spec.EMPTY : spec;
    status = status == null ? Status.NONE : status;
  }

  /**
   * Velero's {@code BackupSpec}, field for field: the JSON names are the component names, and the
   * declaration order is the order they are written in.
   *
   * @param storageLocation set by Velero on a new Backup (fleet-backup leaves it to the default
   *     location); a Backup synced from another location names that location
   * @param hooks Velero's {@code BackupHooks} as the policy wrote them (the schema checks them
   *     field for field): fleet-backup passes them on and reads nothing in them
   */
  public record Spec(
      List<String> includedNamespaces,
      List<String> excludedNamespaces,
      List<String> includedResources,
      List<String> excludedResources,
      Optional<Boolean> includeClusterResources,
      List<String> includedClusterScopedResources,
      List<String> excludedClusterScopedResources,
      List<String> includedNamespaceScopedResources,
      List<String> excludedNamespaceScopedResources,
      Optional<LabelSelector> labelSelector,
      List<LabelSelector> orLabelSelectors,
      Optional<String> ttl,
      Map<String, String> orderedResources,
      Optional<String> storageLocation,
      Optional<Boolean> snapshotVolumes,
      Map<String, Object> hooks,
      List<String> volumeSnapshotLocations,
      Optional<Boolean> defaultVolumesToFsBackup,
      Optional<String> csiSnapshotTimeout,
      Optional<String> itemOperationTimeout,
      Optional<LocalRef> resourcePolicy,
      Optional<Boolean> snapshotMoveData,
      Optional<String> datamover) {

    public static final Spec EMPTY = new Spec(null, null, null, null, null, null, null, null, null, null, null, null, null, null,
        null, null, null, null, null, null, null, null, null);

    public Spec {
      includedNamespaces = Collections2.list(includedNamespaces);
      excludedNamespaces = Collections2.list(excludedNamespaces);
      includedResources = Collections2.list(includedResources);
      excludedResources = Collections2.list(excludedResources);
      includeClusterResources = Collections2.optional(includeClusterResources);
      includedClusterScopedResources = Collections2.list(includedClusterScopedResources);
      excludedClusterScopedResources = Collections2.list(excludedClusterScopedResources);
      includedNamespaceScopedResources = Collections2.list(includedNamespaceScopedResources);
      excludedNamespaceScopedResources = Collections2.list(excludedNamespaceScopedResources);
      labelSelector = Collections2.optional(labelSelector);
      orLabelSelectors = Collections2.list(orLabelSelectors);
      ttl = Collections2.optional(ttl);
      orderedResources = Collections2.map(orderedResources);
      storageLocation = Collections2.optional(storageLocation);
      snapshotVolumes = Collections2.optional(snapshotVolumes);
      hooks = Collections2.map(hooks);
      volumeSnapshotLocations = Collections2.list(volumeSnapshotLocations);
      defaultVolumesToFsBackup = Collections2.optional(defaultVolumesToFsBackup);
      csiSnapshotTimeout = Collections2.optional(csiSnapshotTimeout);
      itemOperationTimeout = Collections2.optional(itemOperationTimeout);
      resourcePolicy = Collections2.optional(resourcePolicy);
      snapshotMoveData = Collections2.optional(snapshotMoveData);
      datamover = Collections2.optional(datamover);
    }
  }

  /**
   * Velero's {@code TypedLocalObjectReference} to a ConfigMap in Velero's namespace: a Backup's
   * resource policies, a Restore's resource modifiers.
   */
  public record LocalRef(String kind, String name) {}

  /**
   * Velero's {@code BackupStatus}.
   *
   * @param phaseText the phase as Velero wrote it, empty before Velero saw the Backup; see {@link #phase()}
   */
  public record Status(String phaseText, Optional<Instant> startTimestamp, Optional<Instant> completionTimestamp,
      Optional<Instant> expiration, int totalItems, int itemsBackedUp, int errors, int warnings,
      Optional<String> failureReason, List<String> validationErrors, RunCounters counters) {

    public static final Status NONE = new Status("", null, null, null, 0, 0, 0, 0, null, null);

    /** A status with none of Velero's further counters. */
    public Status(String phaseText, Optional<Instant> startTimestamp, Optional<Instant> completionTimestamp,
        Optional<Instant> expiration, int totalItems, int itemsBackedUp, int errors, int warnings,
        Optional<String> failureReason, List<String> validationErrors) {
      this(phaseText, startTimestamp, completionTimestamp, expiration, totalItems, itemsBackedUp, errors, warnings, failureReason,
          validationErrors, RunCounters.NONE);
    }

    public Status {
      counters = counters == null ? RunCounters.NONE : counters;
      phaseText = phaseText == null ? "" : phaseText;
      startTimestamp = Collections2.optional(startTimestamp);
      completionTimestamp = Collections2.optional(completionTimestamp);
      expiration = Collections2.optional(expiration);
      failureReason = Collections2.optional(failureReason);
      validationErrors = Collections2.list(validationErrors);
    }

    public VeleroPhase phase() {
      return VeleroPhase.parse(phaseText);
    }
  }

  public String name() {
    return metadata.name();
  }

  /** This Backup as a status page shows it. */
  public VeleroRun run(String cluster) {
    return new VeleroRun(cluster, name(), status.phaseText(), status.startTimestamp(), status.completionTimestamp(),
        status.expiration(), status.totalItems(), status.itemsBackedUp(), status.errors(), status.warnings(),
        status.failureReason(), status.validationErrors(), status.counters());
  }
}
