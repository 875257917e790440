package dev.fleetbackup.model;

import java.util.Map;
import java.util.Optional;

/** {@code backup.kurator.dev/v1alpha1 Migrate}: a backup in one source cluster restored into 1..N targets. */
public record Migrate(ObjectMeta metadata, Spec spec, SourceMap source) implements ConfigResource {

  @Override
  public Kind kind() {
    return Kind.MIGRATE;
  }

  /** Kurator's json names are singular: {@code sourceCluster}, {@code targetCluster}. */
  public record Spec(Destination sourceCluster, Destination targetCluster, Optional<Policy> policy) {
    public Spec {
      policy = Collections2.optional(policy);
    }

    public Policy effectivePolicy() {
      return policy.orElse(Policy.NONE);
    }
  }

  public record Policy(Optional<ResourceFilter> resourceFilter, Map<String, String> orderedResources,
      Map<String, String> namespaceMapping, Optional<PreserveStatus> migrateStatus,
      Optional<Boolean> preserveNodePorts) {
    static final Policy NONE = new Policy(null, null, null, null, null);

    public Policy {
      resourceFilter = Collections2.optional(resourceFilter);
      orderedResources = Collections2.map(orderedResources);
      namespaceMapping = Collections2.map(namespaceMapping);
      migrateStatus = Collections2.optional(migrateStatus);
      preserveNodePorts = Collections2.optional(preserveNodePorts);
    }

    public ResourceFilter filter() {
      return resourceFilter.orElse(ResourceFilter.ALL);
    }
  }
}
