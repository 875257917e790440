package dev.fleetbackup.plan;

import dev.fleetbackup.model.AttachedCluster;
import dev.fleetbackup.model.Backup;
import dev.fleetbackup.model.ClusterRef;
import dev.fleetbackup.model.Destination;
import dev.fleetbackup.model.Fleet;
import dev.fleetbackup.model.Migrate;
import dev.fleetbackup.model.PolicySet;
import dev.fleetbackup.model.ResourceId;
import dev.fleetbackup.model.Restore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Turns a valid config repo into what every member cluster should hold. Pure: no network, clock
 * or randomness, so the same policies and credentials always give the same plan.
 *
 * <p>Every AttachedCluster gets a plan, also when no fleet installs Velero on it: its plan is then
 * empty, and applying it removes what fleet-backup installed there before.
 *
 * <p>Being pure, it keeps its last plan: the daemon plans the same applied commit (the same
 * {@link PolicySet}) with the same credentials every pass, and gets it back without rendering.
 * A plan can be shared: each {@link DesiredObject} copies its manifest in and out.
 */
public final class Planner {
  private final PlanSettings settings;
  private final VeleroInstall install;
  private final VeleroRuns runs;
  private final AtomicReference<Planned> last = new AtomicReference<>();

  private record Planned(PolicySet policies, Map<ResourceId, StorageCredentials> credentials, FleetPlan plan) {}

  public Planner(PlanSettings settings) {
    this.settings = settings;
    this.install = new VeleroInstall(settings);
    this.runs = new VeleroRuns(settings);
  }

  /** The install settings the plans are rendered with (Velero's namespace among them). */
  public PlanSettings settings() {
    return settings;
  }

  /**
   * @param credentials the storage credentials of each fleet with the backup plugin, by the
   *     fleet's id; a fleet missing here gets its credentials Secret reported as unrendered
   */
  public FleetPlan plan(PolicySet policies, Map<ResourceId, StorageCredentials> credentials) {
    Planned planned = last.get();
    if (planned != null && planned.policies() == policies && planned.credentials().equals(credentials)) {
      return planned.plan();
    }
    List<MemberPlan> members = new ArrayList<>();
    for (AttachedCluster cluster : policies.clusters()) {
      members.add(member(policies, credentials, cluster));
    }
    FleetPlan plan = new FleetPlan(members);
    last.set(new Planned(policies, Map.copyOf(credentials), plan));
    return plan;
  }

  private MemberPlan member(PolicySet policies, Map<ResourceId, StorageCredentials> credentials, AttachedCluster cluster) {
    String ns = cluster.metadata().namespace();
    String name = cluster.name();
    List<Fleet> fleets = policies.fleets().stream()
        .filter(f -> f.metadata().namespace().equals(ns) && f.backup().isPresent() && contains(f, name))
        .toList();
    if (fleets.isEmpty()) {
      return new MemberPlan(name, ns, Optional.empty(), List.of(), List.of());
    }
    Fleet fleet = fleets.get(0);
    String fleetName = fleet.metadata().name();
    Fleet.BackupConfig backup = fleet.backup().orElseThrow();
    Map<ObjectRef, DesiredObject> objects = new LinkedHashMap<>();
    List<Unrendered> unrendered = new ArrayList<>();
    if (fleets.size() > 1) {
      unrendered.add(new Unrendered(ObjectRef.clusterScoped(ManagedKind.NAMESPACE, settings.namespace()), Unrendered.Reason.CONFLICT,
          "cluster " + name + " is in " + fleets.size() + " fleets with the backup plugin; only fleet " + fleetName + " is installed"));
    }
    install.render(name, fleetName, backup).forEach(o -> objects.putIfAbsent(o.ref(), o));
    credentialsSecret(fleet, credentials, objects, unrendered);

    for (Backup b : policies.backups()) {
      if (selects(policies, b.spec().destination(), b.metadata().namespace(), fleet, name)) {
        DesiredObject o = b.isScheduled() ? runs.schedule(name, fleetName, b) : runs.immediateBackup(name, fleetName, b);
        objects.putIfAbsent(o.ref(), o);
      }
    }
    for (Restore r : policies.restores()) {
      Optional<Backup> restored = policies.backup(r.metadata().namespace(), r.spec().backupName());
      if (restored.isEmpty()) {
        continue; // validation reports it
      }
      Destination destination = r.spec().destination().orElse(restored.get().spec().destination());
      if (!selects(policies, destination, r.metadata().namespace(), fleet, name)) {
        continue;
      }
      DesiredObject o = runs.restore(name, fleetName, r, restored.get());
      objects.putIfAbsent(o.ref(), o);
    }
    for (Migrate m : policies.migrates()) {
      migration(policies, credentials, m, fleet, name, objects, unrendered);
    }
    return new MemberPlan(name, ns, Optional.of(fleetName), List.copyOf(objects.values()), unrendered);
  }

