package dev.fleetbackup.diff;

import dev.fleetbackup.cluster.MemberConnection;
import dev.fleetbackup.cluster.MemberException;
import dev.fleetbackup.cluster.RequestFailure;
import dev.fleetbackup.model.VeleroMeta;
import dev.fleetbackup.model.VeleroPhase;
import dev.fleetbackup.plan.Conventions;
import dev.fleetbackup.plan.DesiredObject;
import dev.fleetbackup.plan.ManagedKind;
import dev.fleetbackup.plan.MemberPlan;
import dev.fleetbackup.plan.ObjectRef;
import dev.fleetbackup.plan.PastRun;
import dev.fleetbackup.plan.ResolvedPlan;
import dev.fleetbackup.plan.Run;
import dev.fleetbackup.plan.RunResolver;
import dev.fleetbackup.plan.RunState;
import dev.fleetbackup.plan.Unrendered;
import dev.fleetbackup.plan.VeleroCodec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Compares a member plan with the member: reads the inventory and the runs that exist, resolves
 * the runs' names, then server-side dry-runs every reconciled object and diffs the owned fields.
 * Every request it sends is a read or a dry run; it never writes.
 *
 * <p>Requests per member: 1 (inventory) + 1 per run kind in play (a LIST) + 2 per reconciled
 * object (GET, dry-run apply) + 1 per prune candidate (GET).
 */
public final class Differ {
  private final RunResolver resolver;

  public Differ(RunResolver resolver) {
    this.resolver = resolver;
  }

  /**
   * @throws MemberException when the member cannot be read at all (unreachable, forbidden)
   * @throws Inventory.InventoryException when its inventory is damaged
   */
  public ChangeSet diff(MemberConnection connection, MemberPlan plan) throws MemberException, Inventory.InventoryException {
    Inventory inventory = readInventory(connection);
    ResolvedPlan resolved = resolver.resolve(plan, history(connection, plan, inventory));
    List<Change> changes = new ArrayList<>();
    List<ObjectFailure> failures = new ArrayList<>();
    for (DesiredObject object : resolved.plan().objects()) {
      if (object.isRun()) {
        changes.add(runChange(object, resolved.runState(object.ref()).orElse(RunState.NEW)));
      } else {
        reconciledChange(connection, object, changes, failures);
      }
    }
    Set<ObjectRef> unrendered = new HashSet<>();
    for (Unrendered u : resolved.plan().unrendered()) {
      unrendered.add(u.ref());
      changes.add(Change.of(u.ref(), Action.SKIPPED, u.message()));
    }
    Set<ObjectRef> desired = new HashSet<>(resolved.plan().refs());
    for (InventoryEntry entry : inventory.entries()) {
      if (!desired.contains(entry.ref()) && !unrendered.contains(entry.ref())) {
        pruneChange(connection, entry.ref(), changes, failures);
      }
    }
    return new ChangeSet(plan.cluster(), changes, failures, inventory, desiredEntries(resolved, inventory, unrendered), resolved);
  }

  static Inventory readInventory(MemberConnection connection) throws MemberException, Inventory.InventoryException {
    Optional<ObjectNode> configMap = connection.get(Inventory.REF);
    return configMap.isEmpty() ? Inventory.EMPTY : Inventory.fromConfigMap(configMap.get());
  }

