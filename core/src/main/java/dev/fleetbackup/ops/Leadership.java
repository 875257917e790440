package dev.fleetbackup.ops;

import dev.fleetbackup.model.FlagDuration;
import dev.fleetbackup.model.SafeText;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElector;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader election on a {@code coordination.k8s.io/v1} Lease with fabric8's {@link LeaderElector}:
 * of all instances, only the one holding the Lease applies and writes status; the others stand by
 * and one of them takes over when the leader stops renewing.
 *
 * <p>Why a step is never done twice: a leader that cannot renew for {@code renewDeadline} stops
 * leading ({@link Listener#onStopLeading}) before any other instance may take the Lease, which
 * needs {@code leaseDuration} (longer) to pass since the last renewal. {@link #isLeader()} turns
 * false at that moment, so a loop that checks it before each write stops in time. Leadership is
 * not regained once lost: the process should stop its loop and exit (the Deployment restarts it
 * as a standby), as Kubernetes' own controllers do; {@link Health} reports it not live meanwhile.
 *
 * <p>Listener callbacks run one at a time on a thread of their own, never on the elector's, so a
 * slow callback cannot delay a renewal.
 *
 * <p>RBAC: {@code get}, {@code create} and {@code patch} (fabric8 8 renews with a JSON merge
 * patch) on {@code leases} in the Lease's namespace.
 */
public final class Leadership implements AutoCloseable {
  private static final Logger logger = LoggerFactory.getLogger(Leadership.class);

  /** The Lease every fleet-backup instance of one installation competes for. */
  public static final String DEFAULT_LEASE_NAME = "fleet-backup-leader";

  /**
   * The three durations of leader election; {@link #FLUX} are Flux's (and controller-runtime's
   * defaults): a 35 s lease, a 30 s renew deadline and a 5 s retry period.
   */
  public record Timings(Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {
    public static final Timings FLUX = new Timings(Duration.ofSeconds(35), Duration.ofSeconds(30), Duration.ofSeconds(5));

    public Timings {
      Objects.requireNonNull(leaseDuration, "leaseDuration");
      Objects.requireNonNull(renewDeadline, "renewDeadline");
      Objects.requireNonNull(retryPeriod, "retryPeriod");
      if (retryPeriod.isNegative() || retryPeriod.isZero()) {
        throw new IllegalArgumentException("retry period must be positive, got " + FlagDuration.format(retryPeriod));
      }
      // client-go's rule: the leader must give up before anyone else may take over
      if (leaseDuration.compareTo(renewDeadline) <= 0) {
        throw new IllegalArgumentException(
            "lease duration (" + FlagDuration.format(leaseDuration) + ") must be longer than the renew deadline ("
                + FlagDuration.format(renewDeadline) + ")");
      }
      if (renewDeadline.compareTo(retryPeriod.multipliedBy(12).dividedBy(10)) <= 0) {
        throw new IllegalArgumentException(
            "renew deadline (" + FlagDuration.format(renewDeadline) + ") must be longer than 1.2 × the retry period ("
                + FlagDuration.format(retryPeriod) + ")");
      }
    }
  }

  /**
   * Which Lease, and who this instance is.
   *
   * @param identity unique per instance: in a cluster the Pod name (downward API)
   */
  public record Settings(String namespace, String leaseName, String identity, Timings timings) {
    public Settings {
      requireText(namespace, "namespace");
      requireText(leaseName, "leaseName");
      requireText(identity, "identity");
      Objects.requireNonNull(timings, "timings");
    }

    private static void requireText(String value, String what) {
      if (value == null || value.isBlank()) {
        throw new IllegalArgumentException(what + " must not be empty");
      }
    }
  }

  /**
   * What to do when this instance starts or stops leading. Both are called at most once, in that
   * order, on one thread: return quickly (start the loop on a thread of its own), or
   * {@code onStopLeading} waits behind {@code onStartLeading}.
   */
  public interface Listener {
    /** Start the loop (applying and writing status); give it {@code () -> !isLeader()} as its stop. */
    void onStartLeading();

    /**
     * Stop the loop; nothing may be applied or written after this returns. Called when the Lease
     * could not be renewed in time, and on {@link #close()} while leading.
     */
    void onStopLeading();

    /** With shards: this replica may now write to members it could not before (a peer died or left); a pass now takes them. */
    default void onMembersGained() {}
  }

  public enum Role { CANDIDATE, STANDBY, LEADER, STOPPED }

  private final Settings settings;
  private final LeaderElector elector;
  private final Listener listener;
  private final Health health;
  private final ExecutorService callbacks;

  private Role role = Role.CANDIDATE;
  private Optional<String> leader = Optional.empty();
  private boolean started;
  private boolean closing;
  private CompletableFuture<?> running = CompletableFuture.completedFuture(null);

  /**
   * @param client a client for the cluster holding the Lease (in a cluster: the management
   *     cluster, from the Pod's service account)
   * @param health told where this instance stands, for {@code /readyz} and {@code /healthz}
   */
  public Leadership(KubernetesClient client, Settings settings, Health health, Listener listener) {
    this.settings = settings;
    this.listener = listener;
    this.health = health;
    this.callbacks = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "leadership-" + settings.identity());
      t.setDaemon(true);
      return t;
    });
    this.elector = client.leaderElector()
        .withConfig(new LeaderElectionConfigBuilder()
            .withName("fleet-backup")
            .withLock(new LeaseLock(settings.namespace(), settings.leaseName(), settings.identity()))
            .withLeaseDuration(settings.timings().leaseDuration())
            .withRenewDeadline(settings.timings().renewDeadline())
            .withRetryPeriod(settings.timings().retryPeriod())
            // on close() while leading, hand the Lease over at once instead of after it expires
            .withReleaseOnCancel()
            .withLeaderCallbacks(new LeaderCallbacks(this::startedLeading, this::stoppedLeading, this::newLeader))
            .build())
        .build();
  }

  /** Joins the election; returns at once. */
  public void start() {
    synchronized (this) {
      if (started) {
        throw new IllegalStateException("leader election already started");
      }
      started = true;
    }
    logger.info("joining leader election on Lease {}/{} as {}", settings.namespace(), settings.leaseName(),
        settings.identity());
    CompletableFuture<?> future = elector.start();
    synchronized (this) {
      running = future;
    }
    future.whenComplete((ok, error) -> {
      if (error != null && !(error instanceof java.util.concurrent.CancellationException)) {
        logger.warn("leader election ended: {}", error.toString());
      }
    });
  }

  /** True from the moment this instance leads until it stops leading; check it before each write. */
  public synchronized boolean isLeader() {
    return role == Role.LEADER;
  }

  public synchronized Role role() {
    return role;
  }

  /** The identity holding the Lease, as last observed. */
  public synchronized Optional<String> currentLeader() {
    return leader;
  }

  public String identity() {
    return settings.identity();
  }

  /**
   * Leaves the election. While leading, calls {@link Listener#onStopLeading} and releases the Lease
   * so that a standby takes over within one retry period. Waits for the callbacks to finish.
   */
  @Override
  public void close() {
    synchronized (this) {
      closing = true;
    }
    CompletableFuture<?> future;
    synchronized (this) {
      future = running;
    }
    future.cancel(true);
    // the elector releases and calls onStopLeading on its own thread; wait for our callback queue
    callbacks.shutdown();
    try {
      if (!callbacks.awaitTermination(30, TimeUnit.SECONDS)) {
        logger.warn("leadership callbacks still running after 30s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (this) {
      role = Role.STOPPED;
    }
  }

  private synchronized void startedLeading() {
    if (role == Role.LEADER || role == Role.STOPPED || closing) {
      return;
    }
    role = Role.LEADER;
    leader = Optional.of(settings.identity());
    logger.info("leading: holding Lease {}/{} as {}", settings.namespace(), settings.leaseName(), settings.identity());
    health.leading();
    submit(listener::onStartLeading, "onStartLeading");
  }

  private synchronized void stoppedLeading() {
    if (role != Role.LEADER) {
      return;
    }
    role = Role.STOPPED;
    if (closing) {
      logger.info("released Lease {}/{}", settings.namespace(), settings.leaseName());
      health.leadershipLost("shutting down");
    } else {
      // the elector stops leading when it sees another holder on the Lease, or when it could not renew in time
      String why = leader.filter(l -> !l.equals(settings.identity()))
          .map(l -> "held by " + SafeText.quote(l) + " now")
          .orElse("not renewed within " + FlagDuration.format(settings.timings().renewDeadline()));
      logger.warn("lost Lease {}/{}: {}; stopping", settings.namespace(), settings.leaseName(), why);
      health.leadershipLost("Lease " + why);
    }
    submit(listener::onStopLeading, "onStopLeading");
  }

  private synchronized void newLeader(String identity) {
    leader = Optional.ofNullable(identity).filter(s -> !s.isEmpty());
    if (role == Role.CANDIDATE || role == Role.STANDBY) {
      if (leader.isPresent() && !leader.get().equals(settings.identity())) {
        role = Role.STANDBY;
        logger.info("standing by: {} leads", leader.get());
        health.standingBy(leader.get());
      }
    }
  }

  private void submit(Runnable callback, String name) {
    try {
      callbacks.execute(() -> {
        try {
          callback.run();
        } catch (RuntimeException e) {
          logger.error("{} failed", name, e);
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closed already: run it here so that onStopLeading is never lost
      callback.run();
    }
  }
}
