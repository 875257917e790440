package dev.fleetbackup.cluster;

import dev.fleetbackup.plan.Conventions;
import dev.fleetbackup.plan.ManagedKind;
import dev.fleetbackup.plan.ObjectRef;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * One member as the daemon keeps it between passes: one long-lived client, a watch (a fabric8
 * informer: list, then watch from its resourceVersion, relisting after a 410 Gone and reconnecting
 * after the API server went away) of each scope a pass read, and what the member answered to the
 * last apply or dry run of each object ({@link DryRunMemory}).
 *
 * <p>Scopes: every kind a pass reads in the Velero namespace, whole (Velero's Backups, Restores,
 * Schedules and locations, its Deployment, Secrets, ServiceAccounts...); elsewhere (cluster-scoped
 * kinds) only the objects labelled {@value Conventions#MANAGED_BY}, an object missing from them is
 * read from the member; a list by label, that label. The refs in {@code alwaysRead} (the inventory)
 * are read from the member on every pass: that read proves the member answers.
 *
 * <p>A change to an object fleet-backup reconciles that it did not make itself (its answer's
 * resourceVersion), and that is more than a new status, is drift: {@code drifted} hears of it. The
 * cache is bounded: more than {@link #MAX_OBJECTS} objects, or an answer larger than the member's
 * answer limit, and the member is read without it.
 */
final class MemberWatch implements AutoCloseable {
  private static final Logger logger = LoggerFactory.getLogger(MemberWatch.class);
  /** The most objects kept of one member; beyond it, its passes read it request by request. */
  static final int MAX_OBJECTS = 20_000;
  /** How long a pass waits for the watches to deliver the writes of the last one before it reads without them. */
  static final Duration CATCH_UP = Duration.ofSeconds(2);
  private static final String DELETED = "";

  /** What a watch covers: a kind in a namespace ("" for cluster-scoped), all of it or the objects with labels. */
  record Scope(ManagedKind kind, String namespace, Map<String, String> labels) {
    Scope {
      labels = Map.copyOf(labels);
    }

    boolean whole() {
      return labels.isEmpty();
    }

    @Override
    public String toString() {
      return kind.plural() + (namespace.isEmpty() ? "" : " in " + namespace) + (whole() ? "" : " labelled " + labels);
    }
  }

  private record Watch(SharedIndexInformer<GenericKubernetesResource> informer, CompletableFuture<Void> started) {}

  private final String cluster;
  private final String kubeconfigDigest;
  private final MemberClients.Built built;
  private final String namespace;
  private final Set<ObjectRef> alwaysRead;
  private final BiConsumer<String, String> drifted;
  private final Map<Scope, Watch> watches = new ConcurrentHashMap<>();
  private final DryRunMemory memory = new DryRunMemory();
  private final AtomicInteger objects = new AtomicInteger();
  private final Object lock = new Object();
  private final Map<ObjectRef, String> awaiting = new HashMap<>(); // guarded by lock: the version a write left, or DELETED
  private final Set<ObjectRef> inFlight = new HashSet<>(); // guarded by lock
  private RequestCount reported = RequestCount.NONE; // guarded by lock
  private volatile boolean usable = true;
  private volatile boolean closed;

  /** @param drifted told the cluster and what changed, for each change someone else made to an object fleet-backup reconciles */
  MemberWatch(String cluster, String kubeconfigDigest, MemberClients.Built built, String namespace, Set<ObjectRef> alwaysRead,
      BiConsumer<String, String> drifted) {
    this.cluster = cluster;
    this.kubeconfigDigest = kubeconfigDigest;
    this.built = built;
    this.namespace = namespace;
    this.alwaysRead = Set.copyOf(alwaysRead);
    this.drifted = drifted;
  }

  /** Whether the next pass may go on with this client: the same kubeconfig, and no request abandoned on it. */
  boolean reusable(String kubeconfigDigest) {
    return !closed && this.kubeconfigDigest.equals(kubeconfigDigest);
  }

  /** A connection for one pass, each request bounded by {@code deadlines}; closing it leaves the client open. */
  MemberConnection connection(Fabric8Connection.Deadlines deadlines) {
    Fabric8Connection direct = new Fabric8Connection(cluster, built.server(), built.client(), built.counter(), built.answerLimit(),
        deadlines, new Fabric8Connection.Lifecycle() {
          @Override
          public void abandoned(KubernetesClient client) {
            logger.debug("{}: a request was abandoned; its client and watches are closed, the next pass opens new ones", cluster);
            close();
          }

          @Override
          public void closed(KubernetesClient client) {}
        });
    return new WatchedConnection(this, direct, caughtUp(), deadlines);
  }

  /**
   * The requests sent to the member since the last call: a pass's own, and the watches' renewals
   * between passes, each counted once.
   */
  RequestCount unreported() {
    synchronized (lock) {
      RequestCount now = built.counter().snapshot();
      RequestCount sent = now.minus(reported);
      reported = now;
      return sent;
    }
  }

  DryRunMemory memory() {
    return memory;
  }

  /** The scope a read of {@code ref} is answered from; empty when it is read from the member. */
  Optional<Scope> scopeOf(ObjectRef ref) {
    if (alwaysRead.contains(ref)) {
      return Optional.empty();
    }
    return Optional.of(new Scope(ref.kind(), ref.namespace(), Conventions.listSelector(ref.kind(), ref.namespace(), namespace)));
  }

  /**
   * The objects of {@code scope} as its watch holds them, the watch started first if need be (waiting
   * at most {@code wait}); empty when the member is to be read instead (the watch could not start in
   * time or is reconnecting, the cache is over its bound).
   *
   * @throws MemberException {@link RequestFailure.Kind#NOT_FOUND} when the member does not serve the kind
   */
  Optional<Map<String, GenericKubernetesResource>> cached(Scope scope, Duration wait) throws MemberException {
    if (!usable || closed) {
      stopAll();
      return Optional.empty();
    }
    Watch watch = watches.computeIfAbsent(scope, this::start);
    try {
      watch.started().get(Math.max(1, wait.toNanos()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      stop(scope, watch);
      return Optional.empty();
    } catch (ExecutionException e) {
      stop(scope, watch);
      Throwable cause = e.getCause();
      while (cause != null && !(cause instanceof KubernetesClientException)) {
        cause = cause.getCause();
      }
      if (cause instanceof KubernetesClientException k && RequestFailure.kindOf(k.getCode()) == RequestFailure.Kind.NOT_FOUND) {
        throw new MemberException(new RequestFailure(RequestFailure.Kind.NOT_FOUND, 404, scope.kind().plural() + " not served"));
      }
      logger.debug("{}: cannot watch {}; read from the member instead", cluster, scope, e.getCause());
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
    if (!watch.informer().isWatching()) {
      return Optional.empty(); // reconnecting: what it holds may be behind
    }
    Map<String, GenericKubernetesResource> byName = new TreeMap<>();
    for (GenericKubernetesResource o : watch.informer().getStore().list()) {
      byName.put(o.getMetadata().getName(), o);
    }
    return Optional.of(byName);
  }

  /** Whether {@code scope} is watched (or its watch is starting). */
  boolean watching(Scope scope) {
    return usable && !closed && watches.containsKey(scope);
  }

  /**
   * Starts watching {@code scope}, which the member was just read in: the next pass reads the watch.
   * A kind the member does not serve is never watched (fabric8 would log its failed list as an error).
   */
  void watchFrom(Scope scope) {
    if (usable && !closed) {
      watches.computeIfAbsent(scope, this::start);
    }
  }

  private Watch start(Scope scope) {
    var op = built.client().genericKubernetesResources(Fabric8Connection.context(scope.kind()));
    FilterWatchListDeletable<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> scoped =
        scope.kind().namespaced() ? op.inNamespace(scope.namespace()) : op;
    if (!scope.whole()) {
      scoped = scoped.withLabels(scope.labels());
    }
    SharedIndexInformer<GenericKubernetesResource> informer = scoped.runnableInformer(0);
    // the first list must succeed, or the pass reads the member itself; once started, a watch retries for ever
    informer.exceptionHandler((started, t) -> {
      logger.debug("{}: watch of {} failed ({}); {}", cluster, scope, t.toString(), started ? "retrying" : "not started");
      return started;
    });
    informer.addEventHandler(new ResourceEventHandler<>() {
      private boolean listed;

      @Override
      public void onBeforeList(String resourceVersion) {
        if (listed) {
          logger.info("{}: the watch of {} expired (410 Gone) or was cut off; listed again", cluster, scope);
        }
        listed = true;
      }

      @Override
      public void onAdd(GenericKubernetesResource object) {
        if (objects.incrementAndGet() > MAX_OBJECTS && usable) {
          usable = false;
          logger.warn("{}: more than {} objects to watch; it is read request by request from now on", cluster, MAX_OBJECTS);
        }
        changed(ref(scope, object), object);
      }

      @Override
      public void onUpdate(GenericKubernetesResource before, GenericKubernetesResource object) {
        changed(ref(scope, object), object);
      }

      @Override
      public void onDelete(GenericKubernetesResource object, boolean finalStateUnknown) {
        objects.decrementAndGet();
        deleted(ref(scope, object));
      }
    });
    return new Watch(informer, informer.start().toCompletableFuture());
  }

  private static ObjectRef ref(Scope scope, GenericKubernetesResource object) {
    return new ObjectRef(scope.kind(), scope.namespace(), object.getMetadata().getName());
  }

  private void changed(ObjectRef ref, GenericKubernetesResource object) {
    String version = String.valueOf(object.getMetadata().getResourceVersion());
    synchronized (lock) {
      String awaited = awaiting.get(ref);
      if (awaited != null && (awaited.equals(version) || awaited.equals(DELETED) && object.getMetadata().getDeletionTimestamp() != null)) {
        awaiting.remove(ref);
        lock.notifyAll();
        return; // fleet-backup's own write
      }
      if (inFlight.contains(ref) || memory.of(ref).isEmpty()) {
        return;
      }
    }
    if (!memory.matches(ref, Fabric8Connection.tree(built.client().getKubernetesSerialization(), object))) {
      drifted.accept(cluster, ref + " changed");
    }
  }

  private void deleted(ObjectRef ref) {
    synchronized (lock) {
      if (DELETED.equals(awaiting.get(ref))) {
        awaiting.remove(ref);
        lock.notifyAll();
        return;
      }
      if (inFlight.contains(ref) || memory.of(ref).isEmpty()) {
        return;
      }
    }
    memory.forget(ref);
    drifted.accept(cluster, ref + " deleted");
  }

  /** A write of {@code ref} is about to be sent: its events are not drift. */
  void writing(ObjectRef ref) {
    synchronized (lock) {
      inFlight.add(ref);
    }
  }

  /**
   * The write of {@code ref} left {@code stored} (empty: deleted); the next pass reads the cache
   * only once its watch has delivered that (or {@link #CATCH_UP} has passed).
   */
  void wrote(ObjectRef ref, Optional<ObjectNode> stored) {
    synchronized (lock) {
      inFlight.remove(ref);
      Optional<Scope> scope = scopeOf(ref);
      Watch watch = scope.map(watches::get).orElse(null);
      if (watch == null || !watch.started().isDone() || watch.started().isCompletedExceptionally()) {
        return;
      }
      GenericKubernetesResource held = watch.informer().getStore().getByKey(key(ref));
      if (stored.isPresent()) {
        boolean visible = scope.get().whole() || scope.get().labels().entrySet().stream().allMatch(l ->
            l.getValue().equals(stored.get().path("metadata").path("labels").path(l.getKey()).asString(null)));
        String version = LiveDigest.resourceVersion(stored.get());
        if (visible && (held == null || !version.equals(held.getMetadata().getResourceVersion()))) {
          awaiting.put(ref, version);
        }
      } else if (held != null && held.getMetadata().getDeletionTimestamp() == null) {
        awaiting.put(ref, DELETED);
      }
    }
  }

  /** The write of {@code ref} failed: what the member holds now is not known. */
  void failed(ObjectRef ref) {
    synchronized (lock) {
      inFlight.remove(ref);
    }
    memory.forget(ref);
  }

  /** Waits until the watches have delivered every write of the last pass; false when they did not within {@link #CATCH_UP}. */
  private boolean caughtUp() {
    long deadline = System.nanoTime() + CATCH_UP.toNanos();
    synchronized (lock) {
      try {
        for (long left = CATCH_UP.toNanos(); !awaiting.isEmpty() && left > 0; left = deadline - System.nanoTime()) {
          lock.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (awaiting.isEmpty()) {
        return true;
      }
      logger.debug("{}: the watches have not delivered {} write(s) of the last pass; this pass reads the member", cluster,
          awaiting.size());
      awaiting.clear();
      return false;
    }
  }

  static String key(ObjectRef ref) {
    return ref.kind().namespaced() ? ref.namespace() + "/" + ref.name() : ref.name();
  }

  /** The object of {@code ref} the cache holds, if its scope's watch is up; empty when not held or not known. */
  Optional<GenericKubernetesResource> held(ObjectRef ref) {
    Watch watch = scopeOf(ref).map(watches::get).orElse(null);
    if (watch == null || !watch.started().isDone() || watch.started().isCompletedExceptionally() || !watch.informer().isWatching()) {
      return Optional.empty();
    }
    return Optional.ofNullable(watch.informer().getStore().getByKey(key(ref)));
  }

  ObjectNode tree(GenericKubernetesResource object) {
    return Fabric8Connection.tree(built.client().getKubernetesSerialization(), object);
  }

  private void stop(Scope scope, Watch watch) {
    if (watches.remove(scope, watch)) {
      watch.informer().stop();
      objects.addAndGet(-watch.informer().getStore().list().size());
    }
  }

  private void stopAll() {
    watches.forEach(this::stop);
  }

  @Override
  public void close() {
    closed = true;
    stopAll();
    built.client().close();
  }
}
