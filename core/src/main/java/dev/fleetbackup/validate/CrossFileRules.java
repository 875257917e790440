package dev.fleetbackup.validate;

import dev.fleetbackup.model.AttachedCluster;
import dev.fleetbackup.model.Backup;
import dev.fleetbackup.model.ClusterRef;
import dev.fleetbackup.model.ConfigResource;
import dev.fleetbackup.model.Destination;
import dev.fleetbackup.model.Diagnostic;
import dev.fleetbackup.model.Fleet;
import dev.fleetbackup.model.GoDuration;
import dev.fleetbackup.model.Kind;
import dev.fleetbackup.model.Migrate;
import dev.fleetbackup.model.PolicySet;
import dev.fleetbackup.model.ResourceId;
import dev.fleetbackup.model.Restore;
import dev.fleetbackup.model.SafeText;
import dev.fleetbackup.model.SourceMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/** The rules no schema can express: references between files, Velero's syntax, workflow shape. */
final class CrossFileRules {
  static final Set<String> SUPPORTED_PROVIDERS = Set.of("aws", "huaweicloud");

  private final PolicySet policies;
  private final Consumer<Diagnostic> report;
  // Lookups by namespace and name: a commit may hold tens of thousands of objects, each referring to others.
  private final Map<String, Fleet> fleets = new HashMap<>();
  private final Map<String, AttachedCluster> clusters = new HashMap<>();
  private final Map<String, Backup> backups = new HashMap<>();
  private final Map<String, List<String>> fleetNames = new HashMap<>();
  private final Map<String, List<String>> clusterNames = new HashMap<>();
  private final Map<String, List<String>> backupNames = new HashMap<>();
  private final Names.Suggestions suggestions = new Names.Suggestions();
  /** Objects that failed their schema: they exist, so a reference to one is not reported missing. */
  private final Set<ResourceId> invalid;

  private CrossFileRules(PolicySet policies, Set<ResourceId> invalid, Consumer<Diagnostic> report) {
    this.policies = policies;
    this.invalid = invalid;
    this.report = report;
    index(policies.fleets(), fleets, fleetNames);
    index(policies.clusters(), clusters, clusterNames);
    index(policies.backups(), backups, backupNames);
  }

  private static <T extends ConfigResource> void index(List<T> resources, Map<String, T> byName, Map<String, List<String>> names) {
    for (T resource : resources) {
      byName.putIfAbsent(key(resource.metadata().namespace(), resource.metadata().name()), resource);
      names.computeIfAbsent(resource.metadata().namespace(), ns -> new ArrayList<>()).add(resource.metadata().name());
    }
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }

  /** The clusters a destination selects, as {@link PolicySet#clustersOf} says, from the index. */
  private List<String> clustersOf(Destination destination, String namespace) {
    if (!destination.clusters().isEmpty()) {
      return destination.clusterNames();
    }
    Fleet fleet = fleets.get(key(namespace, destination.fleet()));
    return fleet == null ? List.of() : fleet.clusterNames();
  }

  /** The rules within one object: cron, ttl, filters, storage. They hold whatever the other files say. */
  static void checkEachObject(PolicySet policies, Consumer<Diagnostic> report) {
    CrossFileRules rules = new CrossFileRules(policies, Set.of(), report);
    VeleroRules velero = new VeleroRules(report);
    policies.fleets().forEach(rules::checkStorage);
    policies.fleets().forEach(velero::checkFleet);
    policies.backups().forEach(velero::checkBackup);
    policies.restores().forEach(velero::checkRestore);
    policies.backups().forEach(rules::checkBackupSpec);
    policies.restores().forEach(rules::checkRestorePolicy);
    policies.migrates().forEach(rules::checkMigratePolicy);
  }

  /**
   * The rules between objects, among the objects that passed their schema; {@code invalid} are the
   * ones that did not, whose own errors say what is wrong with them.
   */
  static void checkReferences(PolicySet policies, Set<ResourceId> invalid, Consumer<Diagnostic> report) {
    CrossFileRules rules = new CrossFileRules(policies, invalid, report);
    policies.fleets().forEach(rules::checkFleetClusters);
    rules.checkOneBackupInstallPerCluster();
    policies.backups().forEach(b -> rules.checkDestination(b, "/spec/destination", b.spec().destination())
        .ifPresent(fleet -> rules.checkSnapshotLocations(b, fleet)));
    policies.restores().forEach(rules::checkRestore);
    policies.migrates().forEach(rules::checkMigrate);
  }

