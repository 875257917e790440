package dev.fleetbackup.diff;

import dev.fleetbackup.cluster.MemberConnection;
import dev.fleetbackup.cluster.MemberException;
import dev.fleetbackup.cluster.RequestFailure;
import dev.fleetbackup.model.SafeText;
import dev.fleetbackup.observe.Inventory;
import dev.fleetbackup.observe.InventoryEntry;
import dev.fleetbackup.observe.InventoryOrigin;
import dev.fleetbackup.observe.LiveObjects;
import dev.fleetbackup.observe.ManagedFields;
import dev.fleetbackup.observe.MemberObservation;
import dev.fleetbackup.plan.Conventions;
import dev.fleetbackup.plan.DesiredObject;
import dev.fleetbackup.plan.ManagedKind;
import dev.fleetbackup.plan.ObjectRef;
import dev.fleetbackup.plan.ResolvedPlan;
import dev.fleetbackup.plan.Run;
import dev.fleetbackup.plan.RunState;
import dev.fleetbackup.plan.Unrendered;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Compares a member's resolved plan with the member as its observation read it: server-side
 * dry-runs every reconciled object the member does not already hold as planned, and diffs the
 * fields fleet-backup owns; runs are created when new and never touched again; what the
 * inventory lists and the plan no longer has is pruned if the member still holds it and the live object shows it is fleet-backup's (its label, fleet-backup's
 * field manager among its writers, the uid the inventory recorded), and never on the word of an
 * inventory someone else edited. It reads nothing and never writes: its only requests are the dry
 * runs, at most one per reconciled object.
 */
public final class Differ {
  private static final Set<ManagedKind> VELERO_RUNS = Set.of(ManagedKind.BACKUP, ManagedKind.RESTORE);

  /**
   * @throws MemberException when the member stopped answering (no dry run is tried after that)
   * @throws Inventory.InventoryException when its inventory is damaged
   */
  public ChangeSet diff(MemberConnection connection, ResolvedPlan resolved, MemberObservation observed, Ownership ownership)
      throws MemberException, Inventory.InventoryException {
    Inventory inventory = observed.inventory();
    InventoryOrigin origin = observed.inventoryOrigin();
    LiveObjects live = observed.live();
    List<Change> changes = new ArrayList<>();
    List<ObjectFailure> failures = new ArrayList<>();
    for (DesiredObject object : resolved.plan().objects()) {
      if (object.isRun()) {
        changes.add(runChange(object, resolved.runState(object.ref()).orElse(RunState.NEW)));
      } else {
        try {
          Optional<ObjectNode> found = live.get(object.ref());
          if (found.isPresent() && ownership == Ownership.OURS_ONLY && !(origin.trusted() && inventory.refs().contains(object.ref()))
              && !ManagedFields.writtenByFleetBackup(found.get())) {
            failures.add(new ObjectFailure(object.ref(), "NotOurs", "exists and was not created by fleet-backup (no field of"
                + " its field manager, " + (origin.trusted() ? "not in its inventory" : "and its inventory was edited")
                + "); left untouched, --adopt takes it over"));
          } else {
            reconciledChange(connection, object, found, changes, failures);
          }
        } catch (LiveObjects.Unreadable e) {
          failures.add(new ObjectFailure(object.ref(), "ReadFailed", e.getMessage()));
        }
      }
    }
    Set<ObjectRef> unrendered = new HashSet<>();
    for (Unrendered u : resolved.plan().unrendered()) {
      unrendered.add(u.ref());
      changes.add(Change.of(u.ref(), Action.SKIPPED, u.message()));
    }
    Set<ObjectRef> desired = new HashSet<>(resolved.plan().refs());
    List<InventoryEntry> deferred = new ArrayList<>();
    for (InventoryEntry entry : inventory.entries()) {
      if (!entry.tombstone() && !desired.contains(entry.ref()) && !unrendered.contains(entry.ref())) {
        try {
          Optional<Change> prune = pruneChange(entry, live.get(entry.ref()));
          if (prune.isPresent() && prune.get().action() == Action.DELETED && !origin.trusted()) {
            // the entry may be a hand-made one that happens to point at an object of ours: kept to be pruned on the next pass
            changes.add(Change.of(entry.ref(), Action.SKIPPED, "no longer desired; not deleted on this pass, as the inventory"
                + " was edited outside fleet-backup (it is deleted on the next one)"));
            deferred.add(entry);
          } else {
            prune.ifPresent(changes::add);
          }
        } catch (LiveObjects.Unreadable e) {
          failures.add(new ObjectFailure(entry.ref(), "ReadFailed", e.getMessage()));
        }
      }
    }
    return new ChangeSet(resolved.plan().cluster(), changes, failures, inventory,
        desiredEntries(resolved, inventory, origin, unrendered, deferred, live), resolved, origin);
  }