  private void migration(PolicySet policies, Map<ResourceId, StorageCredentials> credentials, Migrate m, Fleet fleet,
      String cluster, Map<ObjectRef, DesiredObject> objects, List<Unrendered> unrendered) {
    String ns = m.metadata().namespace();
    List<String> sources = policies.clustersOf(m.spec().sourceCluster(), ns);
    if (sources.size() != 1) {
      return; // validation reports it
    }
    String source = sources.get(0);
    if (source.equals(cluster) && selects(policies, m.spec().sourceCluster(), ns, fleet, cluster)) {
      DesiredObject o = runs.migrationBackup(cluster, fleet.metadata().name(), m);
      objects.putIfAbsent(o.ref(), o);
    }
    if (!source.equals(cluster) && selects(policies, m.spec().targetCluster(), ns, fleet, cluster)) {
      Optional<Fleet> sourceFleet = policies.fleet(ns, m.spec().sourceCluster().fleet()).filter(f -> f.backup().isPresent());
      if (sourceFleet.isEmpty()) {
        return;
      }
      // This member reads the source member's prefix, read-only, so that Velero syncs its backups here.
      Fleet.Location location = sourceFleet.get().backup().orElseThrow().storage().location();
      DesiredObject readOnly = install.readOnlyLocation(sourceFleet.get().metadata().name(), location, source);
      objects.putIfAbsent(readOnly.ref(), readOnly);
      if (!sourceFleet.get().id().equals(fleet.id())) {
        credentialsSecret(sourceFleet.get(), credentials, objects, unrendered);
      }
      DesiredObject restore = runs.migrationRestore(cluster, fleet.metadata().name(), m, source);
      objects.putIfAbsent(restore.ref(), restore);
    }
  }

  private void credentialsSecret(Fleet fleet, Map<ResourceId, StorageCredentials> credentials,
      Map<ObjectRef, DesiredObject> objects, List<Unrendered> unrendered) {
    Fleet.Location location = fleet.backup().orElseThrow().storage().location();
    StorageCredentials c = credentials.get(fleet.id());
    if (c != null) {
      DesiredObject secret = install.credentialsSecret(fleet.metadata().name(), location, c);
      objects.putIfAbsent(secret.ref(), secret);
    } else {
      ObjectRef ref = VeleroInstall.credentialsSecretRef(settings.namespace(), fleet.metadata().name(), location);
      if (unrendered.stream().noneMatch(u -> u.ref().equals(ref))) {
        unrendered.add(new Unrendered(ref, Unrendered.Reason.CREDENTIALS_UNAVAILABLE,
            "storage credentials of fleet " + fleet.metadata().name() + " (Secret " + fleet.backup().orElseThrow().storage().secretName()
                + ") are not available"));
      }
    }
  }

  /** Whether a destination in {@code namespace} selects {@code cluster} of {@code fleet}. */
  private static boolean selects(PolicySet policies, Destination destination, String namespace, Fleet fleet, String cluster) {
    return namespace.equals(fleet.metadata().namespace())
        && destination.fleet().equals(fleet.metadata().name())
        && policies.clustersOf(destination, namespace).contains(cluster);
  }

  private static boolean contains(Fleet fleet, String cluster) {
    return fleet.spec().clusters().stream().map(ClusterRef::name).anyMatch(cluster::equals);
  }
}
