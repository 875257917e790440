package dev.fleetbackup.cluster;

import dev.fleetbackup.model.SafeText;
import dev.fleetbackup.plan.ObjectRef;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's connector: one long-lived client per member, with the watches and the memory of
 * {@link MemberWatch}, kept from pass to pass while the member's kubeconfig stays the same; a
 * member that leaves the config repo ({@link #retain}) or a daemon that stops ({@link #close}) closes
 * them. Drift (a change someone else made to an object fleet-backup reconciles) is passed on to
 * {@link #onDrift}'s listener, the events of {@link #DEBOUNCE} together as one call.
 */
public final class WatchedMembers implements MemberConnector, AutoCloseable {
  private static final Logger logger = LoggerFactory.getLogger(WatchedMembers.class);
  /** Events this close together ask for one pass. */
  static final Duration DEBOUNCE = Duration.ofMillis(500);

  private final MemberClients clients;
  private final String namespace;
  private final Set<ObjectRef> alwaysRead;
  private final Map<String, MemberWatch> watches = new ConcurrentHashMap<>();
  private final ScheduledExecutorService debounce = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "drift-debounce");
    t.setDaemon(true);
    return t;
  });
  private final Set<String> drifted = new TreeSet<>(); // guarded by this
  private volatile Consumer<Set<String>> listener = clusters -> { };

  WatchedMembers(MemberClients clients, String namespace, Set<ObjectRef> alwaysRead) {
    this.clients = clients;
    this.namespace = namespace;
    this.alwaysRead = Set.copyOf(alwaysRead);
  }

  /** {@code listener} hears which members drifted, at most once per {@link #DEBOUNCE}. */
  public void onDrift(Consumer<Set<String>> listener) {
    this.listener = listener;
  }

  @Override
  public MemberConnection open(String cluster, Kubeconfig kubeconfig, MemberBudget budget) throws CredentialsUnavailableException {
    String digest = LiveDigest.ofText(kubeconfig.policy() + "\n" + kubeconfig.context().orElse("") + "\n"
        + kubeconfig.files().stream().map(f -> f.path() + "\n" + f.text()).collect(Collectors.joining("\n")));
    MemberWatch watch = watches.get(cluster);
    if (watch == null || !watch.reusable(digest)) {
      if (watch != null) {
        watch.close();
      }
      watch = new MemberWatch(cluster, digest, clients.build(cluster, kubeconfig), namespace, alwaysRead, this::drifted);
      watches.put(cluster, watch);
    }
    return watch.connection(clients.deadlines(budget));
  }

  /** Closes the client and watches of every member not in {@code clusters}. */
  @Override
  public void retain(Set<String> clusters) {
    watches.forEach((cluster, watch) -> {
      if (!clusters.contains(cluster) && watches.remove(cluster, watch)) {
        logger.info("{}: no longer in the config repo; its watches are closed", SafeText.oneLine(cluster));
        watch.close();
      }
    });
  }

  private void drifted(String cluster, String what) {
    logger.info("{}: {} outside fleet-backup; a pass is requested", SafeText.oneLine(cluster), SafeText.oneLine(what));
    synchronized (this) {
      if (drifted.isEmpty()) {
        debounce.schedule(this::fire, DEBOUNCE.toMillis(), TimeUnit.MILLISECONDS);
      }
      drifted.add(cluster);
    }
  }

  private void fire() {
    Set<String> clusters;
    synchronized (this) {
      clusters = Set.copyOf(drifted);
      drifted.clear();
    }
    listener.accept(clusters);
  }

  @Override
  public void close() {
    debounce.shutdownNow();
    watches.values().forEach(MemberWatch::close);
    watches.clear();
  }
}
