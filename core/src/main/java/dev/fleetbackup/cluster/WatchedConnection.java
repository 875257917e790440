package dev.fleetbackup.cluster;

import dev.fleetbackup.plan.ManagedKind;
import dev.fleetbackup.plan.ObjectRef;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import tools.jackson.databind.node.ObjectNode;

/**
 * One pass's connection to a member the daemon watches ({@link MemberWatch}): reads are answered
 * from the watches once they have delivered the last pass's writes (else from the member, as
 * {@link Fabric8Connection} reads; the first read of a scope lists it, and starts its watch), a dry run is answered from {@link DryRunMemory} when neither the
 * manifest nor the live object changed since the member last answered it, and every write goes to
 * the member, through the same deadlines and budget as without a cache. Closing it leaves the
 * member's client and watches open.
 */
final class WatchedConnection implements MemberConnection {
  private final MemberWatch watch;
  private final Fabric8Connection direct;
  private final boolean cached;
  private final Fabric8Connection.Deadlines deadlines;
  private RequestCount sent = RequestCount.NONE; // guarded by this

  /** @param cached whether the watches have delivered the last pass's writes, so that reads may come from them */
  WatchedConnection(MemberWatch watch, Fabric8Connection direct, boolean cached, Fabric8Connection.Deadlines deadlines) {
    this.watch = watch;
    this.direct = direct;
    this.cached = cached;
    this.deadlines = deadlines;
  }

  @Override
  public String cluster() {
    return direct.cluster();
  }

  @Override
  public String server() {
    return direct.server();
  }

  @Override
  public Optional<ObjectNode> get(ObjectRef ref) throws MemberException {
    Optional<MemberWatch.Scope> scope = cached ? watch.scopeOf(ref) : Optional.empty();
    if (scope.isPresent() && !watch.watching(scope.get())) {
      // the first read of its scope: listed (a kind not served has no objects), and watched from then on
      List<ObjectNode> listed;
      try {
        listed = direct.list(ref.kind(), ref.namespace(), scope.get().labels());
      } catch (MemberException e) {
        if (e.kind() == RequestFailure.Kind.NOT_FOUND) {
          return Optional.empty();
        }
        throw e;
      }
      watch.watchFrom(scope.get());
      Optional<ObjectNode> found = listed.stream()
          .filter(o -> ref.name().equals(o.path("metadata").path("name").asString(""))).findFirst();
      if (found.isPresent() || scope.get().whole()) {
        return found;
      }
    } else if (scope.isPresent()) {
      Optional<Map<String, GenericKubernetesResource>> held;
      try {
        held = watch.cached(scope.get(), startWithin());
      } catch (MemberException e) {
        return Optional.empty(); // the kind is not served: no such object
      }
      if (held.isPresent()) {
        GenericKubernetesResource object = held.get().get(ref.name());
        if (object != null) {
          return Optional.of(watch.tree(object));
        }
        if (scope.get().whole()) {
          return Optional.empty();
        }
      }
    }
    return direct.get(ref);
  }

  @Override
  public List<ObjectNode> list(ManagedKind kind, String namespace, Map<String, String> labels) throws MemberException {
    MemberWatch.Scope scope = new MemberWatch.Scope(kind, namespace, labels);
    if (cached && !watch.watching(scope)) {
      List<ObjectNode> listed = direct.list(kind, namespace, labels); // a kind not served fails here, never watched
      watch.watchFrom(scope);
      return listed;
    }
    if (cached) {
      Optional<Map<String, GenericKubernetesResource>> held = watch.cached(scope, startWithin());
      if (held.isPresent()) {
        List<ObjectNode> out = new ArrayList<>();
        held.get().values().forEach(o -> out.add(watch.tree(o)));
        return out;
      }
    }
    return direct.list(kind, namespace, labels);
  }

  @Override
  public boolean crdEstablished(String name) throws MemberException {
    return direct.crdEstablished(name);
  }

  @Override
  public ObjectNode dryRunApply(ObjectRef ref, ObjectNode manifest) throws MemberException {
    Optional<ObjectNode> live = cached ? watch.held(ref).map(watch::tree) : Optional.empty();
    Optional<ObjectNode> known = watch.memory().answer(ref, manifest, live);
    if (known.isPresent()) {
      return known.get();
    }
    ObjectNode answer = direct.dryRunApply(ref, manifest);
    // remembered only when the member answered for the very object the cache holds (a dry run leaves its version)
    if (live.isPresent() && LiveDigest.resourceVersion(live.get()).equals(LiveDigest.resourceVersion(answer))) {
      watch.memory().remember(ref, manifest, live.get(), answer);
    }
    return answer;
  }

  @Override
  public void holds(ObjectRef ref, ObjectNode manifest, ObjectNode live) {
    watch.memory().remember(ref, manifest, live, live);
  }

  @Override
  public ObjectNode apply(ObjectRef ref, ObjectNode manifest) throws MemberException {
    return write(ref, () -> direct.apply(ref, manifest), stored -> watch.memory().remember(ref, manifest, stored, stored));
  }

  @Override
  public ObjectNode create(ObjectRef ref, ObjectNode manifest) throws MemberException {
    return write(ref, () -> direct.create(ref, manifest), stored -> {});
  }

  private interface Write {
    ObjectNode send() throws MemberException;
  }

  /** Sends a write, its events not taken for drift; {@code done} runs before the watch awaits what it left. */
  private ObjectNode write(ObjectRef ref, Write write, Consumer<ObjectNode> done) throws MemberException {
    watch.writing(ref);
    ObjectNode stored;
    try {
      stored = write.send();
    } catch (MemberException | RuntimeException e) {
      watch.failed(ref);
      throw e;
    }
    done.accept(stored);
    watch.wrote(ref, Optional.of(stored));
    return stored;
  }

  @Override
  public void delete(ObjectRef ref) throws MemberException {
    watch.memory().forget(ref);
    watch.writing(ref);
    try {
      direct.delete(ref);
    } catch (MemberException | RuntimeException e) {
      watch.failed(ref);
      throw e;
    }
    watch.wrote(ref, Optional.empty());
  }

  /** What a watch may take to start: what is left of the request's deadline and of the member's budget. */
  private Duration startWithin() {
    Duration left = deadlines.budget().remaining();
    return left.compareTo(deadlines.request()) < 0 ? left : deadlines.request();
  }

  /** What this connection sent so far, and what the watches sent between passes (each request counted by one connection). */
  @Override
  public synchronized RequestCount requests() {
    sent = sent.plus(watch.unreported());
    return sent;
  }

  @Override
  public void close() {
    direct.close();
  }

  @Override
  public String toString() {
    return "WatchedConnection[" + direct.cluster() + " " + direct.server() + "]";
  }
}