  /** Runs that exist (listed by label) and runs the inventory remembers (which may be gone). */
  private static List<PastRun> history(MemberConnection connection, MemberPlan plan, Inventory inventory) throws MemberException {
    Set<ObjectRef> kindsAndNamespaces = new HashSet<>();
    plan.objects().stream().filter(DesiredObject::isRun)
        .forEach(o -> kindsAndNamespaces.add(new ObjectRef(o.ref().kind(), o.ref().namespace(), "-")));
    inventory.entries().stream().filter(e -> e.run().isPresent())
        .forEach(e -> kindsAndNamespaces.add(new ObjectRef(e.ref().kind(), e.ref().namespace(), "-")));
    Map<ObjectRef, PastRun> runs = new HashMap<>();
    for (ObjectRef scope : kindsAndNamespaces) {
      for (ObjectNode r : listRuns(connection, scope)) {
        VeleroMeta meta = VeleroCodec.meta(r);
        String base = meta.annotations().get(Conventions.RUN);
        String hash = meta.annotations().get(Conventions.SPEC_HASH);
        if (base == null || hash == null) {
          continue;
        }
        int number = parseNumber(meta.annotations().get(Conventions.RUN_NUMBER));
        ObjectRef ref = scope.withName(meta.name());
        runs.put(ref, new PastRun(scope.kind(), ref.name(), base, number, hash, true, phase(scope.kind(), r)));
      }
    }
    for (InventoryEntry e : inventory.entries()) {
      if (e.run().isPresent() && !runs.containsKey(e.ref())) {
        InventoryEntry.RunRecord r = e.run().get();
        runs.put(e.ref(), new PastRun(e.ref().kind(), e.ref().name(), r.base(), r.number(), r.specHash(), false, VeleroPhase.UNKNOWN));
      }
    }
    return List.copyOf(runs.values());
  }

  private static List<ObjectNode> listRuns(MemberConnection connection, ObjectRef scope) throws MemberException {
    try {
      return connection.list(scope.kind(), scope.namespace(), Map.of(Conventions.MANAGED_BY, Conventions.MANAGED_BY_VALUE));
    } catch (MemberException e) {
      if (e.kind() == RequestFailure.Kind.NOT_FOUND) {
        return List.of(); // Velero's CRDs are not installed (yet): no runs exist
      }
      throw e;
    }
  }

  /** A Backup's or Restore's phase; a Job's, or a run that does not read as its kind, is unknown (a restore of it waits). */
  private static VeleroPhase phase(ManagedKind kind, ObjectNode run) {
    try {
      return switch (kind) {
        case BACKUP -> VeleroCodec.backup(run).status().phase();
        case RESTORE -> VeleroCodec.restore(run).status().phase();
        default -> VeleroPhase.UNKNOWN;
      };
    } catch (VeleroCodec.Unreadable e) {
      return VeleroPhase.UNKNOWN;
    }
  }

  private static int parseNumber(String text) {
    try {
      return text == null ? 1 : Math.max(1, Integer.parseInt(text));
    } catch (NumberFormatException e) {
      return 1;
    }
  }

  private static Change runChange(DesiredObject object, RunState state) {
    String name = object.ref().name();
    return switch (state) {
      case NEW -> new Change(object.ref(), Action.CREATED, "", YamlDiff.unified(null, object.manifest()), Optional.of(object));
      case CURRENT -> Change.of(object.ref(), Action.UNCHANGED, "");
      case GONE -> Change.of(object.ref(), Action.SKIPPED,
          "run " + name + " was created earlier and has since been removed (expired?); it is not re-created");
      case NOT_REPEATED -> Change.of(object.ref(), Action.SKIPPED,
          "restore ran as " + name + " from an earlier policy; a restore runs once, add a new Restore to run it again");
    };
  }

