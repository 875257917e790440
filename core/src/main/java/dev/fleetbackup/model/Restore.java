package dev.fleetbackup.model;

import java.util.Map;
import java.util.Optional;

/** {@code backup.kurator.dev/v1alpha1 Restore}: restores a Backup to its clusters or a subset of them. */
public record Restore(ObjectMeta metadata, Spec spec, SourceMap source) implements ConfigResource {

  @Override
  public Kind kind() {
    return Kind.RESTORE;
  }

  public record Spec(String backupName, Optional<Destination> destination, Optional<Policy> policy) {
    public Spec {
      destination = Collections2.optional(destination);
      policy = Collections2.optional(policy);
    }

    public Policy effectivePolicy() {
      return policy.orElse(Policy.NONE);
    }
  }

  /**
   * Kurator's RestorePolicy, and the Velero RestoreSpec fields fleet-backup accepts beside it
   * (spelled as Velero spells them; a Kurator controller would drop them). {@code scheduleName} is
   * bound only to be refused at its line.
   */
  public record Policy(Optional<ResourceFilter> resourceFilter, Map<String, String> namespaceMapping,
      Optional<PreserveStatus> preserveStatus, Optional<Boolean> preserveNodePorts, Optional<String> existingResourcePolicy,
      Optional<Boolean> restorePVs, Optional<VeleroBackup.LocalRef> resourceModifier, Map<String, Object> hooks,
      Optional<String> itemOperationTimeout, Optional<String> scheduleName) {
    public static final Policy NONE = new Policy(null, null, null, null, null, null, null, null, null, null);

    public Policy {
      resourceFilter = Collections2.optional(resourceFilter);
      namespaceMapping = Collections2.map(namespaceMapping);
      preserveStatus = Collections2.optional(preserveStatus);
      preserveNodePorts = Collections2.optional(preserveNodePorts);
      existingResourcePolicy = Collections2.optional(existingResourcePolicy);
      restorePVs = Collections2.optional(restorePVs);
      resourceModifier = Collections2.optional(resourceModifier);
      hooks = Collections2.map(hooks);
      itemOperationTimeout = Collections2.optional(itemOperationTimeout);
      scheduleName = Collections2.optional(scheduleName);
    }

    public ResourceFilter filter() {
      return resourceFilter.orElse(ResourceFilter.ALL);
    }
  }
}
