package dev.fleetbackup.validate;

import dev.fleetbackup.model.ConfigResource;
import dev.fleetbackup.model.Diagnostic;
import dev.fleetbackup.model.ResourceFilter;
import dev.fleetbackup.model.SafeText;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Velero's rules for resource filters, which Kurator documents but never enforces. */
final class FilterRules {
  private FilterRules() {}

  /**
   * @param pointer the JSON Pointer of the {@code resourceFilter} node
   * @param forRestore Velero restores know only the old resource filters, not the scoped ones
   */
  static void check(ConfigResource owner, String pointer, ResourceFilter filter, boolean forRestore,
      Consumer<Diagnostic> report) {
    List<String> oldStyle = new ArrayList<>();
    List<String> scoped = new ArrayList<>();
    addIf(!filter.includedResources().isEmpty(), "includedResources", oldStyle);
    addIf(!filter.excludedResources().isEmpty(), "excludedResources", oldStyle);
    addIf(filter.includeClusterResources().isPresent(), "includeClusterResources", oldStyle);
    addIf(!filter.includedClusterScopedResources().isEmpty(), "includedClusterScopedResources", scoped);
    addIf(!filter.excludedClusterScopedResources().isEmpty(), "excludedClusterScopedResources", scoped);
    addIf(!filter.includedNamespaceScopedResources().isEmpty(), "includedNamespaceScopedResources", scoped);
    addIf(!filter.excludedNamespaceScopedResources().isEmpty(), "excludedNamespaceScopedResources", scoped);

    if (forRestore) {
      // Kurator accepts them and drops them without a word; the user must at least hear of it.
      for (String field : scoped) {
        report.accept(Diagnostic.warning(owner.locate(pointer + "/" + field),
            field + " has no effect in a restore: Velero's Restore ignores it and filters with includedResources,"
                + " excludedResources and includeClusterResources only (Kurator drops it without a word)"));
      }
    } else if (!oldStyle.isEmpty() && !scoped.isEmpty()) {
      report.accept(Diagnostic.error(owner.locate(pointer + "/" + scoped.get(0)),
          scoped.get(0) + " cannot be combined with " + oldStyle.get(0)
              + ": Velero takes either the old resource filters (includedResources, excludedResources, includeClusterResources) or the scoped ones"));
    }

    if (filter.labelSelector().isPresent() && !filter.orLabelSelectors().isEmpty()) {
      report.accept(Diagnostic.error(owner.locate(pointer + "/orLabelSelectors"),
          "labelSelector and orLabelSelectors cannot both be set: Velero takes one or the other"));
    }

    List<String> excluded = filter.excludedNamespaces();
    for (int i = 0; i < filter.includedNamespaces().size(); i++) {
      String namespace = filter.includedNamespaces().get(i);
      int j = excluded.indexOf(namespace);
      if (j >= 0) {
        report.accept(Diagnostic.error(owner.locate(pointer + "/excludedNamespaces/" + j),
            "namespace " + SafeText.quote(namespace) + " is both included and excluded"));
      }
    }
  }

  private static void addIf(boolean set, String field, List<String> into) {
    if (set) {
      into.add(field);
    }
  }
}