  private static void reconciledChange(MemberConnection connection, DesiredObject object, List<Change> changes,
      List<ObjectFailure> failures) {
    ObjectRef ref = object.ref();
    Optional<ObjectNode> live;
    try {
      live = connection.get(ref);
    } catch (MemberException e) {
      failures.add(new ObjectFailure(ref, "ReadFailed", e.getMessage()));
      return;
    }
    ObjectNode after;
    try {
      after = connection.dryRunApply(ref, object.manifest());
    } catch (MemberException e) {
      if (live.isEmpty() && e.kind() == RequestFailure.Kind.NOT_FOUND) {
        // the namespace or the CRD it needs does not exist yet; apply creates them first
        FieldSet owned = FieldSet.ofManifest(object.manifest());
        changes.add(new Change(ref, Action.CREATED, "not checked by the server yet: " + e.getMessage(),
            render(ref, null, owned.project(object.manifest())), Optional.of(object)));
      } else {
        failures.add(new ObjectFailure(ref, "DryRunFailed", e.getMessage()));
      }
      return;
    }
    FieldSet owned = FieldSet.ofManifest(object.manifest());
    if (live.isEmpty()) {
      changes.add(new Change(ref, Action.CREATED, "", render(ref, null, owned.project(after)), Optional.of(object)));
      return;
    }
    JsonNode before = live.get();
    // Only the fields fleet-backup owns count: what it sets now and what the server says it set before
    // (a field it no longer sets is removed by the apply). Fields others own never make a difference.
    owned = owned.union(managedByUs(before));
    JsonNode ownedBefore = owned.project(before);
    JsonNode ownedAfter = owned.project(after);
    if (Objects.equals(ownedBefore, ownedAfter)) {
      changes.add(Change.of(ref, Action.UNCHANGED, ""));
      return;
    }
    changes.add(new Change(ref, Action.CONFIGURED, "", render(ref, ownedBefore, ownedAfter), Optional.of(object)));
  }

  private static void pruneChange(MemberConnection connection, ObjectRef ref, List<Change> changes, List<ObjectFailure> failures) {
    if (ref.kind().prune() == ManagedKind.Prune.KEEP) {
      changes.add(Change.of(ref, Action.SKIPPED, ref.kind() == ManagedKind.BACKUP
          ? "no longer desired; kept, as Velero Backups are never pruned (their data stays in the bucket)"
          : "no longer desired; kept, as it holds Velero's Backups"));
      return;
    }
    Optional<ObjectNode> live;
    try {
      live = connection.get(ref);
    } catch (MemberException e) {
      failures.add(new ObjectFailure(ref, "ReadFailed", e.getMessage()));
      return;
    }
    if (live.isEmpty()) {
      return; // already gone; it drops out of the inventory
    }
    if (!Conventions.MANAGED_BY_VALUE.equals(live.get().path("metadata").path("labels").path(Conventions.MANAGED_BY).asString(""))) {
      changes.add(Change.of(ref, Action.SKIPPED, "no longer desired, but no longer labelled as managed by fleet-backup; not deleted"));
      return;
    }
    changes.add(Change.of(ref, Action.DELETED, ""));
  }

  private static List<InventoryEntry> desiredEntries(ResolvedPlan resolved, Inventory inventory, Set<ObjectRef> unrendered) {
    List<InventoryEntry> entries = new ArrayList<>();
    for (DesiredObject o : resolved.plan().objects()) {
      Optional<InventoryEntry.RunRecord> run = o.run().map((Run r) -> new InventoryEntry.RunRecord(
          r.base(), number(o), r.specHash()));
      entries.add(new InventoryEntry(o.ref(), run));
    }
    inventory.entries().stream().filter(e -> unrendered.contains(e.ref())).forEach(entries::add);
    return entries;
  }

  private static int number(DesiredObject o) {
    return parseNumber(o.manifest().path("metadata").path("annotations").path(Conventions.RUN_NUMBER).asString("1"));
  }

  private static String render(ObjectRef ref, JsonNode before, JsonNode after) {
    if (ref.kind() == ManagedKind.SECRET) {
      Masking.maskSecretPair(before, after);
    }
    return YamlDiff.unified(before, after);
  }

  private static FieldSet managedByUs(JsonNode live) {
    FieldSet set = FieldSet.empty();
    for (JsonNode entry : live.path("metadata").path("managedFields")) {
      if (Conventions.FIELD_MANAGER.equals(entry.path("manager").asString("")) && "Apply".equals(entry.path("operation").asString(""))) {
        set = set.union(FieldSet.ofFieldsV1(entry.path("fieldsV1")));
      }
    }
    return set;
  }
}
