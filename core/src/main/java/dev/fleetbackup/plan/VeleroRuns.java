package dev.fleetbackup.plan;

import dev.fleetbackup.model.Backup;
import dev.fleetbackup.model.LabelSelector;
import dev.fleetbackup.model.Migrate;
import dev.fleetbackup.model.PreserveStatus;
import dev.fleetbackup.model.ResourceFilter;
import dev.fleetbackup.model.Restore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Kurator's policies as Velero objects in one member: a scheduled Backup becomes a Schedule, an
 * immediate one a Backup run, a Restore a Restore run, a Migrate the Backup run in its source.
 * Names and labels as Kurator makes them, fitted to 63 characters.
 */
final class VeleroRuns {
  private final PlanSettings settings;

  VeleroRuns(PlanSettings settings) {
    this.settings = settings;
  }

  static String backupBase(String cluster, String namespace, String backup) {
    return Names.kurator(cluster, "backup", namespace, backup);
  }

  DesiredObject schedule(String cluster, String fleet, Backup backup) {
    String name = Names.fit(backupBase(cluster, backup.metadata().namespace(), backup.metadata().name()));
    ObjectRef ref = new ObjectRef(ManagedKind.SCHEDULE, settings.namespace(), name);
    ObjectNode spec = Manifests.NODES.objectNode();
    spec.put("schedule", backup.spec().schedule().orElseThrow());
    spec.set("template", backupSpec(backup.spec().effectivePolicy().filter(), backup.spec().effectivePolicy().ttl(),
        backup.spec().effectivePolicy().orderedResources()));
    return DesiredObject.reconciled(ref, Manifests.velero(ref, labels(fleet, Conventions.BACKUP_NAME, backup.metadata().name()), Map.of(), spec));
  }

  DesiredObject immediateBackup(String cluster, String fleet, Backup backup) {
    Backup.Policy policy = backup.spec().effectivePolicy();
    return run(ManagedKind.BACKUP, backupBase(cluster, backup.metadata().namespace(), backup.metadata().name()),
        labels(fleet, Conventions.BACKUP_NAME, backup.metadata().name()),
        backupSpec(policy.filter(), policy.ttl(), policy.orderedResources()), Optional.empty());
  }

  DesiredObject migrationBackup(String cluster, String fleet, Migrate migrate) {
    Migrate.Policy policy = migrate.spec().effectivePolicy();
    return run(ManagedKind.BACKUP, Names.kurator(cluster, "migrate", migrate.metadata().namespace(), migrate.metadata().name()),
        labels(fleet, Conventions.MIGRATE_NAME, migrate.metadata().name()),
        backupSpec(policy.filter(), Optional.empty(), policy.orderedResources()), Optional.empty());
  }

  /** A Restore of an immediate backup's current run; {@code spec.backupName} is set once that run has completed. */
  DesiredObject restore(String cluster, String fleet, Restore restore, Backup backup) {
    String backupBase = backupBase(cluster, backup.metadata().namespace(), backup.metadata().name());
    Restore.Policy policy = restore.spec().effectivePolicy();
    ObjectNode spec = Manifests.NODES.objectNode();
    spec.put("backupName", backupBase); // replaced by the run's actual name when resolved
    filters(spec, policy.filter(), false);
    map(spec, "namespaceMapping", policy.namespaceMapping());
    policy.preserveStatus().ifPresent(p -> spec.set("restoreStatus", restoreStatus(p)));
    policy.preserveNodePorts().ifPresent(b -> spec.put("preserveNodePorts", b));
    String hash = Manifests.hash(spec);
    excludeRefusedNamespaces(spec, policy.filter(), policy.namespaceMapping());
    return run(ManagedKind.RESTORE, Names.kurator(cluster, "restore", restore.metadata().namespace(), restore.metadata().name()),
        labels(fleet, Conventions.RESTORE_NAME, restore.metadata().name()), spec, hash, Optional.of(backupBase));
  }

  /**
   * The Restore of a migration in one target: the policy's filters, namespace mapping, status and
   * node ports; {@code spec.backupName} names the source's base until the workflow sets the run.
   */
  DesiredObject migrationRestore(String cluster, String fleet, Migrate migrate, String sourceBackupBase) {
    Migrate.Policy policy = migrate.spec().effectivePolicy();
    ObjectNode spec = Manifests.NODES.objectNode();
    spec.put("backupName", sourceBackupBase); // replaced by the source run's name by the workflow
    filters(spec, policy.filter(), false);
    map(spec, "namespaceMapping", policy.namespaceMapping());
    policy.migrateStatus().ifPresent(p -> spec.set("restoreStatus", restoreStatus(p)));
    policy.preserveNodePorts().ifPresent(b -> spec.put("preserveNodePorts", b));
    String hash = Manifests.hash(spec);
    excludeRefusedNamespaces(spec, policy.filter(), policy.namespaceMapping());
    return run(ManagedKind.RESTORE, Names.kurator(cluster, "migrate", migrate.metadata().namespace(), migrate.metadata().name()),
        labels(fleet, Conventions.MIGRATE_NAME, migrate.metadata().name()), spec, hash, Optional.empty());
  }