  private void error(ConfigResource owner, String pointer, String message) {
    report.accept(Diagnostic.error(owner.locate(pointer), message));
  }

  private void checkFleetClusters(Fleet fleet) {
    Set<String> seen = new HashSet<>();
    List<ClusterRef> clusters = fleet.spec().clusters();
    for (int i = 0; i < clusters.size(); i++) {
      checkClusterRef(fleet, "/spec/clusters/" + i, clusters.get(i));
      if (!seen.add(clusters.get(i).name())) {
        error(fleet, "/spec/clusters/" + i + "/name", "cluster " + SafeText.quote(clusters.get(i).name()) + " is listed twice");
      }
    }
  }

  private void checkStorage(Fleet fleet) {
    fleet.backup().ifPresent(backup -> {
      String location = "/spec/plugin/backup/storage/location";
      String provider = backup.storage().location().provider();
      if (!SUPPORTED_PROVIDERS.contains(provider)) {
        error(fleet, location + "/provider", "provider " + SafeText.quote(provider)
            + " is not supported yet: fleet-backup installs Velero's AWS plugin, for providers aws (S3, MinIO) and huaweicloud (OBS)");
      }
    });
  }

  /** A member gets one Velero install, so it can take its backup plugin from one fleet only. */
  private void checkOneBackupInstallPerCluster() {
    Map<String, Fleet> installer = new HashMap<>();
    for (Fleet fleet : policies.fleets()) {
      if (fleet.backup().isEmpty()) {
        continue;
      }
      List<ClusterRef> clusters = fleet.spec().clusters();
      for (int i = 0; i < clusters.size(); i++) {
        String key = fleet.metadata().namespace() + "/" + clusters.get(i).name();
        Fleet other = installer.putIfAbsent(key, fleet);
        if (other != null && other != fleet) {
          error(fleet, "/spec/clusters/" + i + "/name", "cluster " + SafeText.quote(clusters.get(i).name())
              + " already takes its Velero install from fleet " + SafeText.quote(other.metadata().name()));
        }
      }
    }
  }

  /**
   * A member: an AttachedCluster of the repo, or one of Kurator's cluster-api clusters ({@code kind:
   * Cluster}, or no kind), which the repo does not hold: it is reached through cluster-api's
   * {@code <name>-kubeconfig} Secret ({@link ClusterApiMembers}).
   */
  private void checkClusterRef(ConfigResource owner, String pointer, ClusterRef ref) {
    if (ClusterRef.CLUSTER.equals(ref.effectiveKind())) {
      return;
    }
    if (!ClusterRef.ATTACHED_CLUSTER.equals(ref.effectiveKind())) {
      error(owner, pointer + "/kind", "cluster " + SafeText.quote(ref.name()) + ": kind " + SafeText.quote(ref.effectiveKind())
          + " is not supported; a member is an AttachedCluster or a Cluster (Kurator's cluster-api clusters)");
      return;
    }
    String namespace = owner.metadata().namespace();
    if (!clusters.containsKey(key(namespace, ref.name())) && !invalid.contains(new ResourceId(Kind.ATTACHED_CLUSTER, namespace, ref.name()))) {
      error(owner, pointer + "/name", "no AttachedCluster " + SafeText.quote(ref.name()) + " in namespace " + SafeText.quote(namespace)
          + suggestions.didYouMean(ref.name(), clusterNames.getOrDefault(namespace, List.of())));
    }
  }

