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

  public record Policy(Optional<ResourceFilter> resourceFilter, Map<String, String> namespaceMapping,
      Optional<PreserveStatus> preserveStatus, Optional<Boolean> preserveNodePorts) {
    static final Policy NONE = new Policy(null, null, null, null);

    public Policy {
      resourceFilter = Collections2.optional(resourceFilter);
      namespaceMapping = Collections2.map(namespaceMapping);
      preserveStatus = Collections2.optional(preserveStatus);
      preserveNodePorts = Collections2.optional(preserveNodePorts);
    }

    public ResourceFilter filter() {
      return resourceFilter.orElse(ResourceFilter.ALL);
    }
  }
}
