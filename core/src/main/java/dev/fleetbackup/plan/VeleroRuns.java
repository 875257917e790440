package dev.fleetbackup.plan;

import dev.fleetbackup.model.Backup;
import dev.fleetbackup.model.Migrate;
import dev.fleetbackup.model.PreserveStatus;
import dev.fleetbackup.model.ResourceFilter;
import dev.fleetbackup.model.Restore;
import dev.fleetbackup.model.VeleroBackup;
import dev.fleetbackup.model.VeleroMeta;
import dev.fleetbackup.model.VeleroRestore;
import dev.fleetbackup.model.VeleroSchedule;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
    Backup.Policy policy = backup.spec().effectivePolicy();
    VeleroSchedule schedule = new VeleroSchedule(
        VeleroMeta.of(name, ref.namespace(), labels(fleet, Conventions.BACKUP_NAME, backup.metadata().name()), Map.of()),
        new VeleroSchedule.Spec(backup.spec().schedule().orElseThrow(), backupSpec(policy),
            policy.useOwnerReferencesInBackup(), policy.paused(), policy.skipImmediately()),
        null);
    return DesiredObject.reconciled(ref, VeleroCodec.encode(schedule));
  }

  DesiredObject immediateBackup(String cluster, String fleet, Backup backup) {
    Backup.Policy policy = backup.spec().effectivePolicy();
    return backupRun(backupBase(cluster, backup.metadata().namespace(), backup.metadata().name()),
        labels(fleet, Conventions.BACKUP_NAME, backup.metadata().name()),
        backupSpec(policy));
  }

  DesiredObject migrationBackup(String cluster, String fleet, Migrate migrate) {
    Migrate.Policy policy = migrate.spec().effectivePolicy();
    return backupRun(Names.kurator(cluster, "migrate", migrate.metadata().namespace(), migrate.metadata().name()),
        labels(fleet, Conventions.MIGRATE_NAME, migrate.metadata().name()),
        backupSpec(policy.filter(), Optional.empty(), policy.orderedResources(), Backup.Policy.NONE));
  }

  /**
   * A Restore of a Backup in the same cluster: its current run, or its schedule's newest completed
   * run; {@code spec.backupName} names the backup's base until the workflows name the run.
   */
  DesiredObject restore(String cluster, String fleet, Restore restore, Backup backup) {
    String backupBase = backupBase(cluster, backup.metadata().namespace(), backup.metadata().name());
    Restore.Policy policy = restore.spec().effectivePolicy();
    // backupName is replaced by the run's actual name when resolved
    VeleroRestore.Spec spec = restoreSpec(backupBase, policy.filter(), policy.namespaceMapping(), policy.preserveStatus(),
        policy.preserveNodePorts(), policy);
    return restoreRun(Names.kurator(cluster, "restore", restore.metadata().namespace(), restore.metadata().name()),
        labels(fleet, Conventions.RESTORE_NAME, restore.metadata().name()), spec, policy.filter(), policy.namespaceMapping(),
        new RestoreOf.FromBackup(restore, backup));
  }

  /**
   * The Restore of a migration in one target: the policy's filters, namespace mapping, status and
   * node ports; {@code spec.backupName} names the source's base until the workflows name the run.
   */
  DesiredObject migrationRestore(String cluster, String fleet, Migrate migrate, String source) {
    Migrate.Policy policy = migrate.spec().effectivePolicy();
    VeleroRestore.Spec spec = restoreSpec(WorkflowRuns.migrationRunBase(source, migrate), policy.filter(),
        policy.namespaceMapping(), policy.migrateStatus(), policy.preserveNodePorts(), Restore.Policy.NONE);
    return restoreRun(Names.kurator(cluster, "migrate", migrate.metadata().namespace(), migrate.metadata().name()),
        labels(fleet, Conventions.MIGRATE_NAME, migrate.metadata().name()), spec, policy.filter(), policy.namespaceMapping(),
        new RestoreOf.FromMigration(migrate, source));
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
  private VeleroRestore.Spec excludeRefusedNamespaces(VeleroRestore.Spec spec, ResourceFilter filter, Map<String, String> mapping) {
    List<String> included = filter.includedNamespaces();
    if (!included.isEmpty() && included.stream().noneMatch(VeleroRuns::isPattern)) {
      return spec;
    }
    List<String> excluded = settings.refusedTargetNamespaces().stream()
        .filter(ns -> !mapping.containsKey(ns) && !included.contains(ns) && !filter.excludedNamespaces().contains(ns))
        .toList();
    if (excluded.isEmpty()) {
      return spec;
    }
    boolean everything = filter.excludedNamespaces().isEmpty() && (included.isEmpty() || included.equals(List.of("*")));
    return spec.excluding(excluded, everything && filter.includeClusterResources().isEmpty()
        ? Optional.of(true) : spec.includeClusterResources());
  }

  /** Whether Velero reads a namespace filter entry as a glob pattern. */
  private static boolean isPattern(String namespace) {
    return namespace.chars().anyMatch(c -> "*?[]{}\\".indexOf(c) >= 0);
  }

  private DesiredObject backupRun(String base, Map<String, String> labels, VeleroBackup.Spec spec) {
    String hash = Manifests.hash(VeleroCodec.tree(spec));
    Run run = new Run(base, hash, Optional.empty());
    ObjectRef ref = new ObjectRef(ManagedKind.BACKUP, settings.namespace(), run.nameOf(1));
    return new DesiredObject(ref, VeleroCodec.encode(new VeleroBackup(runMeta(ref, labels, run), spec, null)), Optional.of(run));
  }

  /** A Restore run; its spec hash is taken before the guardrail adds to it. */
  private DesiredObject restoreRun(String base, Map<String, String> labels, VeleroRestore.Spec spec, ResourceFilter filter,
      Map<String, String> mapping, RestoreOf restores) {
    String hash = Manifests.hash(VeleroCodec.tree(spec));
    Run run = new Run(base, hash, Optional.of(restores));
    ObjectRef ref = new ObjectRef(ManagedKind.RESTORE, settings.namespace(), run.nameOf(1));
    VeleroRestore restore = new VeleroRestore(runMeta(ref, labels, run), excludeRefusedNamespaces(spec, filter, mapping), null);
    return new DesiredObject(ref, VeleroCodec.encode(restore), Optional.of(run));
  }

  private static VeleroMeta runMeta(ObjectRef ref, Map<String, String> labels, Run run) {
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put(Conventions.SPEC_HASH, run.specHash());
    annotations.put(Conventions.RUN, run.base());
    annotations.put(Conventions.RUN_NUMBER, "1");
    return VeleroMeta.of(ref.name(), ref.namespace(), labels, annotations);
  }

  /** Velero's BackupSpec from a Backup's policy, field for field; absent fields stay absent. */
  private static VeleroBackup.Spec backupSpec(Backup.Policy policy) {
    return backupSpec(policy.filter(), policy.ttl(), policy.orderedResources(), policy);
  }

  /** Velero's BackupSpec: Kurator's filters, ttl and order, and the Velero fields of {@code velero}. */
  private static VeleroBackup.Spec backupSpec(ResourceFilter f, Optional<String> ttl, Map<String, String> orderedResources,
      Backup.Policy velero) {
    return new VeleroBackup.Spec(f.includedNamespaces(), f.excludedNamespaces(), f.includedResources(), f.excludedResources(),
        f.includeClusterResources(), f.includedClusterScopedResources(), f.excludedClusterScopedResources(),
        f.includedNamespaceScopedResources(), f.excludedNamespaceScopedResources(), f.labelSelector(), f.orLabelSelectors(),
        ttl, orderedResources, velero.storageLocation(), velero.snapshotVolumes(), velero.hooks(), velero.volumeSnapshotLocations(),
        velero.defaultVolumesToFsBackup(), velero.csiSnapshotTimeout(), velero.itemOperationTimeout(), velero.resourcePolicy(),
        velero.snapshotMoveData(), velero.datamover());
  }

  /** Velero's RestoreSpec from Kurator's policy (a RestoreSpec has no scoped filters) and the Velero fields of {@code velero}. */
  private static VeleroRestore.Spec restoreSpec(String backupName, ResourceFilter f, Map<String, String> namespaceMapping,
      Optional<PreserveStatus> preserveStatus, Optional<Boolean> preserveNodePorts, Restore.Policy velero) {
    return new VeleroRestore.Spec(backupName, Optional.empty(), f.includedNamespaces(), f.excludedNamespaces(),
        f.includedResources(), f.excludedResources(), f.includeClusterResources(), f.labelSelector(), f.orLabelSelectors(),
        namespaceMapping, preserveStatus.map(p -> new VeleroRestore.StatusFilter(p.includedResources(), p.excludedResources())),
        preserveNodePorts, velero.restorePVs(), velero.hooks(), velero.existingResourcePolicy(), velero.itemOperationTimeout(),
        velero.resourceModifier());
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
