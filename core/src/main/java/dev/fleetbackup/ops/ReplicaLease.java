package dev.fleetbackup.ops;

import dev.fleetbackup.model.FlagDuration;
import dev.fleetbackup.model.SafeText;
import dev.fleetbackup.shard.Claims;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A replica's own Lease under sharding ({@code run --shards}): held by this replica alone, renewed
 * every retry period with the digest of the member names it reconciles, and listed with the other
 * replicas' Leases (label {@value #LABEL}) so that {@link Claims} knows which replicas live. The
 * replicas need no leader: each computes the same assignment from the same Leases.
 *
 * <p>Like {@link Leadership}, it tells its {@link Leadership.Listener} when the Lease is first held
 * (start the loop) and when it is lost — not renewed within the renew deadline — or given up on
 * {@link #close()} (stop the loop; nothing is written after it returns). A replica that closes
 * marks its Lease released, so the others take its members at their next list instead of after the
 * lease duration. A Lease of another replica not renewed for an hour is deleted, so that the Leases
 * of Pods long gone do not pile up.
 *
 * <p>RBAC: {@code get}, {@code list}, {@code create}, {@code update} and {@code delete} on
 * {@code leases} in the Lease's namespace.
 */
public final class ReplicaLease implements AutoCloseable {
  private static final Logger logger = LoggerFactory.getLogger(ReplicaLease.class);

  /** The label every replica Lease carries; the replicas find one another by it. */
  public static final String LABEL = "fleet-backup.dev/replica-lease";
  /** The digest of the member names the replica reconciles, once it has applied a commit. */
  public static final String MEMBERS = "fleet-backup.dev/members";
  /** Set by a replica that shut down cleanly: it writes nothing more. */
  public static final String RELEASED = "fleet-backup.dev/released";
  /** A Lease not renewed this long belongs to a replica long gone. */
  static final Duration FORGOTTEN_AFTER = Duration.ofHours(1);

  private final KubernetesClient client;
  private final Leadership.Settings settings;
  private final Claims claims;
  private final Health health;
  private final Leadership.Listener listener;
  private final Clock clock;
  private final ScheduledExecutorService ticks;

  // all guarded by this
  private Optional<Lease> written = Optional.empty();
  /** At start, a Lease of this identity already there: the version seen and since when, until it is seen unchanged for a lease duration. */
  private Optional<Map.Entry<String, Instant>> inherited = Optional.empty();
  private boolean startChecked;
  private boolean holding;
  private boolean stopped;
  private boolean failing;
  private Claims.View logged = null;

  /**
   * @param settings the namespace, this replica's identity and the timings; the Lease's name is
   *     {@link #leaseName} of the identity, whatever {@code settings} names
   */
  public ReplicaLease(KubernetesClient client, Leadership.Settings settings, Claims claims, Health health,
      Leadership.Listener listener, Clock clock) {
    this.client = client;
    this.settings = new Leadership.Settings(settings.namespace(), leaseName(settings.identity()), settings.identity(),
        settings.timings());
    this.claims = claims;
    this.health = health;
    this.listener = listener;
    this.clock = clock;
    this.ticks = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "replica-lease-" + settings.identity());
      t.setDaemon(true);
      return t;
    });
  }

  /** {@code fleet-backup-replica-<identity>}, made a valid name: lower case, other characters as {@code -}, with a hash when changed. */
  public static String leaseName(String identity) {
    String clean = identity.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]", "-").replaceAll("^[^a-z0-9]+|[^a-z0-9]+$", "");
    String name = "fleet-backup-replica-" + clean;
    if (!clean.equals(identity) || name.length() > 253) {
      name = name.substring(0, Math.min(name.length(), 240)).replaceAll("[^a-z0-9]+$", "") + "-" + shortHash(identity);
    }
    return name;
  }

  /** Starts keeping the Lease; returns at once. */
  public void start() {
    logger.info("sharding: keeping Lease {}/{} as {}", settings.namespace(), settings.leaseName(), settings.identity());
    ticks.scheduleWithFixedDelay(this::tick, 0, settings.timings().retryPeriod().toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Whether this replica holds its Lease: renewed within the renew deadline. */
  public boolean isHeld() {
    return claims.held();
  }

  /**
   * Stops: the listener hears {@code onStopLeading} first (the loop stops), then the Lease is
   * marked released, so that the others take over at once.
   */
  @Override
  public void close() {
    boolean wasHolding;
    synchronized (this) {
      wasHolding = holding && !stopped;
      stopped = true;
    }
    ticks.shutdownNow();
    try {
      ticks.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (wasHolding) {
      listener.onStopLeading();
      health.leadershipLost("shutting down");
      release();
    }
  }

  private void tick() {
    synchronized (this) {
      if (stopped) {
        return;
      }
    }
    try {
      Instant began = clock.instant();
      Optional<String> announced = claims.announced();
      if (renew(announced)) {
        claims.renewed(began, announced);
      }
      Instant listing = clock.instant();
      List<Lease> leases = client.leases().inNamespace(settings.namespace()).withLabel(LABEL, "true").list().getItems();
      claims.listed(listing, leases.stream().map(ReplicaLease::peer).toList());
      forgetLongGone(leases);
      if (failing) {
        logger.info("sharding: Lease {}/{} renewed again", settings.namespace(), settings.leaseName());
        failing = false;
      }
    } catch (KubernetesClientException e) {
      if (!failing) {
        logger.warn("sharding: cannot renew or list the replica Leases in {}: {}", settings.namespace(),
            SafeText.oneLine(String.valueOf(e.getMessage())));
        failing = true;
      }
    } catch (RuntimeException e) {
      logger.error("sharding: keeping the Lease failed", e);
    }
    started();
    lostIfStale();
    logView();
  }

  /** Renews this replica's Lease (creates it the first time); false when it did not, or may not yet. */
  private synchronized boolean renew(Optional<String> announced) {
    ZonedDateTime now = ZonedDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    if (!startChecked) {
      Lease there = client.leases().inNamespace(settings.namespace()).withName(settings.leaseName()).get();
      startChecked = true;
      written = Optional.ofNullable(there);
      if (there != null && !released(there)) {
        // a process of this identity may still run (or has just died): take the Lease once it stops changing
        inherited = Optional.of(Map.entry(there.getMetadata().getResourceVersion(), clock.instant()));
        logger.info("sharding: Lease {}/{} is there already; taking it once it has not changed for {}", settings.namespace(),
            settings.leaseName(), FlagDuration.format(settings.timings().leaseDuration()));
      }
    }
    if (inherited.isPresent()) {
      Lease there = client.leases().inNamespace(settings.namespace()).withName(settings.leaseName()).get();
      String version = there == null ? "" : there.getMetadata().getResourceVersion();
      if (!version.equals(inherited.get().getKey())) {
        inherited = Optional.of(Map.entry(version, clock.instant()));
        written = Optional.ofNullable(there);
        return false;
      }
      if (clock.instant().isBefore(inherited.get().getValue().plus(settings.timings().leaseDuration()))) {
        return false;
      }
      inherited = Optional.empty();
    }
    Lease next;
    if (written.isEmpty()) {
      next = new LeaseBuilder().withNewMetadata().withName(settings.leaseName()).withNamespace(settings.namespace())
          .addToLabels(LABEL, "true").addToLabels("app.kubernetes.io/name", "fleet-backup")
          .withAnnotations(annotations(announced)).endMetadata()
          .withNewSpec().withHolderIdentity(settings.identity())
          .withLeaseDurationSeconds((int) settings.timings().leaseDuration().toSeconds())
          .withAcquireTime(now).withRenewTime(now).withLeaseTransitions(0).endSpec().build();
      try {
        written = Optional.of(client.leases().inNamespace(settings.namespace()).resource(next).create());
        return true;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
        written = Optional.ofNullable(client.leases().inNamespace(settings.namespace()).withName(settings.leaseName()).get());
        return false; // made meanwhile (a renewal whose answer was lost): renewed on top of it next time
      }
    }
    next = new LeaseBuilder(written.get()).editMetadata().withAnnotations(annotations(announced)).endMetadata()
        .editSpec().withHolderIdentity(settings.identity())
        .withLeaseDurationSeconds((int) settings.timings().leaseDuration().toSeconds()).withRenewTime(now).endSpec().build();
    try {
      written = Optional.of(client.leases().inNamespace(settings.namespace()).resource(next).update());
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        written = Optional.empty(); // deleted by someone: made again at the next renewal
        logger.warn("sharding: Lease {}/{} was deleted; making it again", settings.namespace(), settings.leaseName());
        return false;
      }
      if (e.getCode() == 409) {
        // someone else wrote it since: read it again, and renew on top of it next time
        written = Optional.ofNullable(client.leases().inNamespace(settings.namespace()).withName(settings.leaseName()).get());
        logger.warn("sharding: Lease {}/{} was changed by someone else; renewing it on top", settings.namespace(),
            settings.leaseName());
        return false;
      }
      throw e;
    }
  }

  private static Map<String, String> annotations(Optional<String> announced) {
    Map<String, String> out = new HashMap<>();
    announced.ifPresent(d -> out.put(MEMBERS, d));
    return out;
  }

  private void started() {
    boolean first;
    synchronized (this) {
      first = !holding && !stopped && claims.held();
      holding = holding || first;
    }
    if (first) {
      logger.info("sharding: holding Lease {}/{} as {}", settings.namespace(), settings.leaseName(), settings.identity());
      health.leading();
      listener.onStartLeading();
    }
  }

  /** Not renewed within the renew deadline: the Lease may be taken for dead by the others soon; stop. */
  private void lostIfStale() {
    synchronized (this) {
      if (!holding || stopped || claims.held()) {
        return;
      }
      stopped = true;
    }
    String why = "not renewed within " + FlagDuration.format(settings.timings().renewDeadline());
    logger.warn("lost Lease {}/{}: {}; stopping", settings.namespace(), settings.leaseName(), why);
    health.leadershipLost("Lease " + why);
    ticks.shutdown();
    listener.onStopLeading();
  }

  /** One line when what this replica owns changes. */
  private void logView() {
    Claims.View view = claims.view();
    Claims.View before;
    synchronized (this) {
      before = logged;
      logged = view;
    }
    if (before != null && !before.owned().containsAll(view.owned())) {
      listener.onMembersGained();
    }
    if (before == null || !before.owned().equals(view.owned()) || !before.replicas().equals(view.replicas())
        || before.agreed() != view.agreed()) {
      logger.info("sharding: {} owns {} member(s) {}{}, replicas {}{}", SafeText.oneLine(settings.identity()), view.owned().size(),
          view.owned(), view.settling().isEmpty() ? "" : ", taking " + view.settling() + " once no other replica may write to them",
          view.replicas(), view.agreed() ? "" : " (not all on the same member set yet: taking no new member)");
    }
  }

  /** Marks the Lease released: the others take its members at their next list. */
  private synchronized void release() {
    if (written.isEmpty()) {
      return;
    }
    try {
      Map<String, String> annotations = new HashMap<>(annotations(claims.announced()));
      annotations.put(RELEASED, "true");
      client.leases().inNamespace(settings.namespace()).resource(new LeaseBuilder(written.get()).editMetadata()
          .withAnnotations(annotations).endMetadata().editSpec()
          .withRenewTime(ZonedDateTime.ofInstant(clock.instant(), ZoneOffset.UTC)).endSpec().build()).update();
      logger.info("released Lease {}/{}", settings.namespace(), settings.leaseName());
    } catch (KubernetesClientException e) {
      logger.warn("sharding: could not release Lease {}/{} ({}); the others take over once it runs out", settings.namespace(),
          settings.leaseName(), SafeText.oneLine(String.valueOf(e.getMessage())));
    }
  }

  /** Deletes the Leases of replicas gone for {@link #FORGOTTEN_AFTER} (by their own renew time; an hour dwarfs any clock skew). */
  private void forgetLongGone(List<Lease> leases) {
    Instant horizon = clock.instant().minus(FORGOTTEN_AFTER);
    for (Lease lease : leases) {
      ZonedDateTime renewed = lease.getSpec() == null ? null : lease.getSpec().getRenewTime();
      if (!lease.getMetadata().getName().equals(settings.leaseName()) && renewed != null && renewed.toInstant().isBefore(horizon)) {
        client.leases().inNamespace(settings.namespace()).resource(lease).delete();
        logger.info("sharding: deleted Lease {} of a replica gone since {}", lease.getMetadata().getName(), renewed.toInstant());
      }
    }
  }

  private static Claims.Peer peer(Lease lease) {
    String holder = Optional.ofNullable(lease.getSpec()).map(s -> s.getHolderIdentity()).filter(h -> !h.isEmpty())
        .orElse(lease.getMetadata().getName());
    Map<String, String> annotations = Optional.ofNullable(lease.getMetadata().getAnnotations()).orElse(Map.of());
    return new Claims.Peer(holder, lease.getMetadata().getResourceVersion(), Optional.ofNullable(annotations.get(MEMBERS)),
        released(lease));
  }

  private static boolean released(Lease lease) {
    return "true".equals(Optional.ofNullable(lease.getMetadata().getAnnotations()).orElse(Map.of()).get(RELEASED));
  }

  private static String shortHash(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)))
          .substring(0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
