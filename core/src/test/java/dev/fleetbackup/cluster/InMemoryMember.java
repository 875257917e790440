package dev.fleetbackup.cluster;

import dev.fleetbackup.plan.Conventions;
import dev.fleetbackup.plan.ManagedKind;
import dev.fleetbackup.plan.ObjectRef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A member cluster in memory, for unit tests of what a pass asks of a member: a map of objects by
 * {@link ObjectRef}, requests counted as the real connection counts them, a log of the writes in
 * the order they came, and requests that can be made to fail.
 *
 * <p>What it emulates, for what the Differ and Applier tests need:
 * <ul>
 *   <li>server-side apply merges the manifest over the stored object (objects key by key; lists and
 *       scalars replaced) and removes the fields fleet-backup applied before and no longer sets; the
 *       fields it owns are recorded as a {@code managedFields} entry (manager {@value Conventions#FIELD_MANAGER},
 *       operation Apply, {@code fieldsV1} with one {@code f:} per field, lists atomic); a create records
 *       the same, operation Update (the manager a real server takes from fleet-backup's User-Agent);
 *   <li>{@link #edit} changes an object as another field manager does with an update ({@code kubectl
 *       edit}): that manager owns the fields it changed, from the time given, and the others lose them;
 *   <li>a dry run answers what an apply would store and stores nothing;
 *   <li>create answers 409 for an object that exists; delete and a second delete answer 404;
 *   <li>a namespaced object needs its Namespace, a Velero kind needs Velero's CRDs
 *       ({@link #installVeleroCrds()}), else 404, as a real API server answers; {@code get} of a
 *       kind not served is empty, {@code list} of it fails with 404;
 *   <li>{@link #controller} stands in for Velero: it rewrites an object of a kind after each write
 *       (for example, marks a storage location Available).
 * </ul>
 *
 * <p>What it does NOT emulate: defaulting, schema validation (422), conflicts with other field
 * managers (every apply forces, and the others keep what they own), the time of fleet-backup's entries, keyed list merges ({@code k:{"name":...}}), resourceVersion and
 * optimistic concurrency, finalizers, garbage collection of dependents, status subresources, RBAC,
 * label selectors beyond equality, and a real Velero. The ITs prove those on real API servers.
 */
public final class InMemoryMember implements MemberConnection {
  /** A request a test can make fail. */
  public enum Verb { GET, LIST, DRY_RUN, APPLY, CREATE, DELETE }

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private final String cluster;
  private final Map<ObjectRef, ObjectNode> objects = new LinkedHashMap<>();
  private final Map<String, RequestFailure> failures = new HashMap<>();
  private final Set<String> hanging = new HashSet<>();
  private final Map<ManagedKind, UnaryOperator<ObjectNode>> controllers = new HashMap<>();
  private final List<String> writes = new ArrayList<>();
  private final List<String> readLog = new ArrayList<>();
  private boolean veleroCrds;
  private Optional<RequestFailure> unreachable = Optional.empty();
  private int reads;
  private int dryRuns;
  private int writeCount;
  private int uids;

  /** A member with the namespaces every cluster has: default, kube-system, kube-public. */
  public InMemoryMember(String cluster) {
    this.cluster = cluster;
    for (String ns : List.of("default", "kube-system", "kube-public")) {
      ObjectNode namespace = NODES.objectNode();
      namespace.put("apiVersion", "v1");
      namespace.put("kind", "Namespace");
      namespace.putObject("metadata").put("name", ns);
      objects.put(ObjectRef.clusterScoped(ManagedKind.NAMESPACE, ns), namespace);
    }
  }

  /** Velero's CRDs are installed and established: its kinds are served. */
  public synchronized InMemoryMember installVeleroCrds() {
    veleroCrds = true;
    return this;
  }

  /**
   * Stores an object as someone else (or Velero) wrote it, with no field owned by fleet-backup; it
   * keeps the uid of the object it replaces, or the one it names, else gets a new one.
   */
  public synchronized InMemoryMember put(ObjectRef ref, ObjectNode object) {
    objects.put(ref, withUid(ref, object.deepCopy()));
    return this;
  }

  /**
   * Changes a stored object as field manager {@code manager} does with an update at {@code at}
   * ({@code kubectl edit} is {@code kubectl-edit}): it owns the fields whose values it changed, and
   * the other managers lose them.
   */
  public synchronized InMemoryMember edit(ObjectRef ref, String manager, Instant at, UnaryOperator<ObjectNode> change) {
    ObjectNode before = Optional.ofNullable(objects.get(ref)).orElseThrow(() -> new IllegalArgumentException(ref + " does not exist"));
    ObjectNode after = change.apply(before.deepCopy());
    ObjectNode changed = changedFields(before, after);
    ArrayNode managed = NODES.arrayNode();
    for (JsonNode entry : before.path("metadata").path("managedFields")) {
      ObjectNode kept = (ObjectNode) entry.deepCopy();
      subtract(kept.withObject("/fieldsV1"), changed);
      if (!kept.path("fieldsV1").isEmpty()) {
        managed.add(kept);
      }
    }
    ObjectNode theirs = managed.addObject();
    theirs.put("manager", manager);
    theirs.put("operation", "Update");
    theirs.put("apiVersion", after.path("apiVersion").asString(""));
    theirs.put("time", at.toString());
    theirs.set("fieldsV1", changed);
    after.withObject("/metadata").set("managedFields", managed);
    objects.put(ref, after);
    return this;
  }

  /** The fields of {@code after} whose values differ from {@code before}'s, as {@code fieldsV1}. */
  private static ObjectNode changedFields(JsonNode before, JsonNode after) {
    ObjectNode out = NODES.objectNode();
    for (Iterator<Map.Entry<String, JsonNode>> it = after.properties().iterator(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode was = before.path(e.getKey());
      if (e.getKey().equals("managedFields") || e.getValue().equals(was)) {
        continue;
      }
      out.set("f:" + e.getKey(), e.getValue().isObject() && was.isObject() ? changedFields(was, e.getValue()) : NODES.objectNode());
    }
    return out;
  }

  /** Removes from {@code fields} the leaves of {@code taken}, and what is left empty by that. */
  private static void subtract(ObjectNode fields, JsonNode taken) {
    for (Iterator<Map.Entry<String, JsonNode>> it = taken.properties().iterator(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!(fields.get(e.getKey()) instanceof ObjectNode owned)) {
        continue;
      }
      if (e.getValue().isEmpty()) {
        fields.remove(e.getKey());
      } else {
        subtract(owned, e.getValue());
        if (owned.isEmpty()) {
          fields.remove(e.getKey());
        }
      }
    }
  }

  /** Deletes an object as someone else would; a later object of the name is another one, with another uid. */
  public synchronized InMemoryMember remove(ObjectRef ref) {
    objects.remove(ref);
    return this;
  }

  /** As an API server does: an object keeps its uid for its life, and a new object gets a new one. */
  private ObjectNode withUid(ObjectRef ref, ObjectNode object) {
    ObjectNode metadata = object.withObject("/metadata");
    if (!metadata.path("uid").asString("").isEmpty()) {
      return object;
    }
    ObjectNode existing = objects.get(ref);
    String uid = existing != null && !existing.path("metadata").path("uid").asString("").isEmpty()
        ? existing.path("metadata").path("uid").asString() : cluster + "-uid-" + (++uids);
    metadata.put("uid", uid);
    return object;
  }

  /** The object as stored, for assertions; sends no request. */
  public synchronized Optional<ObjectNode> object(ObjectRef ref) {
    return Optional.ofNullable(objects.get(ref)).map(ObjectNode::deepCopy);
  }

  /** Every request of this verb on {@code ref} fails so; {@link Verb#LIST} takes any name in {@code ref}. */
  public synchronized InMemoryMember fail(Verb verb, ObjectRef ref, RequestFailure failure) {
    failures.put(key(verb, verb == Verb.LIST ? ref.withName("*") : ref), failure);
    return this;
  }

  /** Every request from now on fails as if the API server did not answer. */
  public synchronized InMemoryMember unreachable() {
    unreachable = Optional.of(new RequestFailure(RequestFailure.Kind.UNREACHABLE, 0, "ConnectException: Connection refused"));
    return this;
  }

  /**
   * The request never answers, as a member that stopped responding mid-pass: it blocks until the
   * caller gives up and interrupts it, then fails as timed out.
   */
  public synchronized InMemoryMember hang(Verb verb, ObjectRef ref) {
    hanging.add(key(verb, ref));
    return this;
  }

  /** After each write of an object of {@code kind}, the object becomes what {@code controller} makes of it. */
  public synchronized InMemoryMember controller(ManagedKind kind, UnaryOperator<ObjectNode> controller) {
    controllers.put(kind, controller);
    return this;
  }

  /** The reads so far, in order: {@code GET ConfigMap/velero/x}, {@code LIST Backup/velero {}}. */
  public synchronized List<String> reads() {
    return List.copyOf(readLog);
  }

  /** The writes so far, in order: {@code APPLY Namespace/velero}, {@code CREATE Backup/velero/x}, {@code DELETE ...}. */
  public synchronized List<String> writes() {
    return List.copyOf(writes);
  }

  @Override
  public String cluster() {
    return cluster;
  }

  @Override
  public String server() {
    return "memory://" + cluster;
  }

  @Override
  public synchronized RequestCount requests() {
    return new RequestCount(reads, dryRuns, writeCount);
  }

  @Override
  public synchronized Optional<ObjectNode> get(ObjectRef ref) throws MemberException {
    reads++;
    readLog.add("GET " + ref);
    check(Verb.GET, ref);
    if (!served(ref.kind())) {
      return Optional.empty();
    }
    return object(ref);
  }

  @Override
  public synchronized List<ObjectNode> list(ManagedKind kind, String namespace, Map<String, String> labels) throws MemberException {
    reads++;
    readLog.add("LIST " + kind.kind() + "/" + namespace + " " + labels);
    check(Verb.LIST, new ObjectRef(kind, namespace, "*"));
    if (!served(kind)) {
      throw notFound("the server could not find the requested resource (" + kind.plural() + ")");
    }
    List<ObjectNode> out = new ArrayList<>();
    objects.forEach((ref, object) -> {
      if (ref.kind() == kind && ref.namespace().equals(namespace) && hasLabels(object, labels)) {
        out.add(object.deepCopy());
      }
    });
    return out;
  }

  @Override
  public synchronized boolean crdEstablished(String name) throws MemberException {
    reads++;
    if (unreachable.isPresent()) {
      throw new MemberException(unreachable.get());
    }
    return veleroCrds && name.endsWith(".velero.io");
  }

  @Override
  public synchronized ObjectNode dryRunApply(ObjectRef ref, ObjectNode manifest) throws MemberException {
    dryRuns++;
    check(Verb.DRY_RUN, ref);
    return applied(ref, manifest);
  }

  @Override
  public synchronized ObjectNode apply(ObjectRef ref, ObjectNode manifest) throws MemberException {
    writeCount++;
    writes.add("APPLY " + ref);
    check(Verb.APPLY, ref);
    return store(ref, applied(ref, manifest));
  }

  @Override
  public synchronized ObjectNode create(ObjectRef ref, ObjectNode manifest) throws MemberException {
    writeCount++;
    writes.add("CREATE " + ref);
    check(Verb.CREATE, ref);
    needsScope(ref);
    if (objects.containsKey(ref)) {
      throw new MemberException(new RequestFailure(RequestFailure.Kind.CONFLICT, 409,
          "(AlreadyExists, 409) " + ref.kind().plural() + " \"" + ref.name() + "\" already exists"));
    }
    ObjectNode created = manifest.deepCopy();
    ObjectNode ours = created.withObject("/metadata").putArray("managedFields").addObject();
    ours.put("manager", Conventions.FIELD_MANAGER);
    ours.put("operation", "Update");
    ours.put("apiVersion", manifest.path("apiVersion").asString(""));
    ours.set("fieldsV1", fieldsV1(manifest));
    return store(ref, created);
  }

  @Override
  public synchronized void delete(ObjectRef ref) throws MemberException {
    writeCount++;
    writes.add("DELETE " + ref);
    check(Verb.DELETE, ref);
    if (objects.remove(ref) == null) {
      throw notFound(ref.kind().plural() + " \"" + ref.name() + "\" not found");
    }
  }

  @Override
  public void close() {}

  private ObjectNode store(ObjectRef ref, ObjectNode object) {
    UnaryOperator<ObjectNode> controller = controllers.get(ref.kind());
    ObjectNode stored = withUid(ref, controller == null ? object : controller.apply(object.deepCopy()));
    objects.put(ref, stored);
    return stored.deepCopy();
  }

  /** What a server-side apply of {@code manifest} leaves: see the class comment. */
  private ObjectNode applied(ObjectRef ref, ObjectNode manifest) throws MemberException {
    needsScope(ref);
    ObjectNode live = objects.get(ref);
    ObjectNode result = live == null ? NODES.objectNode() : live.deepCopy();
    ObjectNode now = fieldsV1(manifest);
    ownedByUs(live).ifPresent(before -> removeDropped(result, before, now));
    merge(result, manifest);
    ArrayNode managed = NODES.arrayNode();
    if (live != null) {
      for (JsonNode entry : live.path("metadata").path("managedFields")) {
        if (!Conventions.FIELD_MANAGER.equals(entry.path("manager").asString(""))) {
          managed.add(entry.deepCopy());
        }
      }
    }
    ObjectNode ours = managed.addObject();
    ours.put("manager", Conventions.FIELD_MANAGER);
    ours.put("operation", "Apply");
    ours.put("apiVersion", manifest.path("apiVersion").asString(""));
    ours.set("fieldsV1", now);
    result.withObject("/metadata").set("managedFields", managed);
    return result;
  }

  private static Optional<JsonNode> ownedByUs(ObjectNode live) {
    if (live == null) {
      return Optional.empty();
    }
    for (JsonNode entry : live.path("metadata").path("managedFields")) {
      if (Conventions.FIELD_MANAGER.equals(entry.path("manager").asString("")) && "Apply".equals(entry.path("operation").asString(""))) {
        return Optional.of(entry.path("fieldsV1"));
      }
    }
    return Optional.empty();
  }

  /** The fields a manifest sets, as {@code fieldsV1}; apiVersion, kind and managedFields are not fields one owns. */
  private static ObjectNode fieldsV1(JsonNode manifest) {
    ObjectNode out = NODES.objectNode();
    for (Iterator<Map.Entry<String, JsonNode>> it = manifest.properties().iterator(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().equals("apiVersion") || e.getKey().equals("kind") || e.getKey().equals("managedFields")) {
        continue;
      }
      out.set("f:" + e.getKey(), e.getValue().isObject() && !e.getValue().isEmpty() ? fieldsV1(e.getValue()) : NODES.objectNode());
    }
    return out;
  }

  /** Removes from {@code object} what {@code before} owned and {@code now} no longer does. */
  private static void removeDropped(ObjectNode object, JsonNode before, JsonNode now) {
    for (Iterator<Map.Entry<String, JsonNode>> it = before.properties().iterator(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String field = e.getKey().substring(2);
      JsonNode still = now.get(e.getKey());
      if (still == null) {
        object.remove(field);
      } else if (!e.getValue().isEmpty() && !still.isEmpty() && object.get(field) instanceof ObjectNode child) {
        removeDropped(child, e.getValue(), still);
      }
    }
  }

  private static void merge(ObjectNode into, JsonNode from) {
    for (Iterator<Map.Entry<String, JsonNode>> it = from.properties().iterator(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getValue().isObject() && into.get(e.getKey()) instanceof ObjectNode existing) {
        merge(existing, e.getValue());
      } else {
        into.set(e.getKey(), e.getValue().deepCopy());
      }
    }
  }

  private void needsScope(ObjectRef ref) throws MemberException {
    if (!served(ref.kind())) {
      throw notFound("the server could not find the requested resource (" + ref.kind().plural() + ")");
    }
    if (ref.kind().namespaced() && !objects.containsKey(ObjectRef.clusterScoped(ManagedKind.NAMESPACE, ref.namespace()))) {
      throw notFound("namespaces \"" + ref.namespace() + "\" not found");
    }
  }

  private boolean served(ManagedKind kind) {
    return veleroCrds || !kind.isVelero();
  }

  private void check(Verb verb, ObjectRef ref) throws MemberException {
    if (hanging.contains(key(verb, ref))) {
      try {
        while (true) {
          wait(); // nobody notifies: only an interrupt ends it, and the member answers its other requests meanwhile
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      throw new MemberException(new RequestFailure(RequestFailure.Kind.TIMED_OUT, 0, "InterruptedIOException: timeout"));
    }
    if (unreachable.isPresent()) {
      throw new MemberException(unreachable.get());
    }
    RequestFailure failure = failures.get(key(verb, ref));
    if (failure != null) {
      throw new MemberException(failure);
    }
  }

  private static boolean hasLabels(ObjectNode object, Map<String, String> labels) {
    JsonNode have = object.path("metadata").path("labels");
    return labels.entrySet().stream().allMatch(l -> l.getValue().equals(have.path(l.getKey()).asString(null)));
  }

  private static MemberException notFound(String what) {
    return new MemberException(new RequestFailure(RequestFailure.Kind.NOT_FOUND, 404, "(NotFound, 404) " + what));
  }

  private static String key(Verb verb, ObjectRef ref) {
    return verb + " " + ref.kind() + "/" + ref.namespace() + "/" + ref.name();
  }
}