  /**
   * The guardrail at run time: a restore of every namespace (no includedNamespaces, {@code *}, or a
   * pattern Velero matches) would write a backed-up kube-system back in place, so it excludes each
   * refused namespace it does not map elsewhere. Validation refuses the rest: a mapping into a
   * refused namespace, an included one restored in place. Excluding a namespace makes Velero drop
   * the cluster-scoped resources it restores with "every namespace"; includeClusterResources keeps them.
   *
   * <p>Not part of the spec hash: the hash says which policy a run came from, and a changed
   * guardrail does not make another policy of it.
   */
  private void excludeRefusedNamespaces(ObjectNode spec, ResourceFilter filter, Map<String, String> mapping) {
    List<String> included = filter.includedNamespaces();
    if (!included.isEmpty() && included.stream().noneMatch(VeleroRuns::isPattern)) {
      return;
    }
    List<String> excluded = settings.refusedTargetNamespaces().stream()
        .filter(ns -> !mapping.containsKey(ns) && !included.contains(ns) && !filter.excludedNamespaces().contains(ns))
        .toList();
    if (excluded.isEmpty()) {
      return;
    }
    boolean everything = filter.excludedNamespaces().isEmpty() && (included.isEmpty() || included.equals(List.of("*")));
    if (everything && filter.includeClusterResources().isEmpty()) {
      spec.put("includeClusterResources", true);
    }
    ArrayNode excludes = spec.withArrayProperty("excludedNamespaces");
    excluded.forEach(excludes::add);
  }

  /** Whether Velero reads a namespace filter entry as a glob pattern. */
  private static boolean isPattern(String namespace) {
    return namespace.chars().anyMatch(c -> "*?[]{}\\".indexOf(c) >= 0);
  }

  static ObjectRef restoreRef(String namespace, String cluster, Restore restore) {
    return new ObjectRef(ManagedKind.RESTORE, namespace,
        Names.fit(Names.kurator(cluster, "restore", restore.metadata().namespace(), restore.metadata().name())));
  }

  static ObjectRef migrationRestoreRef(String namespace, String cluster, Migrate migrate) {
    return new ObjectRef(ManagedKind.RESTORE, namespace,
        Names.fit(Names.kurator(cluster, "migrate", migrate.metadata().namespace(), migrate.metadata().name())));
  }

  private DesiredObject run(ManagedKind kind, String base, Map<String, String> labels, ObjectNode spec, Optional<String> afterBackup) {
    return run(kind, base, labels, spec, Manifests.hash(spec), afterBackup);
  }

  private DesiredObject run(ManagedKind kind, String base, Map<String, String> labels, ObjectNode spec, String hash,
      Optional<String> afterBackup) {
    Run run = new Run(base, hash, afterBackup);
    ObjectRef ref = new ObjectRef(kind, settings.namespace(), run.nameOf(1));
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put(Conventions.SPEC_HASH, hash);
    annotations.put(Conventions.RUN, base);
    annotations.put(Conventions.RUN_NUMBER, "1");
    return new DesiredObject(ref, Manifests.velero(ref, labels, annotations, spec), Optional.of(run));
  }

  /** Velero's BackupSpec from Kurator's policy, field for field; absent fields stay absent. */
  static ObjectNode backupSpec(ResourceFilter filter, Optional<String> ttl, Map<String, String> orderedResources) {
    ObjectNode spec = Manifests.NODES.objectNode();
    filters(spec, filter, true);
    ttl.ifPresent(t -> spec.put("ttl", t));
    map(spec, "orderedResources", orderedResources);
    return spec;
  }

  private static void filters(ObjectNode spec, ResourceFilter f, boolean scoped) {
    list(spec, "includedNamespaces", f.includedNamespaces());
    list(spec, "excludedNamespaces", f.excludedNamespaces());
    list(spec, "includedResources", f.includedResources());
    list(spec, "excludedResources", f.excludedResources());
    f.includeClusterResources().ifPresent(b -> spec.put("includeClusterResources", b));
    if (scoped) { // a Velero RestoreSpec has no scoped filters
      list(spec, "includedClusterScopedResources", f.includedClusterScopedResources());
      list(spec, "excludedClusterScopedResources", f.excludedClusterScopedResources());
      list(spec, "includedNamespaceScopedResources", f.includedNamespaceScopedResources());
      list(spec, "excludedNamespaceScopedResources", f.excludedNamespaceScopedResources());
    }
    f.labelSelector().ifPresent(s -> spec.set("labelSelector", selector(s)));
    if (!f.orLabelSelectors().isEmpty()) {
      ArrayNode or = spec.putArray("orLabelSelectors");
      f.orLabelSelectors().forEach(s -> or.add(selector(s)));
    }
  }

  private static ObjectNode selector(LabelSelector s) {
    ObjectNode node = Manifests.NODES.objectNode();
    map(node, "matchLabels", s.matchLabels());
    if (!s.matchExpressions().isEmpty()) {
      ArrayNode expressions = node.putArray("matchExpressions");
      for (LabelSelector.Requirement r : s.matchExpressions()) {
        ObjectNode e = expressions.addObject();
        e.put("key", r.key());
        e.put("operator", r.operator());
        list(e, "values", r.values());
      }
    }
    return node;
  }

  private static ObjectNode restoreStatus(PreserveStatus p) {
    ObjectNode node = Manifests.NODES.objectNode();
    list(node, "includedResources", p.includedResources());
    list(node, "excludedResources", p.excludedResources());
    return node;
  }

  private static void list(ObjectNode node, String field, List<String> values) {
    if (!values.isEmpty()) {
      ArrayNode array = node.putArray(field);
      values.forEach(array::add);
    }
  }

  private static void map(ObjectNode node, String field, Map<String, String> values) {
    if (!values.isEmpty()) {
      ObjectNode map = node.putObject(field);
      values.forEach(map::put);
    }
  }

  private static Map<String, String> labels(String fleet, String creatorLabel, String creatorName) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(creatorLabel, Names.fit(creatorName));
    labels.put(Conventions.FLEET_NAME, Names.fit(fleet));
    labels.put(Conventions.PLUGIN, Conventions.PLUGIN_BACKUP);
    labels.put(Conventions.MANAGED_BY, Conventions.MANAGED_BY_VALUE);
    return labels;
  }
}
