package dev.fleetbackup.observe;

import dev.fleetbackup.cluster.MemberConnection;
import dev.fleetbackup.cluster.MemberException;
import dev.fleetbackup.cluster.RequestFailure;
import dev.fleetbackup.model.VeleroBackup;
import dev.fleetbackup.model.VeleroLocation;
import dev.fleetbackup.model.VeleroMeta;
import dev.fleetbackup.model.VeleroPhase;
import dev.fleetbackup.model.VeleroRestore;
import dev.fleetbackup.model.VeleroSchedule;
import dev.fleetbackup.plan.Conventions;
import dev.fleetbackup.plan.DesiredObject;
import dev.fleetbackup.plan.ManagedKind;
import dev.fleetbackup.plan.ObjectRef;
import dev.fleetbackup.plan.PastRun;
import dev.fleetbackup.plan.Run;
import dev.fleetbackup.plan.VeleroCodec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The one read of a member in a pass, all reads: Velero's Backups (its own and those synced from
 * locations it reads), Restores, Schedules and storage locations, listed in full in Velero's
 * namespace and typed; the Velero Deployment; fleet-backup's inventory; the runs of other kinds it
 * made (labelled {@value Conventions#MANAGED_BY}); and every other object the member's plan
 * reconciles or its inventory lists, listed by kind where there are several. A kind the member does not serve yet (Velero's CRDs not
 * installed) reads as none; an object that is not what its kind says fails the read.
 *
 * <p>Requests: 4 lists + 2 gets, 1 list per other run kind in play; for the other objects, 1 list
 * per kind and namespace holding several of them, and 1 get per object read alone or not brought by
 * its list.
 */
public final class Observer {
  /** The Velero server's Deployment, as {@code velero install} names it. */
  public static final String SERVER = "velero";
  private final String namespace;

  public Observer(String namespace) {
    this.namespace = namespace;
  }

  /** Velero's objects, the inventory and the runs only: a member the pass does not diff. */
  public MemberObservation observe(MemberConnection member) throws MemberException {
    return observe(member, List.of());
  }

  /**
   * @param desired the objects the member's plan wants: each one it reconciles is read as the member has it
   * @throws MemberException when the member cannot be read
   */
  public MemberObservation observe(MemberConnection member, Collection<DesiredObject> desired) throws MemberException {
    String cluster = member.cluster();
    Map<ObjectRef, ObjectNode> present = new HashMap<>();
    Set<ObjectRef> read = new HashSet<>();
    Set<LiveObjects.Scope> listed = new HashSet<>();
    Map<ObjectRef, PastRun> runs = new LinkedHashMap<>();

    List<ObservedRun> backups = new ArrayList<>();
    for (ObjectNode object : list(member, ManagedKind.BACKUP, namespace, Map.of(), listed, present)) {
      VeleroBackup backup = decode(object, VeleroCodec::backup);
      backups.add(ObservedRun.of(cluster, backup));
      pastRun(ManagedKind.BACKUP, backup.metadata(), backup.status().phase()).ifPresent(r -> runs.put(ref(r, namespace), r));
    }
    List<ObservedRun> restores = new ArrayList<>();
    for (ObjectNode object : list(member, ManagedKind.RESTORE, namespace, Map.of(), listed, present)) {
      VeleroRestore restore = decode(object, VeleroCodec::restore);
      restores.add(ObservedRun.of(cluster, restore));
      pastRun(ManagedKind.RESTORE, restore.metadata(), restore.status().phase()).ifPresent(r -> runs.put(ref(r, namespace), r));
    }
    List<VeleroSchedule> schedules = new ArrayList<>();
    for (ObjectNode object : list(member, ManagedKind.SCHEDULE, namespace, Map.of(), listed, present)) {
      schedules.add(decode(object, VeleroCodec::schedule));
    }
    List<VeleroLocation> locations = new ArrayList<>();
    for (ObjectNode object : list(member, ManagedKind.BACKUP_STORAGE_LOCATION, namespace, Map.of(), listed, present)) {
      locations.add(decode(object, VeleroCodec::location));
    }
    ObjectRef server = new ObjectRef(ManagedKind.DEPLOYMENT, namespace, SERVER);
    get(member, server, read, present);
    get(member, Inventory.REF, read, present);
    Optional<Inventory> inventory = readInventory(present);

    // runs of the other kinds (the CRD Job) in play, listed by label; only fleet-backup's carry a run identity
    Set<LiveObjects.Scope> otherRuns = new LinkedHashSet<>();
    desired.stream().filter(DesiredObject::isRun).map(o -> new LiveObjects.Scope(o.ref().kind(), o.ref().namespace()))
        .forEach(otherRuns::add);
    inventory.ifPresent(inv -> inv.entries().stream().filter(e -> e.run().isPresent())
        .map(e -> new LiveObjects.Scope(e.ref().kind(), e.ref().namespace())).forEach(otherRuns::add));
    otherRuns.removeAll(listed);
    for (LiveObjects.Scope scope : otherRuns) {
      for (ObjectNode object : list(member, scope.kind(), scope.namespace(),
          Map.of(Conventions.MANAGED_BY, Conventions.MANAGED_BY_VALUE), new HashSet<>(), new HashMap<>())) {
        pastRun(scope.kind(), VeleroCodec.meta(object), VeleroPhase.UNKNOWN).ifPresent(r -> runs.put(ref(r, scope.namespace()), r));
      }
    }
    // runs the inventory remembers and the member no longer has (Velero deleted an expired backup)
    inventory.ifPresent(inv -> inv.entries().stream().filter(e -> e.run().isPresent() && !runs.containsKey(e.ref()))
        .forEach(e -> runs.put(e.ref(), new PastRun(e.ref().kind(), e.ref().name(), e.run().get().base(),
            e.run().get().number(), e.run().get().specHash(), false, VeleroPhase.UNKNOWN))));

    LiveObjects sofar = new LiveObjects(present, read, listed, Map.of());
    Set<ObjectRef> wanted = new LinkedHashSet<>();
    desired.stream().filter(o -> !o.isRun()).map(DesiredObject::ref).forEach(wanted::add);
    inventory.ifPresent(inv -> wanted.addAll(inv.refs()));
    Map<LiveObjects.Scope, List<ObjectRef>> unknown = new LinkedHashMap<>();
    wanted.stream().filter(ref -> !sofar.knows(ref)).forEach(ref -> unknown.computeIfAbsent(LiveObjects.Scope.of(ref),
        s -> new ArrayList<>()).add(ref));
    Map<ObjectRef, String> unreadable = new HashMap<>();
    for (Map.Entry<LiveObjects.Scope, List<ObjectRef>> group : unknown.entrySet()) {
      List<ObjectRef> refs = group.getValue();
      if (refs.size() > 1) {
        refs = listed(member, group.getKey(), refs, read, listed, present);
      }
      for (ObjectRef ref : refs) {
        try {
          get(member, ref, read, present);
        } catch (MemberException e) {
          if (e.failure().unanswered()) {
            throw e;
          }
          unreadable.put(ref, e.getMessage()); // that object fails alone; the member's others are diffed
        }
      }
    }
    return new MemberObservation(cluster, backups, restores, schedules, locations,
        VeleroCodec.server(Optional.ofNullable(present.get(server))), new LiveObjects(present, read, listed, unreadable),
        List.copyOf(runs.values()));
  }

  /** The inventory, or empty when it is damaged: the runs it remembers are not known then, and the member's diff fails saying why. */
  private static Optional<Inventory> readInventory(Map<ObjectRef, ObjectNode> present) {
    try {
      return Optional.of(Inventory.read(Optional.ofNullable(present.get(Inventory.REF))));
    } catch (Inventory.InventoryException e) {
      return Optional.empty();
    }
  }

  private static void get(MemberConnection member, ObjectRef ref, Set<ObjectRef> read, Map<ObjectRef, ObjectNode> present)
      throws MemberException {
    read.add(ref);
    member.get(ref).ifPresent(o -> present.put(ref, o));
  }

  /** Lists a kind; a kind the member does not serve (Velero's CRDs not installed yet) has no objects. */
  private static List<ObjectNode> list(MemberConnection member, ManagedKind kind, String namespace, Map<String, String> labels,
      Set<LiveObjects.Scope> listed, Map<ObjectRef, ObjectNode> present) throws MemberException {
    List<ObjectNode> objects;
    try {
      objects = member.list(kind, namespace, labels);
    } catch (MemberException e) {
      if (e.kind() != RequestFailure.Kind.NOT_FOUND) {
        throw e;
      }
      objects = List.of();
    }
    listed.add(new LiveObjects.Scope(kind, namespace));
    for (ObjectNode o : objects) {
      present.put(new ObjectRef(kind, namespace, VeleroCodec.meta(o).name()), o);
    }
    return objects;
  }

  /**
   * Reads {@code refs}, all of {@code scope}, with one list: by fleet-backup's label outside Velero's
   * namespace ({@link Conventions#listSelector}). Returns the refs still to be read one by one: those
   * a labelled list did not bring (the object may exist without the label, and must then be seen to
   * be someone else's), or all of them when the list failed.
   */
  private List<ObjectRef> listed(MemberConnection member, LiveObjects.Scope scope, List<ObjectRef> refs, Set<ObjectRef> read,
      Set<LiveObjects.Scope> listed, Map<ObjectRef, ObjectNode> present) throws MemberException {
    Map<String, String> selector = Conventions.listSelector(scope.kind(), scope.namespace(), namespace);
    List<ObjectNode> objects;
    try {
      objects = member.list(scope.kind(), scope.namespace(), selector);
    } catch (MemberException e) {
      if (e.failure().unanswered()) {
        throw e;
      }
      return refs; // each read alone says what is wrong with it
    }
    boolean whole = selector.isEmpty();
    Set<ObjectRef> left = new LinkedHashSet<>(refs);
    for (ObjectNode object : objects) {
      ObjectRef ref = new ObjectRef(scope.kind(), scope.namespace(), VeleroCodec.meta(object).name());
      if (left.remove(ref) || whole) {
        present.put(ref, object);
      }
    }
    if (whole) {
      listed.add(scope);
      return List.of();
    }
    refs.stream().filter(ref -> !left.contains(ref)).forEach(read::add);
    return List.copyOf(left);
  }

  /** A run fleet-backup created: it carries the run annotations it wrote; other objects have none. */
  private static Optional<PastRun> pastRun(ManagedKind kind, VeleroMeta meta, VeleroPhase phase) {
    String base = meta.annotations().get(Conventions.RUN);
    String hash = meta.annotations().get(Conventions.SPEC_HASH);
    if (base == null || hash == null
        || !Conventions.MANAGED_BY_VALUE.equals(meta.labels().get(Conventions.MANAGED_BY))) {
      return Optional.empty();
    }
    return Optional.of(new PastRun(kind, meta.name(), base, Run.numberOf(meta.annotations().get(Conventions.RUN_NUMBER)), hash,
        true, phase));
  }

  private static ObjectRef ref(PastRun run, String namespace) {
    return new ObjectRef(run.kind(), namespace, run.name());
  }

  private static <T> T decode(JsonNode object, Decoder<T> decoder) throws MemberException {
    try {
      return decoder.decode(object);
    } catch (VeleroCodec.Unreadable e) {
      throw new MemberException(new RequestFailure(RequestFailure.Kind.OTHER, 0, e.getMessage()));
    }
  }

  private interface Decoder<T> {
    T decode(JsonNode object) throws VeleroCodec.Unreadable;
  }
}
