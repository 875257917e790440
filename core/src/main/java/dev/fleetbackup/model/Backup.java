package dev.fleetbackup.model;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code backup.kurator.dev/v1alpha1 Backup}: immediate when it has no schedule, else scheduled. */
public record Backup(ObjectMeta metadata, Spec spec, SourceMap source) implements ConfigResource {

  @Override
  public Kind kind() {
    return Kind.BACKUP;
  }

  public boolean isScheduled() {
    return spec.schedule().filter(s -> !s.isBlank()).isPresent();
  }

  public record Spec(Optional<String> schedule, Destination destination, Optional<Policy> policy) {
    public Spec {
      schedule = Collections2.optional(schedule);
      policy = Collections2.optional(policy);
    }

    public Policy effectivePolicy() {
      return policy.orElse(Policy.NONE);
    }
  }

  /**
   * Kurator's BackupPolicy, and the Velero fields fleet-backup accepts beside it (spelled as Velero
   * spells them; a Kurator controller would drop them): those of Velero's BackupSpec, and for a
   * scheduled Backup those of its ScheduleSpec ({@code paused}, {@code skipImmediately},
   * {@code useOwnerReferencesInBackup}).
   */
  public record Policy(Optional<ResourceFilter> resourceFilter, Optional<String> ttl, Map<String, String> orderedResources,
      Optional<Boolean> snapshotVolumes, List<String> volumeSnapshotLocations, Optional<Boolean> defaultVolumesToFsBackup,
      Optional<Boolean> snapshotMoveData, Optional<String> datamover, Map<String, Object> hooks,
      Optional<VeleroBackup.LocalRef> resourcePolicy, Optional<String> csiSnapshotTimeout, Optional<String> itemOperationTimeout,
      Optional<String> storageLocation, Optional<Boolean> paused, Optional<Boolean> skipImmediately,
      Optional<Boolean> useOwnerReferencesInBackup) {
    public static final Policy NONE = new Policy(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);

    public Policy {
      resourceFilter = Collections2.optional(resourceFilter);
      ttl = Collections2.optional(ttl);
      orderedResources = Collections2.map(orderedResources);
      snapshotVolumes = Collections2.optional(snapshotVolumes);
      volumeSnapshotLocations = Collections2.list(volumeSnapshotLocations);
      defaultVolumesToFsBackup = Collections2.optional(defaultVolumesToFsBackup);
      snapshotMoveData = Collections2.optional(snapshotMoveData);
      datamover = Collections2.optional(datamover);
      hooks = Collections2.map(hooks);
      resourcePolicy = Collections2.optional(resourcePolicy);
      csiSnapshotTimeout = Collections2.optional(csiSnapshotTimeout);
      itemOperationTimeout = Collections2.optional(itemOperationTimeout);
      storageLocation = Collections2.optional(storageLocation);
      paused = Collections2.optional(paused);
      skipImmediately = Collections2.optional(skipImmediately);
      useOwnerReferencesInBackup = Collections2.optional(useOwnerReferencesInBackup);
    }

    public ResourceFilter filter() {
      return resourceFilter.orElse(ResourceFilter.ALL);
    }
  }
}
