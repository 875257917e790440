package dev.fleetbackup.model;

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

  public record Policy(Optional<ResourceFilter> resourceFilter, Optional<String> ttl, Map<String, String> orderedResources) {
    static final Policy NONE = new Policy(null, null, null);

    public Policy {
      resourceFilter = Collections2.optional(resourceFilter);
      ttl = Collections2.optional(ttl);
      orderedResources = Collections2.map(orderedResources);
    }

    public ResourceFilter filter() {
      return resourceFilter.orElse(ResourceFilter.ALL);
    }
  }
}
