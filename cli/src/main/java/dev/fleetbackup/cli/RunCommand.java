package dev.fleetbackup.cli;

import dev.fleetbackup.apply.ApplyOptions;
import dev.fleetbackup.controller.Controller;
import dev.fleetbackup.model.FlagDuration;
import dev.fleetbackup.ops.Leadership;
import dev.fleetbackup.ops.OpsServer;
import dev.fleetbackup.ops.WebhookSecret;
import dev.fleetbackup.pipeline.FleetPass;
import dev.fleetbackup.pipeline.GitOpsLoop;
import dev.fleetbackup.report.ForgeLinks;
import dev.fleetbackup.validate.Validator;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
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
  /** Shorter intervals only hammer the Git remote and the members: a pass over a fleet takes seconds. */
  static final Duration MIN_INTERVAL = Duration.ofSeconds(5);
  static final String WEBHOOK_SECRET_ENV = "FLEET_BACKUP_WEBHOOK_SECRET";

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

  @Mixin
  IgnoreOptions ignore = new IgnoreOptions();

  @Option(names = "--interval", paramLabel = "DURATION",
      description = {"Time between passes, e.g. 1m or 30s, at least 5s; a pass runs each interval even without a new commit "
          + "(default: 1m).", "While the repo cannot be fetched, the wait doubles after each failed fetch, up to 5m or the "
          + "interval if longer; the next good fetch resets it."})
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

  @Option(names = "--forge-url-template", paramLabel = "TEMPLATE",
      description = {"Where the status page links the file:line of a rejected commit, with {repo}, {commit}, {path}"
          + " and {line}, e.g. 'https://git.example/{repo}/src/commit/{commit}/{path}#L{line}' (default: GitHub's,"
          + " GitLab's or Gitea's when --repo is an https or ssh URL on github.*, gitlab.*, gitea.*, forgejo.* or"
          + " codeberg.org; else no link)."})
  String forgeUrlTemplate;

  @Option(names = "--in-cluster",
      description = "Read kubeconfigs and storage credentials from the Secrets the config repo names, in the cluster this runs in.")
  boolean inCluster;

  @Mixin
  ClusterOptions clusters = new ClusterOptions();

  @Mixin
  GuardrailOptions guardrails = new GuardrailOptions();

  @Option(names = "--require-fast-forward",
      description = "Refuse a head that does not contain the applied commit (a force-push, a rollback of the branch); without it such a head is applied and the rewrite reported.")
  boolean requireFastForward;

  @Mixin
  ApplyFlags writes = new ApplyFlags();

  @Option(names = "--ops-addr", paramLabel = "ADDRESS",
      description = "Serve /healthz, /readyz and /metrics here, e.g. :8080 or 127.0.0.1:9440 (default: off).")
  String opsAddress;

  @Option(names = "--webhook-secret-file", paramLabel = "FILE",
      description = {"Serve POST /hook/<token> on the ops port: a push signed with the secret in FILE (GitHub, Gitea, "
          + "GitLab or generic) starts a fetch and pass now.", "Default: $" + WEBHOOK_SECRET_ENV + "; the token is "
          + "derived from the secret and logged at start."})
  Path webhookSecretFile;

  @Mixin
  NotifyOptions notify = new NotifyOptions();

  @Option(names = "--enable-leader-election",
      description = "Only the holder of a Lease in this cluster applies and writes status; the others stand by.")
  boolean leaderElection;

  @Option(names = "--shards",
      description = {"Share the members among the replicas: each holds a Lease of its own in this cluster and reconciles the "
          + "members consistent hashing with bounded loads assigns it; the Lease flags below apply to it."})
  boolean shards;

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

  /** Where {@code $FLEET_BACKUP_WEBHOOK_SECRET} and the notifications' secrets are read; the process's environment but in tests. */
  Map<String, String> environment = System.getenv();

  private final Validator validator;
  private final FleetPass.Factory passes;
  private final Clock clock;

  RunCommand(Validator validator, FleetPass.Factory passes, Clock clock) {
    this.validator = validator;
    this.passes = passes;
    this.clock = clock;
  }

  @Override
  public Integer call() throws Exception {
    logging.apply();
    return new Controller(settings(), validator, passes, clock).run().exitCode().code();
  }

  /** The flags as the controller's settings; a contradiction among them is a usage error. */
  Controller.Settings settings() throws IOException {
    if (!once && interval.compareTo(MIN_INTERVAL) < 0) {
      throw usage("--interval " + FlagDuration.format(interval) + ": at least " + FlagDuration.format(MIN_INTERVAL) + " between passes");
    }
    if (once && leaderElection) {
      // --once runs its pass without campaigning: under election it would be fenced from every write
      throw usage("--once runs one pass now, without an election: drop --enable-leader-election (one pass at a time"
          + " needs no Lease, e.g. in a CronJob with concurrencyPolicy Forbid), or drop --once");
    }
    if (inCluster && clusters.localSourceGiven()) {
      throw usage("--in-cluster reads Secrets from the cluster; drop --kubeconfig, --context, --secrets-dir and --kubeconfig-dir");
    }
    if (shards && (leaderElection || once)) {
      throw usage("--shards shares the members among replicas, each with a Lease of its own: drop "
          + (once ? "--once" : "--enable-leader-election (no leader is needed)"));
    }
    Optional<Controller.Election> election = leaderElection || shards ? Optional.of(election()) : Optional.empty();
    Controller.Credentials credentials = inCluster
        ? new Controller.InCluster(clusters::inCluster) : new Controller.Local(clusters.credentials(spec.commandLine()));
    ApplyOptions options = writes.options();
    Optional<InetSocketAddress> ops;
    try {
      ops = Optional.ofNullable(opsAddress).map(OpsServer::parseAddress);
    } catch (IllegalArgumentException e) {
      throw usage("--ops-addr: " + e.getMessage());
    }
    Optional<WebhookSecret> webhook = webhook(ops);
    return new Controller.Settings(
        new Controller.Repo(git.remote(), branch, path, ignore.value(), git.clone("run"),
            requireFastForward ? GitOpsLoop.History.FAST_FORWARD_ONLY : GitOpsLoop.History.FOLLOW),
        new Controller.StatusBranch(statusBranch, authorName, authorEmail, forge(git.remote().url())),
        new Controller.Reconcile(credentials, options, guardrails.value(), clusters.concurrency(spec.commandLine()),
            clusters.timeouts(spec.commandLine())),
        once ? new Controller.Once() : new Controller.Every(interval, Optional.ofNullable(triggerFile), webhook),
        ops, election, notify.value(spec.commandLine(), environment));
  }

  /** The forge links of the status page: the flag's template, or the one the remote's host names. */
  private Optional<ForgeLinks> forge(String remoteUrl) {
    try {
      return forgeUrlTemplate == null ? ForgeLinks.forRemote(remoteUrl)
          : Optional.of(ForgeLinks.template(forgeUrlTemplate, remoteUrl));
    } catch (IllegalArgumentException e) {
      throw usage("--forge-url-template: " + e.getMessage());
    }
  }

  /** The webhook's secret, from its file or the environment, when there is one; never from a flag's value, which ps shows. */
  private Optional<WebhookSecret> webhook(Optional<InetSocketAddress> ops) {
    String from = webhookSecretFile != null ? "--webhook-secret-file " + webhookSecretFile : "$" + WEBHOOK_SECRET_ENV;
    Optional<String> text;
    if (webhookSecretFile != null) {
      text = Optional.of(SecretFile.read(spec.commandLine(), from, webhookSecretFile));
    } else {
      text = Optional.ofNullable(environment.get(WEBHOOK_SECRET_ENV)).filter(t -> !t.isBlank());
    }
    if (text.isEmpty() || once && webhookSecretFile == null) {
      return Optional.empty();
    }
    if (once) {
      throw usage(from + ": --once runs one pass and serves no webhook");
    }
    if (ops.isEmpty()) {
      throw usage(from + ": the webhook is served on the ops port; add --ops-addr");
    }
    try {
      return Optional.of(WebhookSecret.of(text.get()));
    } catch (IllegalArgumentException e) {
      throw usage(from + ": " + e.getMessage());
    }
  }

  private Controller.Election election() throws IOException {
    if (leaseNamespace == null || leaseNamespace.isBlank()) {
      throw usage((shards ? "--shards" : "--enable-leader-election") + " needs --leader-election-namespace or $POD_NAMESPACE");
    }
    Leadership.Timings timings;
    try {
      timings = new Leadership.Timings(leaseDuration, renewDeadline, retryPeriod);
    } catch (IllegalArgumentException e) {
      throw usage((shards ? "shards: " : "leader election: ") + e.getMessage());
    }
    String identity = Optional.ofNullable(System.getenv("POD_NAME")).orElse(InetAddress.getLocalHost().getHostName());
    return new Controller.Election(leaseNamespace, identity, timings,
        shards ? Controller.Split.SHARDS : Controller.Split.ONE_LEADER);
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