  private static Change runChange(DesiredObject object, RunState state) {
    String name = object.ref().name();
    return switch (state) {
      case NEW -> Change.shown(object.ref(), Action.CREATED, "", null, object.manifest().deepCopy(), Optional.of(object));
      case CURRENT -> Change.of(object.ref(), Action.UNCHANGED, "");
      case GONE -> Change.of(object.ref(), Action.SKIPPED,
          "run " + name + " was created earlier and has since been removed (expired?); it is not re-created");
      case NOT_REPEATED -> Change.of(object.ref(), Action.SKIPPED,
          "restore ran as " + name + " from an earlier policy; a restore runs once, add a new Restore to run it again");
    };
  }

  private static void reconciledChange(MemberConnection connection, DesiredObject object, Optional<ObjectNode> live,
      List<Change> changes, List<ObjectFailure> failures) throws MemberException {
    ObjectRef ref = object.ref();
    if (live.isPresent() && holdsAlready(object.manifest(), live.get())) {
      connection.holds(ref, object.manifest(), live.get());
      changes.add(Change.of(ref, Action.UNCHANGED, ""));
      return;
    }
    ObjectNode after;
    try {
      after = connection.dryRunApply(ref, object.manifest());
    } catch (MemberException e) {
      if (live.isEmpty() && e.kind() == RequestFailure.Kind.NOT_FOUND) {
        // the namespace or the CRD it needs does not exist yet; apply creates them first
        FieldSet owned = FieldSet.ofManifest(object.manifest());
        changes.add(Change.shown(ref, Action.CREATED, "not checked by the server yet: " + e.getMessage(),
            null, owned.project(object.manifest()), Optional.of(object)));
      } else if (e.failure().unanswered()) {
        throw e;
      } else {
        failures.add(new ObjectFailure(ref, "DryRunFailed", e.getMessage()));
      }
      return;
    }
    FieldSet owned = FieldSet.ofManifest(object.manifest());
    if (live.isEmpty()) {
      changes.add(Change.shown(ref, Action.CREATED, "", null, owned.project(after), Optional.of(object)));
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
    changes.add(Change.shown(ref, Action.CONFIGURED, "", ownedBefore, ownedAfter, Optional.of(object)));
  }

  /**
   * Whether {@code live} already holds every field of {@code manifest} with the manifest's value, and
   * no field fleet-backup set before and no longer sets: applying it would change nothing, so the
   * dry run need not be asked. The test is exact (a value the server would normalise, a list in
   * another order, a field set in another form reads as different), so anything short of a plain
   * match is still checked by the server's dry run.
   */
  private static boolean holdsAlready(ObjectNode manifest, ObjectNode live) {
    FieldSet owned = FieldSet.ofManifest(manifest).union(managedByUs(live));
    return Objects.equals(owned.project(live), owned.project(manifest));
  }

  /** Whether {@code live} shows it is the object of {@code entry} that fleet-backup wrote (see {@link #pruneChange}). */
  private static boolean ours(InventoryEntry entry, ObjectNode live) {
    return live != null && pruneChange(entry, Optional.of(live)).filter(c -> c.action() == Action.DELETED).isPresent();
  }

  /**
   * What becomes of an object the inventory lists and the plan no longer has: deleted only when the
   * live object itself shows it is fleet-backup's, by its label, by fleet-backup's field manager
   * among its writers, and by the uid the inventory recorded; empty when it is gone already.
   */
  private static Optional<Change> pruneChange(InventoryEntry entry, Optional<ObjectNode> live) {
    ObjectRef ref = entry.ref();
    if (ref.kind().prune() == ManagedKind.Prune.KEEP) {
      return Optional.of(Change.of(ref, Action.SKIPPED, ref.kind() == ManagedKind.BACKUP
          ? "no longer desired; kept, as Velero Backups are never pruned (their data stays in the bucket)"
          : "no longer desired; kept, as it holds Velero's Backups"));
    }
    if (live.isEmpty()) {
      return Optional.empty(); // already gone; it drops out of the inventory
    }
    if (!Conventions.MANAGED_BY_VALUE.equals(live.get().path("metadata").path("labels").path(Conventions.MANAGED_BY).asString(""))) {
      return Optional.of(Change.of(ref, Action.SKIPPED,
          "no longer desired, but no longer labelled as managed by fleet-backup; not deleted"));
    }
    if (!ManagedFields.writtenByFleetBackup(live.get())) {
      return Optional.of(Change.of(ref, Action.SKIPPED, "no longer desired, but fleet-backup never wrote it (no field of its"
          + " field manager); not deleted"));
    }
    String uid = uid(live.get());
    if (entry.uid().isPresent() && !entry.uid().get().equals(uid)) {
      return Optional.of(Change.of(ref, Action.SKIPPED, "no longer desired, but not the object fleet-backup applied (uid "
          + SafeText.quote(uid) + ", its inventory says " + SafeText.quote(entry.uid().get()) + "); not deleted"));
    }
    return Optional.of(Change.of(ref, Action.DELETED, ""));
  }

  /**
   * The entries of the desired objects, with the uid of the object the member holds (an apply fills
   * in a new one's); the entries of objects not rendered now; the prunes deferred to the next pass;
   * and the tombstones. From an edited inventory only what the member proves is taken: no uid but
   * the live object's, and an entry not rendered now only when its live object is fleet-backup's.
   */
  private static List<InventoryEntry> desiredEntries(ResolvedPlan resolved, Inventory inventory, InventoryOrigin origin,
      Set<ObjectRef> unrendered, List<InventoryEntry> deferred, LiveObjects live) {
    List<InventoryEntry> entries = new ArrayList<>();
    for (DesiredObject o : resolved.plan().objects()) {
      Optional<InventoryEntry.RunRecord> run = o.run().map((Run r) -> new InventoryEntry.RunRecord(
          r.base(), number(o), r.specHash()));
      Optional<String> uid = Optional.ofNullable(live.present().get(o.ref())).map(Differ::uid)
          .or(() -> origin.trusted() ? inventory.entry(o.ref()).flatMap(InventoryEntry::uid) : Optional.empty());
      entries.add(new InventoryEntry(o.ref(), run, false, uid));
    }
    inventory.entries().stream()
        .filter(e -> unrendered.contains(e.ref()))
        .filter(e -> origin.trusted() || e.run().isPresent() || ours(e, live.present().get(e.ref())))
        .forEach(entries::add);
    entries.addAll(deferred);
    Set<ObjectRef> kept = new HashSet<>(resolved.plan().refs());
    kept.addAll(unrendered);
    deferred.forEach(e -> kept.add(e.ref())); // a run whose prune waits is remembered as one when it is pruned
    // a Velero run no longer desired is remembered as having run, whether it is kept or pruned
    inventory.entries().stream()
        .filter(e -> e.run().isPresent() && !kept.contains(e.ref()) && VELERO_RUNS.contains(e.ref().kind()))
        .map(InventoryEntry::asTombstone)
        .forEach(entries::add);
    return entries;
  }

  private static int number(DesiredObject o) {
    return Run.numberOf(o.manifest().path("metadata").path("annotations").path(Conventions.RUN_NUMBER).asString("1"));
  }

  static String uid(JsonNode object) {
    return object.path("metadata").path("uid").asString("");
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
