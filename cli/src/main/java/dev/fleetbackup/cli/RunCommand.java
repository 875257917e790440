package dev.fleetbackup.cli;

import dev.fleetbackup.apply.ApplyOptions;
import dev.fleetbackup.cluster.CredentialSource;
import dev.fleetbackup.ops.FleetMetrics;
import dev.fleetbackup.ops.Health;
import dev.fleetbackup.ops.Leadership;
import dev.fleetbackup.ops.OpsServer;
import dev.fleetbackup.pipeline.FleetPass;
import dev.fleetbackup.pipeline.GitOpsLoop;
import dev.fleetbackup.pipeline.IntervalTrigger;
import dev.fleetbackup.pipeline.StatusBranchPublisher;
import dev.fleetbackup.pipeline.StatusPublisher;
import dev.fleetbackup.source.GitSource;
import dev.fleetbackup.validate.Guardrails;
import dev.fleetbackup.validate.Validator;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "run",
    description = {"Keep the fleet in the shape the config repo describes, and commit its status back.",
        "Fetches the repo every interval, validates each new commit (a broken one is rejected and the last good one stays",
        "applied), applies, runs the workflows, and commits the status to a branch of the same repo. Stops on Ctrl-C;",
        "a failing fetch, cluster or push never stops it."})
final class RunCommand implements Callable<Integer> {
  static final String DEFAULT_STATUS_BRANCH = "fleet-backup/status";
  private static final Logger logger = LoggerFactory.getLogger(RunCommand.class);

  @Spec
  CommandSpec spec;

  @Mixin
  GitRemoteOptions git = new GitRemoteOptions();

  @Mixin
  LoggingOptions logging = new LoggingOptions();

  @Option(names = "--branch", paramLabel = "BRANCH", description = "The branch to follow (default: ${DEFAULT-VALUE}).")
  String branch = "main";

  @Option(names = "--path", paramLabel = "SUBDIR", description = "Read only this folder of the repo.")
  String path = "";

  @Option(names = "--interval", paramLabel = "DURATION",
      description = "Time between passes, e.g. 1m or 30s; a pass runs each interval even without a new commit (default: 1m).")
  Duration interval = Duration.ofMinutes(1);

  @Option(names = "--trigger-file", paramLabel = "FILE", description = "Touch this file to start a pass now.")
  Path triggerFile;

  @Option(names = "--once", description = "Run one pass, write the status, and exit (0 when every cluster was applied).")
  boolean once;

  @Option(names = "--status-branch", paramLabel = "BRANCH", description = "Where status is committed (default: ${DEFAULT-VALUE}).")
  String statusBranch = DEFAULT_STATUS_BRANCH;

  @Option(names = "--author-name", paramLabel = "NAME", description = "Author of status commits (default: ${DEFAULT-VALUE}).")
  String authorName = "fleet-backup";

  @Option(names = "--author-email", paramLabel = "EMAIL", description = "Default: ${DEFAULT-VALUE}.")
  String authorEmail = "fleet-backup@users.noreply.localhost";

  @Option(names = "--in-cluster",
      description = "Read kubeconfigs and storage credentials from the Secrets the config repo names, in the cluster this runs in.")
  boolean inCluster;

  @Mixin
  ClusterOptions clusters = new ClusterOptions();

  @Mixin
  GuardrailOptions guardrails = new GuardrailOptions();

  @Option(names = "--allow-mass-delete", description = "Let a pass delete more than --max-delete-share of what fleet-backup manages in a cluster.")
  boolean allowMassDelete;

  @Option(names = "--max-delete-share", paramLabel = "SHARE", description = "Default: ${DEFAULT-VALUE}.")
  double maxDeleteShare = ApplyOptions.DEFAULTS.maxDeleteShare();

  @Option(names = "--ops-addr", paramLabel = "ADDRESS",
      description = "Serve /healthz, /readyz and /metrics here, e.g. :8080 or 127.0.0.1:9440 (default: off).")
  String opsAddress;

  @Option(names = "--enable-leader-election",
      description = "Only the holder of a Lease in this cluster applies and writes status; the others stand by.")
  boolean leaderElection;

  @Option(names = "--leader-election-namespace", paramLabel = "NAMESPACE", description = "Default: $POD_NAMESPACE.")
  String leaseNamespace = System.getenv("POD_NAMESPACE");

  @Option(names = "--leader-election-lease-duration", paramLabel = "DURATION",
      description = "How long a standby waits after the leader's last renewal before taking the Lease (default: 35s).")
  Duration leaseDuration = Leadership.Timings.FLUX.leaseDuration();

  @Option(names = "--leader-election-renew-deadline", paramLabel = "DURATION",
      description = "How long the leader tries to renew before it stops leading; shorter than the lease duration (default: 30s).")
  Duration renewDeadline = Leadership.Timings.FLUX.renewDeadline();

  @Option(names = "--leader-election-retry-period", paramLabel = "DURATION",
      description = "Time between attempts to take or renew the Lease (default: 5s).")
  Duration retryPeriod = Leadership.Timings.FLUX.retryPeriod();

  private final Validator validator;
  private final FleetPass.Factory passes;
  private final Clock clock;
  private volatile boolean stopping;

