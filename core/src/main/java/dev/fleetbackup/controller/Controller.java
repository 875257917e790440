package dev.fleetbackup.controller;

import dev.fleetbackup.apply.ApplyOptions;
import dev.fleetbackup.cluster.CredentialSource;
import dev.fleetbackup.cluster.RequestCount;
import dev.fleetbackup.notify.Notifications;
import dev.fleetbackup.ops.FleetMetrics;
import dev.fleetbackup.ops.Health;
import dev.fleetbackup.ops.Leadership;
import dev.fleetbackup.ops.OpsServer;
import dev.fleetbackup.ops.Webhook;
import dev.fleetbackup.ops.WebhookSecret;
import dev.fleetbackup.pipeline.Concurrency;
import dev.fleetbackup.pipeline.ExitCode;
import dev.fleetbackup.pipeline.FleetPass;
import dev.fleetbackup.pipeline.GitOpsLoop;
import dev.fleetbackup.pipeline.PassOutcome;
import dev.fleetbackup.pipeline.Timeouts;
import dev.fleetbackup.report.ForgeLinks;
import dev.fleetbackup.report.StatusReport;
import dev.fleetbackup.source.GitRemote;
import dev.fleetbackup.source.IgnorePatterns;
import dev.fleetbackup.validate.Guardrails;
import dev.fleetbackup.validate.Validator;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * fleet-backup as a controller ({@code run}): the Git loop, one pass or one every interval, alone
 * or as a candidate in leader election, with the ops port ({@code /healthz}, {@code /readyz},
 * {@code /metrics}), until the process is asked to stop or its leadership ends.
 *
 * <p>As a candidate, the loop runs on a thread of its own while this instance leads, and checks
 * before each iteration that it still does; when leadership ends (the Lease could not be renewed
 * in time, or the process stops and releases it) the loop is stopped before the listener returns,
 * so nothing is applied after another instance may have taken over. Then the run ends with a
 * non-zero status, so that Kubernetes restarts the process as a standby.
 *
 * <p>With shards ({@link Split#SHARDS}) the same candidacy runs on the replica's own Lease
 * ({@code ops.ReplicaLease}): the loop runs while it is held, each write fenced per member
 * ({@link ShardFence}), and a pass starts at once when the replica gains members.
 */
public final class Controller {
  private static final Logger logger = LoggerFactory.getLogger(Controller.class);
  /** How long the end of leadership waits for the loop to finish the pass it is in. */
  static final Duration LOOP_STOP_TIMEOUT = Duration.ofMinutes(1);

  /**
   * How to run, as the command line decides it.
   *
   * @param ops where to serve the probes and metrics; none to serve none
   * @param election the Lease to compete for; none to run alone
   * @param notifications who hears of rejected commits, failed runs and recoveries, and the forge's commit status
   */
  public record Settings(Repo repo, StatusBranch status, Reconcile reconcile, Schedule schedule,
      Optional<InetSocketAddress> ops, Optional<Election> election, Notifications notifications) {
    public Settings(Repo repo, StatusBranch status, Reconcile reconcile, Schedule schedule,
        Optional<InetSocketAddress> ops, Optional<Election> election) {
      this(repo, status, reconcile, schedule, ops, election, Notifications.NONE);
    }

    public Settings {
      Objects.requireNonNull(repo, "repo");
      Objects.requireNonNull(status, "status");
      Objects.requireNonNull(reconcile, "reconcile");
      Objects.requireNonNull(schedule, "schedule");
      Objects.requireNonNull(notifications, "notifications");
      if (schedule instanceof Every every && every.webhook().isPresent() && ops.isEmpty()) {
        throw new IllegalArgumentException("the webhook is served on the ops port, and there is none");
      }
    }
  }

  /**
   * The config repo to follow, and the folder its clone is kept in.
   *
   * @param ignore what to leave out of its files, beside its {@code .sourceignore} files
   * @param history what to do with a head that does not contain the applied commit
   */
  public record Repo(GitRemote remote, String branch, String path, IgnorePatterns ignore, Path workDir,
      GitOpsLoop.History history) {
    public Repo(GitRemote remote, String branch, String path, Path workDir) {
      this(remote, branch, path, IgnorePatterns.NONE, workDir, GitOpsLoop.History.FOLLOW);
    }
  }

  /** Where the status is committed, and as whom. */
  public record StatusBranch(String branch, String authorName, String authorEmail, Optional<ForgeLinks> forge) {
    /** Where README.md links the lines of a rejected commit: nowhere. */
    public StatusBranch(String branch, String authorName, String authorEmail) {
      this(branch, authorName, authorEmail, Optional.empty());
    }
  }

  /** How members are reached and applied to, how many at a time, and how long a pass waits on each. */
  public record Reconcile(Credentials credentials, ApplyOptions options, Guardrails guardrails, Concurrency concurrency,
      Timeouts timeouts) {
    public Reconcile(Credentials credentials, ApplyOptions options, Guardrails guardrails) {
      this(credentials, options, guardrails, Concurrency.DEFAULT, Timeouts.UNSET);
    }
  }

  /** Where the members' kubeconfigs and the storage credentials come from. */
  public sealed interface Credentials permits Local, InCluster {}

  /** Files on this machine ({@code --kubeconfig}, {@code $KUBECONFIG}, {@code --secrets-dir}, {@code --kubeconfig-dir}). */
  public record Local(CredentialSource source) implements Credentials {}

  /** The Secrets the config repo names, read through the management cluster's client ({@code --in-cluster}). */
  public record InCluster(Function<KubernetesClient, CredentialSource> secrets) implements Credentials {}

  /** One pass, or one every interval. */
  public sealed interface Schedule permits Once, Every {
    /** How long a leader may go without finishing a pass before {@code /healthz} fails. */
    Optional<Duration> stalledAfter();
  }

  /** {@code --once}: one pass, its status published, then the run ends. */
  public record Once() implements Schedule {
    @Override
    public Optional<Duration> stalledAfter() {
      return Optional.empty();
    }
  }

  /**
   * A pass every {@code interval}, or sooner when {@code triggerFile} is touched or a forge's hook
   * signed with {@code webhook} arrives on the ops port; later while the repo cannot be fetched,
   * backing off as {@link Pacing} says.
   */
  public record Every(Duration interval, Optional<Path> triggerFile, Optional<WebhookSecret> webhook) implements Schedule {
    public Every(Duration interval, Optional<Path> triggerFile) {
      this(interval, triggerFile, Optional.empty());
    }

    /** Several intervals plus the longest pass. */
    @Override
    public Optional<Duration> stalledAfter() {
      return Optional.of(interval.multipliedBy(3).plusMinutes(10));
    }
  }

  /**
   * The Lease {@link Leadership#DEFAULT_LEASE_NAME} in {@code namespace}, competed for as
   * {@code identity}; or, with {@link Split#SHARDS}, a Lease of this replica's own there, the members
   * shared among the replicas holding one ({@code --shards}).
   */
  public record Election(String namespace, String identity, Leadership.Timings timings, Split split) {
    public Election(String namespace, String identity, Leadership.Timings timings) {
      this(namespace, identity, timings, Split.ONE_LEADER);
    }

    Leadership.Settings lease() {
      return new Leadership.Settings(namespace, Leadership.DEFAULT_LEASE_NAME, identity, timings);
    }

    boolean sharded() {
      return split == Split.SHARDS;
    }
  }

  /** How the replicas share the work: one leader does it all, or each reconciles its share of the members. */
  public enum Split { ONE_LEADER, SHARDS }

  /** How a run ended, and the exit status that says so. */
  public sealed interface Result permits Passed, Stopped, LeadershipEnded {
    ExitCode exitCode();
  }

  /** {@code --once}: the pass ran; its outcome decides. */
  public record Passed(PassOutcome outcome) implements Result {
    @Override
    public ExitCode exitCode() {
      return outcome.exitCode();
    }
  }

  /** Asked to stop while running alone. */
  public record Stopped() implements Result {
    @Override
    public ExitCode exitCode() {
      return ExitCode.OK;
    }
  }

  /** Leadership was lost or given up: non-zero, so that the process is restarted as a standby. */
  public record LeadershipEnded() implements Result {
    @Override
    public ExitCode exitCode() {
      return ExitCode.ERROR;
    }
  }

  private final Settings settings;
  private final Workload.Opener workloads;
  private final ShutdownHooks hooks;
  private final Clock clock;

  /** The controller over the config repo and the clusters {@code settings} name. */
  public Controller(Settings settings, Validator validator, FleetPass.Factory passes, Clock clock) {
    this(settings, RepoWorkload.opener(settings, validator, passes, clock), ShutdownHooks.JVM, clock);
  }

  Controller(Settings settings, Workload.Opener workloads, ShutdownHooks hooks, Clock clock) {
    this.settings = settings;
    this.workloads = workloads;
    this.hooks = hooks;
    this.clock = clock;
  }

  /** Runs until the pass ({@link Once}), the process or the leadership ends. */
  public Result run() throws Exception {
    Health health = new Health(clock, settings.schedule().stalledAfter());
    PrometheusRegistry registry = new PrometheusRegistry();
    FleetMetrics metrics = new FleetMetrics(registry);
    Optional<Pacing> pacing = settings.schedule() instanceof Every every
        ? Optional.of(new Pacing(every, clock, Pacing.Pause.WAITING, new Random()::nextDouble, metrics::passOverran))
        : Optional.empty();
    if (settings.schedule() instanceof Every every) {
      metrics.running(every.interval(), clock.instant());
    }
    try (Workload workload = workloads.open(new Workload.Passes() {
           @Override
           public void accept(StatusReport report) {
             metrics.record(report);
             health.passFinished();
             pacing.ifPresent(p -> p.passed(report));
           }

           @Override
           public void published(StatusReport report) {
             metrics.published(clock.instant());
           }
         });
         AutoCloseable ops = serve(registry, health, webhook(pacing, metrics, health))) {
      workload.listen(new FleetPass.Listener() {
        @Override
        public void drifted(Set<String> clusters) {
          clusters.forEach(metrics::drifted);
          pacing.ifPresent(Pacing::request); // the other members' part of that pass costs them next to nothing
        }

        @Override
        public void sent(String cluster, RequestCount requests) {
          metrics.requestsSent(cluster, requests.reads(), requests.dryRuns(), requests.writes(), requests.watches());
        }
      });
      if (pacing.isPresent()) {
        return settings.election().isPresent()
            ? new Candidacy(workload.loop(), pacing.get()).run(workload, settings.election().get(), health)
            : alone(workload.loop(), pacing.get(), health);
      }
      health.leading();
      return new Passed(workload.loop().iterate().outcome());
    }
  }

  private AutoCloseable serve(PrometheusRegistry registry, Health health, Optional<Webhook> webhook) throws java.io.IOException {
    if (settings.ops().isEmpty()) {
      return () -> { };
    }
    return OpsServer.start(settings.ops().get(), registry, health, webhook);
  }

  /** The webhook, when the schedule has a secret for one: each accepted hook asks {@code pacing} for a pass now. */
  private Optional<Webhook> webhook(Optional<Pacing> pacing, FleetMetrics metrics, Health health) {
    if (!(settings.schedule() instanceof Every every) || every.webhook().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Webhook(every.webhook().get(), settings.repo().branch(), pacing.orElseThrow()::request,
        health::isLeading, metrics::webhookRequest));
  }

  /** Without leader election: the loop on this thread until the process is asked to stop. */
  private Result alone(Workload.Loop loop, Pacing pacing, Health health) {
    health.leading();
    Thread running = Thread.currentThread();
    StopRequest stop = new StopRequest();
    try (ShutdownHooks.Registration hook = hooks.add(() -> {
      stop.request();
      stopWaiting(running, pacing);
    })) {
      loop.run(pacing, stop::requested);
    } catch (InterruptedException e) {
      logger.info("stopped");
    }
    return new Stopped();
  }

  /**
   * Ends the pass or the wait the loop is in, once a stop was requested: the loop checks that
   * request after each. The interrupt alone is not enough: a library the pass calls may catch it
   * and not set it again, and the loop would then wait out its interval; the pacing's bell ends
   * that wait whatever became of the interrupt.
   */
  private static void stopWaiting(Thread loop, Pacing pacing) {
    pacing.request();
    loop.interrupt();
  }

  /** Set once, from another thread: the process is asked to stop. */
  private static final class StopRequest {
    private volatile boolean requested;

    void request() {
      requested = true;
    }

    boolean requested() {
      return requested;
    }
  }

  /**
   * One candidacy: stands by until this instance leads, runs the loop on its own thread while it
   * does, and ends when leadership ends or the process is asked to stop.
   */
  private final class Candidacy implements Leadership.Listener {
    private final Workload.Loop loop;
    private final Pacing pacing;
    private final StopRequest stop = new StopRequest();
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile Workload.Candidate candidate;
    private Thread worker; // guarded by this

    Candidacy(Workload.Loop loop, Pacing pacing) {
      this.loop = loop;
      this.pacing = pacing;
    }

    Result run(Workload workload, Election election, Health health) throws InterruptedException {
      candidate = workload.candidate(election, health, this);
      try (ShutdownHooks.Registration hook = hooks.add(this::shutDown)) {
        candidate.start();
        ended.await();
      } finally {
        candidate.close();
      }
      logger.warn("leadership lost or given up; exiting so that a standby takes over");
      return new LeadershipEnded();
    }

    /** The process is asked to stop: the Lease is released (which stops the loop first, when leading). */
    private void shutDown() {
      stop.request();
      candidate.close();
      ended.countDown();
    }

    @Override
    public void onStartLeading() {
      synchronized (this) {
        if (stop.requested()) {
          return;
        }
        worker = new Thread(this::lead, "gitops-loop");
        worker.start();
      }
    }

    private void lead() {
      try {
        loop.run(pacing, () -> stop.requested() || !candidate.isLeader());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        ended.countDown();
      }
    }

    /** A replica that gained members (a peer's Lease ran out) reconciles them now, not at the next interval. */
    @Override
    public void onMembersGained() {
      pacing.request();
    }

    /** Returns once the loop has stopped: nothing is applied or written after this. */
    @Override
    public void onStopLeading() {
      Thread running;
      synchronized (this) {
        stop.request();
        running = worker;
      }
      if (running != null) {
        stopWaiting(running, pacing);
        try {
          running.join(LOOP_STOP_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        if (running.isAlive()) {
          logger.error("the loop did not stop within {}s of losing the Lease", LOOP_STOP_TIMEOUT.toSeconds());
        }
      }
      ended.countDown();
    }
  }
}