  /** Checks a destination and returns its fleet when the fleet exists. */
  private Optional<Fleet> checkDestination(ConfigResource owner, String pointer, Destination destination) {
    String namespace = owner.metadata().namespace();
    Optional<Fleet> fleet = Optional.ofNullable(fleets.get(key(namespace, destination.fleet())));
    if (fleet.isEmpty()) {
      if (invalid.contains(new ResourceId(Kind.FLEET, namespace, destination.fleet()))) {
        return Optional.empty();
      }
      error(owner, pointer + "/fleet", "no Fleet " + SafeText.quote(destination.fleet()) + " in namespace " + SafeText.quote(namespace)
          + suggestions.didYouMean(destination.fleet(), fleetNames.getOrDefault(namespace, List.of())));
      return Optional.empty();
    }
    if (fleet.get().backup().isEmpty()) {
      error(owner, pointer + "/fleet", "fleet " + SafeText.quote(destination.fleet()) + " has no spec.plugin.backup, so Velero is not installed on its clusters");
    }
    Map<String, String> members = new HashMap<>();
    fleet.get().spec().clusters().forEach(c -> members.putIfAbsent(c.name(), c.effectiveKind()));
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < destination.clusters().size(); i++) {
      ClusterRef ref = destination.clusters().get(i);
      String at = pointer + "/clusters/" + i;
      String kind = members.get(ref.name());
      if (kind == null) {
        error(owner, at + "/name", "cluster " + SafeText.quote(ref.name()) + " is not a member of fleet " + SafeText.quote(destination.fleet())
            + suggestions.didYouMean(ref.name(), members.keySet()));
      } else if (!kind.equals(ref.effectiveKind())) {
        error(owner, at + (ref.kind() == null ? "/name" : "/kind"), "cluster " + SafeText.quote(ref.name()) + " is a member of kind "
            + SafeText.quote(kind) + " of fleet " + SafeText.quote(destination.fleet()) + ", not " + SafeText.quote(ref.effectiveKind())
            + (ref.kind() == null ? " (no kind is Cluster, as in Kurator)" : ""));
      } else {
        checkClusterRef(owner, at, ref);
      }
      if (!seen.add(ref.name())) {
        error(owner, at + "/name", "cluster " + SafeText.quote(ref.name()) + " is listed twice");
      }
    }
    return fleet;
  }

  /** Each member has a volume snapshot location, {@code default}, only when its fleet sets {@code snapshotsEnabled}. */
  private void checkSnapshotLocations(Backup backup, Fleet fleet) {
    boolean snapshots = fleet.backup().map(b -> b.extraArgs().snapshots()).orElse(false);
    if (!snapshots && !backup.spec().effectivePolicy().volumeSnapshotLocations().isEmpty()) {
      error(backup, "/spec/policy/volumeSnapshotLocations", "fleet " + SafeText.quote(fleet.metadata().name())
          + " gives its members no volume snapshot location: set extraArgs.snapshotsEnabled: true in its backup plugin");
    }
  }

  private void checkBackupSpec(Backup backup) {
    backup.spec().schedule().filter(s -> !s.isBlank()).ifPresent(schedule ->
        VeleroCron.parse(schedule).problem().ifPresent(p -> error(backup, "/spec/schedule", "schedule " + SafeText.quote(schedule) + ": " + p)));
    backup.spec().policy().ifPresent(policy -> {
      policy.ttl().ifPresent(ttl -> checkTtl(backup, "/spec/policy/ttl", ttl));
      policy.resourceFilter().ifPresent(f -> FilterRules.check(backup, "/spec/policy/resourceFilter", f, false, report));
    });
  }

  private void checkTtl(ConfigResource owner, String pointer, String ttl) {
    if (GoDuration.parse(ttl).filter(d -> !d.isNegative()).isEmpty()) {
      error(owner, pointer, "ttl " + SafeText.quote(ttl) + ": not a Go duration such as 720h or 72h30m");
    }
  }

  private void checkRestore(Restore restore) {
    String namespace = restore.metadata().namespace();
    String backupName = restore.spec().backupName();
    Optional<Backup> backup = Optional.ofNullable(backups.get(key(namespace, backupName)));
    if (backup.isEmpty() && !invalid.contains(new ResourceId(Kind.BACKUP, namespace, backupName))) {
      error(restore, "/spec/backupName", "backupName " + SafeText.quote(backupName) + ": no Backup " + SafeText.quote(backupName)
          + " in namespace " + SafeText.quote(namespace)
          + suggestions.didYouMean(backupName, backupNames.getOrDefault(namespace, List.of())));
    }
    restore.spec().destination().ifPresent(destination -> {
      checkDestination(restore, "/spec/destination", destination);
      backup.ifPresent(b -> checkRestoreWithinBackup(restore, destination, b));
    });
  }

  private void checkRestorePolicy(Restore restore) {
    restore.spec().policy().ifPresent(policy -> {
      policy.resourceFilter().ifPresent(f -> FilterRules.check(restore, "/spec/policy/resourceFilter", f, true, report));
      checkNamespaceMapping(restore, "/spec/policy/namespaceMapping", policy.namespaceMapping());
    });
  }

  /** Restoring elsewhere than where the backup was taken is a migration, as in Kurator. */
  private void checkRestoreWithinBackup(Restore restore, Destination destination, Backup backup) {
    Destination backupDestination = backup.spec().destination();
    if (!destination.fleet().equals(backupDestination.fleet())) {
      error(restore, "/spec/destination/fleet", "destination fleet " + SafeText.quote(destination.fleet()) + " is not the fleet of backup "
          + SafeText.quote(backup.metadata().name()) + " (" + SafeText.quote(backupDestination.fleet()) + "); use a Migrate to restore into other clusters");
      return;
    }
    Set<String> backedUp = Set.copyOf(clustersOf(backupDestination, backup.metadata().namespace()));
    for (int i = 0; i < destination.clusters().size(); i++) {
      String cluster = destination.clusters().get(i).name();
      if (!backedUp.contains(cluster)) {
        error(restore, "/spec/destination/clusters/" + i + "/name", "cluster " + SafeText.quote(cluster) + " is not backed up by backup "
            + SafeText.quote(backup.metadata().name()) + "; use a Migrate to restore into other clusters");
      }
    }
  }

  private void checkMigrate(Migrate migrate) {
    String namespace = migrate.metadata().namespace();
    Destination source = migrate.spec().sourceCluster();
    Destination target = migrate.spec().targetCluster();
    Optional<Fleet> sourceFleet = checkDestination(migrate, "/spec/sourceCluster", source);
    Optional<Fleet> targetFleet = checkDestination(migrate, "/spec/targetCluster", target);
    List<String> sources = sourceFleet.isPresent() ? clustersOf(source, namespace) : List.of();
    List<String> targets = targetFleet.isPresent() ? clustersOf(target, namespace) : List.of();
    if (sourceFleet.isPresent() && sources.size() != 1) {
      error(migrate, "/spec/sourceCluster", "sourceCluster must select exactly one cluster, selects " + sources.size());
    }
    if (targetFleet.isPresent() && targets.isEmpty()) {
      error(migrate, "/spec/targetCluster", "targetCluster must select at least one cluster");
    }
    if (sources.size() == 1) {
      int index = target.clusterNames().indexOf(sources.get(0));
      if (index >= 0) {
        error(migrate, "/spec/targetCluster/clusters/" + index + "/name",
            "target cluster " + SafeText.quote(sources.get(0)) + " is the source cluster");
      } else if (targets.contains(sources.get(0))) {
        error(migrate, "/spec/targetCluster", "targetCluster selects the source cluster " + SafeText.quote(sources.get(0))
            + " (all clusters of fleet " + SafeText.quote(target.fleet()) + "); list the target clusters");
      }
    }
  }

  private void checkMigratePolicy(Migrate migrate) {
    migrate.spec().policy().ifPresent(policy -> {
      policy.resourceFilter().ifPresent(f -> FilterRules.check(migrate, "/spec/policy/resourceFilter", f, false, report));
      checkNamespaceMapping(migrate, "/spec/policy/namespaceMapping", policy.namespaceMapping());
    });
  }

  private void checkNamespaceMapping(ConfigResource owner, String pointer, Map<String, String> mapping) {
    mapping.forEach((from, to) -> Names.namespaceProblem(to).ifPresent(p ->
        error(owner, SourceMap.child(pointer, from), "namespaceMapping target " + SafeText.quote(to) + ": " + p)));
  }
}