  RunCommand(Validator validator, FleetPass.Factory passes, Clock clock) {
    this.validator = validator;
    this.passes = passes;
    this.clock = clock;
  }

  @Override
  public Integer call() throws Exception {
    logging.apply();
    if (inCluster && (clusters.secretsDir != null || clusters.kubeconfigDir != null)) {
      throw new ParameterException(spec.commandLine(), "--in-cluster reads Secrets from the cluster; drop --secrets-dir and --kubeconfig-dir");
    }
    Leadership.Timings timings = leaderElection ? timings() : null;
    KubernetesClient management = inCluster || leaderElection ? new KubernetesClientBuilder().build() : null;
    CredentialSource secrets = inCluster ? clusters.inCluster(management) : clusters.credentials(spec.commandLine());
    Guardrails inForce = guardrails.value();
    ApplyOptions options = new ApplyOptions(maxDeleteShare,
        allowMassDelete ? ApplyOptions.Deletes.ALLOW_MASS_DELETE : ApplyOptions.Deletes.GUARDED,
        ApplyOptions.DEFAULTS.waitTimeout());
    Health health = new Health(clock, once ? Optional.empty() : Optional.of(interval.multipliedBy(3).plusMinutes(10)));
    PrometheusRegistry registry = new PrometheusRegistry();
    FleetMetrics metrics = new FleetMetrics(registry);

    try (GitSource source = GitSource.open(git.remote(), branch, path, git.clone("run"));
         OpsServer ops = opsAddress == null ? null : OpsServer.start(OpsServer.parseAddress(opsAddress), registry, health)) {
      if (ops != null) {
        logger.info("serving /healthz, /readyz and /metrics on {}", ops.uri());
      }
      StatusPublisher branchPublisher = new StatusBranchPublisher(
          source.statusBranch(statusBranch, authorName, authorEmail), statusBranch);
      StatusPublisher publisher = report -> {
        metrics.record(report);
        health.passFinished();
        return branchPublisher.publish(report);
      };
      GitOpsLoop loop = new GitOpsLoop(source, validator.withGuardrails(inForce), passes.create(secrets, options, inForce),
          publisher, clock);
      if (once) {
        health.leading();
        return loop.iterate().clusters().stream().allMatch(c -> c.error().isEmpty()) ? ExitCode.OK.code() : ExitCode.ERROR.code();
      }
      IntervalTrigger trigger = new IntervalTrigger(interval, Optional.ofNullable(triggerFile));
      return leaderElection ? runAsCandidate(loop, trigger, management, timings, health) : runAlone(loop, trigger, health);
    } finally {
      if (management != null) {
        management.close();
      }
    }
  }

  private Leadership.Timings timings() {
    try {
      return new Leadership.Timings(leaseDuration, renewDeadline, retryPeriod);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "leader election: " + e.getMessage());
    }
  }

  private int runAlone(GitOpsLoop loop, IntervalTrigger trigger, Health health) throws InterruptedException {
    health.leading();
    Thread main = Thread.currentThread();
    Thread hook = new Thread(() -> {
      stopping = true;
      main.interrupt();
    });
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      loop.run(trigger, () -> stopping);
    } catch (InterruptedException e) {
      logger.info("stopped");
    } finally {
      removeHook(hook);
    }
    return ExitCode.OK.code();
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down: the hook is running
    }
  }

  /**
   * Stands by until this instance holds the Lease, then runs the loop until it loses it. A lost
   * Lease ends the process with a non-zero status, so Kubernetes restarts it as a standby.
   */
  private int runAsCandidate(GitOpsLoop loop, IntervalTrigger trigger, KubernetesClient management,
      Leadership.Timings timings, Health health)
      throws Exception {
    if (leaseNamespace == null || leaseNamespace.isBlank()) {
      throw new IllegalArgumentException("--enable-leader-election needs --leader-election-namespace or $POD_NAMESPACE");
    }
    String identity = Optional.ofNullable(System.getenv("POD_NAME")).orElse(InetAddress.getLocalHost().getHostName());
    CountDownLatch done = new CountDownLatch(1);
    Thread[] worker = new Thread[1];
    Leadership[] leadership = new Leadership[1];
    Leadership.Listener listener = new Leadership.Listener() {
      @Override
      public void onStartLeading() {
        worker[0] = new Thread(() -> {
          try {
            loop.run(trigger, () -> stopping || !leadership[0].isLeader());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } finally {
            done.countDown();
          }
        }, "gitops-loop");
        worker[0].start();
      }

      @Override
      public void onStopLeading() {
        stopping = true;
        if (worker[0] != null) {
          worker[0].interrupt();
          try {
            worker[0].join(Duration.ofMinutes(1).toMillis());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        done.countDown();
      }
    };
    leadership[0] = new Leadership(management,
        new Leadership.Settings(leaseNamespace, Leadership.DEFAULT_LEASE_NAME, identity, timings), health, listener);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stopping = true;
      leadership[0].close();
    }));
    leadership[0].start();
    done.await();
    leadership[0].close();
    logger.warn("leadership lost or given up; exiting so that a standby takes over");
    return ExitCode.ERROR.code();
  }
}
