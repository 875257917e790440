package dev.fleetbackup.model;

import java.util.List;
import java.util.Optional;

/** Which objects a backup, restore or migration takes: Kurator's ResourceFilter, Velero's fields 1:1. */
public record ResourceFilter(
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
    List<LabelSelector> orLabelSelectors) {

  public static final ResourceFilter ALL =
      new ResourceFilter(null, null, null, null, null, null, null, null, null, null, null);

  public ResourceFilter {
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
  }
}
