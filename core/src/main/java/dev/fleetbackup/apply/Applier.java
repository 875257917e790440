package dev.fleetbackup.apply;

import dev.fleetbackup.cluster.MemberConnection;
import dev.fleetbackup.cluster.MemberException;
import dev.fleetbackup.cluster.RequestFailure;
import dev.fleetbackup.diff.Action;
import dev.fleetbackup.diff.Change;
import dev.fleetbackup.diff.ChangeSet;
import dev.fleetbackup.diff.ObjectFailure;
import dev.fleetbackup.model.MemberFailure;
import dev.fleetbackup.observe.Inventory;
import dev.fleetbackup.observe.InventoryEntry;
import dev.fleetbackup.plan.Conventions;
import dev.fleetbackup.plan.DesiredObject;
import dev.fleetbackup.plan.ManagedKind;
import dev.fleetbackup.plan.ObjectRef;
import dev.fleetbackup.plan.Stage;
import dev.fleetbackup.plan.VeleroCodec;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes a member's change set, the only class that server-side applies. In stage order
 * (namespaces; RBAC and Secrets; workloads; then, once Velero's CRDs are established, storage
 * locations; then schedules, backups and restores) it applies what is created or changed: objects
 * fleet-backup reconciles by server-side apply with field manager {@value Conventions#FIELD_MANAGER}
 * and forced ownership, runs by a plain create, never re-applied. Then it prunes what the
 * inventory lists and the plan no longer has, in reverse stage order, and writes the inventory
 * if it changed, or was written by someone else or by a version that wrote no digest; before the
 * first write, it writes the inventory with the objects about to be applied, so none is made that
 * the inventory does not list (runs carry their identity on themselves). An unchanged object costs
 * no request: with no differences, a pass writes nothing. A member that gives no answer is sent
 * nothing more.
 */
public final class Applier {
  private static final Logger logger = LoggerFactory.getLogger(Applier.class);
  private final ApplyOptions options;
  private final ReadinessWaiter readiness;
  private final Fence fence;

  /** Waits on the system clock, sleeping between polls; writes while {@code fence} holds. */
  public Applier(ApplyOptions options, Fence fence) {
    this(options, Clock.systemUTC(), Poller.SLEEPING, fence);
  }

  /** @param clock and {@code poller} time the readiness waits ({@link ApplyOptions#waitTimeout()}) */
  public Applier(ApplyOptions options, Clock clock, Poller poller, Fence fence) {
    this.options = options;
    this.readiness = new ReadinessWaiter(clock, poller);
    this.fence = fence;
  }

  public ApplyResult apply(MemberConnection connection, ChangeSet changeSet) throws InterruptedException {
    String cluster = changeSet.cluster();
    if (!changeSet.failures().isEmpty()) {
      return new ApplyResult.Refused(cluster, ApplyResult.Reason.DRY_RUN_FAILED,
          changeSet.failures().size() + " objects failed the dry run; nothing was written", changeSet.failures());
    }
    Optional<String> tooMany = MassDeleteGuard.check(changeSet.count(Action.DELETED), changeSet.inventory().deletable(), options);
    if (tooMany.isPresent()) {
      return new ApplyResult.Refused(cluster, ApplyResult.Reason.MASS_DELETE, tooMany.get(), List.of());
    }
    Progress progress = new Progress();
    try {
      write(connection, changeSet, progress);
      long changed = progress.changed();
      // A steady-state pass every interval says nothing at INFO; a pass that wrote or failed does.
      org.slf4j.event.Level level = changed > 0 || !progress.failures.isEmpty() ? org.slf4j.event.Level.INFO : org.slf4j.event.Level.DEBUG;
      logger.atLevel(level).log("{}: applied {} change(s), {} failure(s){}", cluster, changed, progress.failures.size(),
          progress.inventoryWritten ? ", inventory updated" : "");
      return new ApplyResult.Applied(cluster, progress.done, progress.failures, progress.inventoryWritten);
    } catch (MemberException e) {
      // Every further request would wait for its own timeout, and its failure would read as the object's.
      MemberFailure stopped = e.failure().asMemberFailure("cannot write to ", connection.server());
      logger.warn("{}: {}; after {} change(s), nothing more is sent to it in this pass", cluster, stopped.message(),
          progress.changed());
      return new ApplyResult.Applied(cluster, progress.done, progress.failures, progress.inventoryWritten, Optional.of(stopped));
    }
  }

  /** What an apply did so far: the changes done, the failures, whether it wrote the inventory. */
  private static final class Progress {
    final List<Change> done = new ArrayList<>();
    final List<ObjectFailure> failures = new ArrayList<>();
    boolean inventoryWritten;

    long changed() {
      return done.stream().filter(c -> c.action().isDifference()).count();
    }
  }

  /**
   * Writes the change set: the inventory ahead, the stages, the prunes, the inventory again.
   *
   * @throws MemberException when the member gave no answer (in time): nothing more is sent to it
   */
  private void write(MemberConnection connection, ChangeSet changeSet, Progress progress)
      throws InterruptedException, MemberException {
    List<Change> done = progress.done;
    List<ObjectFailure> failures = progress.failures;
    Map<ObjectRef, String> uids = new LinkedHashMap<>();
    Set<ObjectRef> notWritten = new HashSet<>();
    Map<Stage, List<Change>> byStage = new LinkedHashMap<>();
    for (Change c : changeSet.changes()) {
      if (c.action() == Action.CREATED || c.action() == Action.CONFIGURED) {
        byStage.computeIfAbsent(c.ref().kind().stage(), s -> new ArrayList<>()).add(c);
      } else if (c.action() != Action.DELETED) {
        done.add(c);
      }
    }
    Inventory held = changeSet.inventory();
    Inventory ahead = ahead(changeSet);
    if (!ahead.toJson().equals(held.toJson())) {
      if (!writeInventory(connection, ahead, failures)) {
        return; // nothing is written that the inventory could not list first
      }
      progress.inventoryWritten = true;
      held = ahead;
    }
    boolean stopped = false;
    boolean crdsChecked = false;
    for (Stage stage : Stage.values()) {
      List<Change> writes = byStage.getOrDefault(stage, List.of());
      if (writes.isEmpty()) {
        continue;
      }
      if (stopped) {
        writes.forEach(c -> notWritten.add(c.ref()));
        continue;
      }
      if (stage.needsVeleroCrds() && !crdsChecked) {
        crdsChecked = true;
        try {
          readiness.awaitCrds(connection, options.waitTimeout());
        } catch (TimeoutException e) {
          writes.forEach(c -> failures.add(new ObjectFailure(c.ref(), "CrdsNotEstablished", e.getMessage())));
          writes.forEach(c -> notWritten.add(c.ref()));
          stopped = true;
          continue;
        }
      }
      int failuresBefore = failures.size();
      Map<ObjectRef, String> unavailable = stage == Stage.RUNS ? unavailableLocations(connection, writes) : Map.of();
      for (Change c : writes) {
        Optional<ObjectRef> location = newBackupLocation(c);
        if (location.isPresent() && unavailable.containsKey(location.get())) {
          failures.add(new ObjectFailure(c.ref(), "LocationUnavailable",
              unavailable.get(location.get()) + "; the run is created on a later pass"));
          notWritten.add(c.ref());
          continue;
        }
        write(connection, c, done, failures, notWritten, fence, uids);
      }
      stopped = failures.size() > failuresBefore;
    }

    Set<ObjectRef> deleteFailed = new HashSet<>();
    if (!stopped) {
      for (Change c : changeSet.changes().stream().filter(c -> c.action() == Action.DELETED)
          .sorted(Comparator.comparing(Change::ref).reversed()).toList()) {
        delete(connection, c, done, failures, deleteFailed, fence);
      }
    } else {
      changeSet.changes().stream().filter(c -> c.action() == Action.DELETED).forEach(c -> deleteFailed.add(c.ref()));
    }
    Inventory next = nextInventory(changeSet, notWritten, deleteFailed, uids);
    boolean seal = held == changeSet.inventory() && changeSet.origin().rewrite();
    if ((seal || !next.toJson().equals(held.toJson())) && writeInventory(connection, next, failures)) {
      progress.inventoryWritten = true;
    }
  }

  /**
   * The inventory to write before the first object: what it lists, and every object about to be
   * written that it does not list yet. A process killed between a write and the inventory's last
   * write then leaves no object of fleet-backup's that a later prune cannot find. Runs are not
   * listed ahead: one listed before it exists would pass for one that ran and was removed since;
   * they carry their identity themselves, and a pass finds them by it.
   */
  private static Inventory ahead(ChangeSet changeSet) {
    Inventory base = changeSet.origin().trusted() ? changeSet.inventory() : proven(changeSet);
    Set<ObjectRef> listed = base.refs();
    Set<ObjectRef> toWrite = new HashSet<>();
    for (Change c : changeSet.changes()) {
      boolean reconciled = c.desired().map(d -> !d.isRun()).orElse(false);
      if ((c.action() == Action.CREATED || c.action() == Action.CONFIGURED) && reconciled && !listed.contains(c.ref())) {
        toWrite.add(c.ref());
      }
    }
    if (toWrite.isEmpty()) {
      return base;
    }
    List<InventoryEntry> entries = new ArrayList<>(base.entries());
    changeSet.desiredEntries().stream().filter(e -> toWrite.contains(e.ref())).forEach(entries::add);
    return base.withEntries(entries);
  }

  /**
   * Of an inventory someone else edited, what the diff could prove (the entries the apply writes at
   * its end), the runs still to be created aside: written ahead, the edit is not sealed as fleet-backup's.
   */
  private static Inventory proven(ChangeSet changeSet) {
    Set<ObjectRef> creating = new HashSet<>();
    changeSet.changes().stream()
        .filter(c -> c.action() == Action.CREATED && c.desired().map(DesiredObject::isRun).orElse(false))
        .forEach(c -> creating.add(c.ref()));
    return changeSet.inventory().withEntries(changeSet.desiredEntries().stream().filter(e -> !creating.contains(e.ref())).toList());
  }

  /** Writes the inventory; false when that was fenced or refused (recorded in {@code failures}). */
  private boolean writeInventory(MemberConnection connection, Inventory inventory, List<ObjectFailure> failures)
      throws MemberException {
    if (fenced(connection.cluster(), Inventory.REF, failures, fence)) {
      return false;
    }
    try {
      connection.apply(Inventory.REF, inventory.toConfigMap());
      return true;
    } catch (MemberException e) {
      failures.add(new ObjectFailure(Inventory.REF, "InventoryWriteFailed", e.getMessage()));
      if (e.failure().unanswered()) {
        throw e;
      }
      return false;
    }
  }

  /** The storage location a Backup run about to be created writes to. */
  private static Optional<ObjectRef> newBackupLocation(Change c) {
    if (c.action() != Action.CREATED || c.ref().kind() != ManagedKind.BACKUP) {
      return Optional.empty();
    }
    String location = c.desired().flatMap(Applier::storageLocation).orElse(Conventions.DEFAULT_LOCATION);
    return Optional.of(new ObjectRef(ManagedKind.BACKUP_STORAGE_LOCATION, c.ref().namespace(), location));
  }

  private static Optional<String> storageLocation(DesiredObject backup) {
    try {
      return VeleroCodec.backup(backup.manifest()).spec().storageLocation();
    } catch (VeleroCodec.Unreadable e) {
      return Optional.empty();
    }
  }

  /** Waits for the locations new Backup runs write to; returns those that did not become Available. */
  private Map<ObjectRef, String> unavailableLocations(MemberConnection connection, List<Change> writes)
      throws InterruptedException, MemberException {
    Map<ObjectRef, String> unavailable = new LinkedHashMap<>();
    for (ObjectRef location : writes.stream().map(Applier::newBackupLocation).flatMap(Optional::stream).distinct().toList()) {
      try {
        readiness.awaitLocation(connection, location, options.waitTimeout());
      } catch (TimeoutException e) {
        logger.warn("{}: {}", connection.cluster(), e.getMessage());
        unavailable.put(location, e.getMessage());
      }
    }
    return unavailable;
  }

  /** Whether the fence stops this write: the instance no longer leads, or owns the member; recorded as the write's failure. */
  private static boolean fenced(String cluster, ObjectRef ref, List<ObjectFailure> failures, Fence fence) {
    if (fence.holds(cluster)) {
      return false;
    }
    failures.add(new ObjectFailure(ref, fence.reason(), fence.message()));
    return true;
  }

  private static void write(MemberConnection connection, Change c, List<Change> done, List<ObjectFailure> failures,
      Set<ObjectRef> notWritten, Fence fence, Map<ObjectRef, String> uids) throws MemberException {
    DesiredObject desired = c.desired().orElseThrow(() -> new IllegalStateException(c.ref() + " has nothing to apply"));
    if (fenced(connection.cluster(), c.ref(), failures, fence)) {
      notWritten.add(c.ref());
      return;
    }
    try {
      ObjectNode stored = desired.isRun() ? connection.create(c.ref(), desired.manifest())
          : connection.apply(c.ref(), desired.manifest());
      String uid = stored.path("metadata").path("uid").asString("");
      if (!uid.isEmpty()) {
        uids.put(c.ref(), uid);
      }
      done.add(c);
    } catch (MemberException e) {
      if (desired.isRun() && e.kind() == RequestFailure.Kind.CONFLICT) {
        done.add(new Change(c.ref(), Action.UNCHANGED, "already exists", "", Optional.empty()));
        return;
      }
      failures.add(new ObjectFailure(c.ref(), desired.isRun() ? "CreateFailed" : "ApplyFailed", e.getMessage()));
      notWritten.add(c.ref());
      if (e.failure().unanswered()) {
        throw e;
      }
    }
  }

  private static void delete(MemberConnection connection, Change c, List<Change> done, List<ObjectFailure> failures,
      Set<ObjectRef> deleteFailed, Fence fence) throws MemberException {
    if (fenced(connection.cluster(), c.ref(), failures, fence)) {
      deleteFailed.add(c.ref());
      return;
    }
    try {
      connection.delete(c.ref());
      done.add(c);
    } catch (MemberException e) {
      if (e.kind() == RequestFailure.Kind.NOT_FOUND) {
        done.add(c);
        return;
      }
      failures.add(new ObjectFailure(c.ref(), "PruneFailed", e.getMessage()));
      deleteFailed.add(c.ref());
      if (e.failure().unanswered()) {
        throw e;
      }
    }
  }

  /**
   * What fleet-backup manages after this pass: the desired objects, except runs that were not
   * created (else a later pass would take them for removed runs); the tombstones of the runs no
   * longer desired; and what could not be deleted, as it was (so it is not orphaned, and its
   * deletion is tried again).
   */
  private static Inventory nextInventory(ChangeSet changeSet, Set<ObjectRef> notWritten, Set<ObjectRef> deleteFailed,
      Map<ObjectRef, String> uids) {
    List<InventoryEntry> entries = new ArrayList<>();
    for (InventoryEntry e : changeSet.desiredEntries()) {
      if (!(e.run().isPresent() && notWritten.contains(e.ref())) && !deleteFailed.contains(e.ref())) {
        entries.add(uids.containsKey(e.ref()) ? e.withUid(Optional.of(uids.get(e.ref()))) : e);
      }
    }
    changeSet.inventory().entries().stream().filter(e -> deleteFailed.contains(e.ref())).forEach(entries::add);
    return changeSet.inventory().withEntries(entries);
  }
}
