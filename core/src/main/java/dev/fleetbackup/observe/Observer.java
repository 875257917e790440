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
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The one read of a member in a pass, all reads: Velero's Backups (its own and those synced from
 * locations it reads), Restores, Schedules and storage locations, listed in full in Velero's
 * namespace and typed; the Velero Deployment; fleet-backup's inventory; the runs of other kinds it
 * made (labelled {@value Conventions#MANAGED_BY}); and every other object the member's plan
 * reconciles or its inventory lists, listed by kind where there are several. A kind the member
 * does not serve yet (Velero's CRDs not installed) reads as none; an object that is not what its
 * kind says fails the read.
 *
 * <p>Requests, in two waves sent together: 4 lists + 2 gets; then 1 list per other run kind in
 * play, and for the other objects 1 list per kind and namespace holding several of them and 1 get
 * per object read alone or not brought by its list.
 */
public final class Observer {
  /** The Velero server's Deployment, as {@code velero install} names it. */
  public static final String SERVER = "velero";
  /** Where a member's reads wait for their answers together; each read is bounded by the member's own deadlines. */
  private static final ExecutorService READS = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "member-read");
    t.setDaemon(true);
    return t;
  });
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
    Map<ObjectRef, ObjectNode> present = new ConcurrentHashMap<>();
    Set<ObjectRef> read = ConcurrentHashMap.newKeySet();
    Set<LiveObjects.Scope> listed = ConcurrentHashMap.newKeySet();
    Map<ObjectRef, PastRun> runs = new LinkedHashMap<>();

    // the first wave: Velero's objects, its server and the inventory, which says what else to read
    Map<ManagedKind, List<ObjectNode>> velero = new ConcurrentHashMap<>();
    ObjectRef server = new ObjectRef(ManagedKind.DEPLOYMENT, namespace, SERVER);
    List<Read> first = new ArrayList<>();
    for (ManagedKind kind : List.of(ManagedKind.BACKUP, ManagedKind.RESTORE, ManagedKind.SCHEDULE, ManagedKind.BACKUP_STORAGE_LOCATION)) {
      first.add(() -> velero.put(kind, list(member, kind, namespace, Map.of(), listed, present)));
    }
    first.add(() -> get(member, server, read, present));
    first.add(() -> get(member, Inventory.REF, read, present));
    together(first);

    List<ObservedRun> backups = new ArrayList<>();
    for (ObjectNode object : velero.get(ManagedKind.BACKUP)) {
      VeleroBackup backup = decode(object, VeleroCodec::backup);
      backups.add(ObservedRun.of(cluster, backup));
      pastRun(ManagedKind.BACKUP, backup.metadata(), backup.status().phase()).ifPresent(r -> runs.put(ref(r, namespace), r));
    }
    List<ObservedRun> restores = new ArrayList<>();
    for (ObjectNode object : velero.get(ManagedKind.RESTORE)) {
      VeleroRestore restore = decode(object, VeleroCodec::restore);
      restores.add(ObservedRun.of(cluster, restore));
      pastRun(ManagedKind.RESTORE, restore.metadata(), restore.status().phase()).ifPresent(r -> runs.put(ref(r, namespace), r));
    }
    List<VeleroSchedule> schedules = new ArrayList<>();
    for (ObjectNode object : velero.get(ManagedKind.SCHEDULE)) {
      schedules.add(decode(object, VeleroCodec::schedule));
    }
    List<VeleroLocation> locations = new ArrayList<>();
    for (ObjectNode object : velero.get(ManagedKind.BACKUP_STORAGE_LOCATION)) {
      locations.add(decode(object, VeleroCodec::location));
    }
    Optional<Inventory> inventory = readInventory(present);

    // the second wave: the runs of the other kinds (the CRD Job) in play, listed by label (only
    // fleet-backup's carry a run identity), and every other object the plan or the inventory names
    Set<LiveObjects.Scope> otherRuns = new LinkedHashSet<>();
    desired.stream().filter(DesiredObject::isRun).map(o -> new LiveObjects.Scope(o.ref().kind(), o.ref().namespace()))
        .forEach(otherRuns::add);
    inventory.ifPresent(inv -> inv.entries().stream().filter(e -> e.run().isPresent())
        .map(e -> new LiveObjects.Scope(e.ref().kind(), e.ref().namespace())).forEach(otherRuns::add));
    otherRuns.removeAll(listed);
    Map<LiveObjects.Scope, List<ObjectNode>> otherRunObjects = new ConcurrentHashMap<>();
    List<Read> second = new ArrayList<>();
    for (LiveObjects.Scope scope : otherRuns) {
      second.add(() -> otherRunObjects.put(scope, list(member, scope.kind(), scope.namespace(),
          Map.of(Conventions.MANAGED_BY, Conventions.MANAGED_BY_VALUE), ConcurrentHashMap.newKeySet(), new ConcurrentHashMap<>())));
    }
    LiveObjects sofar = new LiveObjects(present, read, listed, Map.of());
    Set<ObjectRef> wanted = new LinkedHashSet<>();
    desired.stream().filter(o -> !o.isRun()).map(DesiredObject::ref).forEach(wanted::add);
    inventory.ifPresent(inv -> wanted.addAll(inv.refs()));
    Map<LiveObjects.Scope, List<ObjectRef>> unknown = new LinkedHashMap<>();
    wanted.stream().filter(ref -> !sofar.knows(ref)).forEach(ref -> unknown.computeIfAbsent(LiveObjects.Scope.of(ref),
        s -> new ArrayList<>()).add(ref));
    Map<ObjectRef, String> unreadable = new ConcurrentHashMap<>();
    unknown.forEach((scope, refs) -> second.add(() -> {
      List<ObjectRef> alone = refs.size() > 1 ? listed(member, scope, refs, read, listed, present) : refs;
      for (ObjectRef ref : alone) {
        try {
          get(member, ref, read, present);
        } catch (MemberException e) {
          if (e.failure().unanswered()) {
            throw e;
          }
          unreadable.put(ref, e.getMessage()); // that object fails alone; the member's others are diffed
        }
      }
    }));
    together(second);

    for (LiveObjects.Scope scope : otherRuns) {
      for (ObjectNode object : otherRunObjects.get(scope)) {
        pastRun(scope.kind(), VeleroCodec.meta(object), VeleroPhase.UNKNOWN).ifPresent(r -> runs.put(ref(r, scope.namespace()), r));
      }
    }
    // runs the inventory remembers and the member no longer has (Velero deleted an expired backup)
    inventory.ifPresent(inv -> inv.entries().stream().filter(e -> e.run().isPresent() && !runs.containsKey(e.ref()))
        .forEach(e -> runs.put(e.ref(), new PastRun(e.ref().kind(), e.ref().name(), e.run().get().base(),
            e.run().get().number(), e.run().get().specHash(), false, VeleroPhase.UNKNOWN))));

    return new MemberObservation(cluster, backups, restores, schedules, locations,
        VeleroCodec.server(Optional.ofNullable(present.get(server))), new LiveObjects(present, read, listed, unreadable),
        List.copyOf(runs.values()));
  }

  /** One read of a wave; what it reads it records itself. */
  @FunctionalInterface
  private interface Read {
    void send() throws MemberException;
  }

  /**
   * Sends {@code reads} at once, each on a thread of its own, and waits for all of them: a member's
   * reads are independent, so its observation takes the longest of them, not their sum. The first
   * failure in the order given is the observation's, whichever answered first.
   */
  private static void together(List<Read> reads) throws MemberException {
    if (reads.size() == 1) {
      reads.get(0).send();
      return;
    }
    List<Future<?>> sent = new ArrayList<>();
    try {
      for (Read r : reads) {
        sent.add(READS.submit(() -> {
          r.send();
          return null;
        }));
      }
      MemberException failed = null;
      for (Future<?> answer : sent) {
        try {
          answer.get();
        } catch (ExecutionException e) {
          if (e.getCause() instanceof MemberException m) {
            failed = failed == null ? m : failed;
          } else if (e.getCause() instanceof RuntimeException r) {
            throw r;
          } else {
            throw new IllegalStateException(e.getCause());
          }
        }
      }
      if (failed != null) {
        throw failed;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MemberException(new RequestFailure(RequestFailure.Kind.TIMED_OUT, 0, "reads interrupted: the pass stopped waiting"));
    } finally {
      sent.forEach(answer -> answer.cancel(true));
    }
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
