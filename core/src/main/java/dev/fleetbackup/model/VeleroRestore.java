package dev.fleetbackup.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A Velero {@code Restore} (velero.io/v1) as fleet-backup writes and reads it: the spec a Kurator
 * Restore or Migrate sets, and the status a report shows. Absent stays absent, as for
 * {@link VeleroBackup}. Read and written only through {@code plan.VeleroCodec}.
 */
public record VeleroRestore(VeleroMeta metadata, Spec spec, Status status) {

  public VeleroRestore {
    Objects.requireNonNull(metadata, "metadata");
    spec = spec == null ? Spec.EMPTY : spec;
    status = status == null ? Status.NONE : status;
  }

  /**
   * Velero's {@code RestoreSpec}, field for field: the JSON names are the component names, and the
   * declaration order is the order they are written in. {@code hooks} are Velero's {@code
   * RestoreHooks} as the policy wrote them, passed on unread.
   */
  public record Spec(
      String backupName,
      Optional<String> scheduleName,
      List<String> includedNamespaces,
      List<String> excludedNamespaces,
      List<String> includedResources,
      List<String> excludedResources,
      Optional<Boolean> includeClusterResources,
      Optional<LabelSelector> labelSelector,
      List<LabelSelector> orLabelSelectors,
      Map<String, String> namespaceMapping,
      Optional<StatusFilter> restoreStatus,
      Optional<Boolean> preserveNodePorts,
      Optional<Boolean> restorePVs,
      Map<String, Object> hooks,
      Optional<String> existingResourcePolicy,
      Optional<String> itemOperationTimeout,
      Optional<VeleroBackup.LocalRef> resourceModifier) {

    public static final Spec EMPTY = new Spec(null, null, null, null, null, null, null, null, null, null, null, null,
        null, null, null, null, null);

    public Spec {
      backupName = backupName == null ? "" : backupName;
      scheduleName = Collections2.optional(scheduleName);
      includedNamespaces = Collections2.list(includedNamespaces);
      excludedNamespaces = Collections2.list(excludedNamespaces);
      includedResources = Collections2.list(includedResources);
      excludedResources = Collections2.list(excludedResources);
      includeClusterResources = Collections2.optional(includeClusterResources);
      labelSelector = Collections2.optional(labelSelector);
      orLabelSelectors = Collections2.list(orLabelSelectors);
      namespaceMapping = Collections2.map(namespaceMapping);
      restoreStatus = Collections2.optional(restoreStatus);
      preserveNodePorts = Collections2.optional(preserveNodePorts);
      restorePVs = Collections2.optional(restorePVs);
      hooks = Collections2.map(hooks);
      existingResourcePolicy = Collections2.optional(existingResourcePolicy);
      itemOperationTimeout = Collections2.optional(itemOperationTimeout);
      resourceModifier = Collections2.optional(resourceModifier);
    }

    /** The same spec restoring the Backup {@code name}. */
    public Spec withBackupName(String name) {
      return new Spec(name, scheduleName, includedNamespaces, excludedNamespaces, includedResources, excludedResources,
          includeClusterResources, labelSelector, orLabelSelectors, namespaceMapping, restoreStatus, preserveNodePorts,
          restorePVs, hooks, existingResourcePolicy, itemOperationTimeout, resourceModifier);
    }

    /** The same spec excluding {@code more} namespaces too, with {@code includeClusterResources} as given. */
    public Spec excluding(List<String> more, Optional<Boolean> clusterResources) {
      List<String> excluded = new ArrayList<>(excludedNamespaces);
      excluded.addAll(more);
      return new Spec(backupName, scheduleName, includedNamespaces, excluded, includedResources, excludedResources,
          clusterResources, labelSelector, orLabelSelectors, namespaceMapping, restoreStatus, preserveNodePorts,
          restorePVs, hooks, existingResourcePolicy, itemOperationTimeout, resourceModifier);
    }
  }

  /** Velero's {@code restoreStatus}: which restored objects keep their status. */
  public record StatusFilter(List<String> includedResources, List<String> excludedResources) {
    public StatusFilter {
      includedResources = Collections2.list(includedResources);
      excludedResources = Collections2.list(excludedResources);
    }
  }

  /**
   * Velero's {@code RestoreStatus}.
   *
   * @param phaseText the phase as Velero wrote it, empty before Velero saw the Restore; see {@link #phase()}
   */
  public record Status(String phaseText, Optional<Instant> startTimestamp, Optional<Instant> completionTimestamp,
      int totalItems, int itemsRestored, int errors, int warnings, Optional<String> failureReason,
      List<String> validationErrors, RunCounters counters) {

    public static final Status NONE = new Status("", null, null, 0, 0, 0, 0, null, null);

    /** A status with none of Velero's further counters. */
    public Status(String phaseText, Optional<Instant> startTimestamp, Optional<Instant> completionTimestamp,
        int totalItems, int itemsRestored, int errors, int warnings, Optional<String> failureReason,
        List<String> validationErrors) {
      this(phaseText, startTimestamp, completionTimestamp, totalItems, itemsRestored, errors, warnings, failureReason,
          validationErrors, RunCounters.NONE);
    }

    public Status {
      counters = counters == null ? RunCounters.NONE : counters;
      phaseText = phaseText == null ? "" : phaseText;
      startTimestamp = Collections2.optional(startTimestamp);
      completionTimestamp = Collections2.optional(completionTimestamp);
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

  /** This Restore as a status page shows it. */
  public VeleroRun run(String cluster) {
    return new VeleroRun(cluster, name(), status.phaseText(), status.startTimestamp(), status.completionTimestamp(),
        Optional.empty(), status.totalItems(), status.itemsRestored(), status.errors(), status.warnings(),
        status.failureReason(), status.validationErrors(), status.counters());
  }
}
