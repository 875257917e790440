package dev.fleetbackup.controller;

import dev.fleetbackup.apply.Fence;
import dev.fleetbackup.cluster.CredentialSource;
import dev.fleetbackup.notify.Notifier;
import dev.fleetbackup.ops.Health;
import dev.fleetbackup.ops.Leadership;
import dev.fleetbackup.ops.ReplicaLease;
import dev.fleetbackup.pipeline.FleetPass;
import dev.fleetbackup.pipeline.GitOpsLoop;
import dev.fleetbackup.pipeline.StatusBranchPublisher;
import dev.fleetbackup.pipeline.StatusPublisher;
import dev.fleetbackup.report.StatusReport;
import dev.fleetbackup.shard.Claims;
import dev.fleetbackup.source.GitSource;
import dev.fleetbackup.source.SourceException;
import dev.fleetbackup.source.StatusBranch;
import dev.fleetbackup.validate.Validator;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The real workload: the config repo's clone and its status branch, the client of the management
 * cluster (for {@code --in-cluster} Secrets and for the Lease) when one is needed, and the Git loop
 * over them.
 */
final class RepoWorkload implements Workload {
  private final Optional<KubernetesClient> management;
  private final GitSource source;
  private final GitOpsLoop loop;
  private final LeaderFence fence;
  private final Notifier notifier;
  private final Optional<Claims> claims;
  private final Clock clock;
  private final FleetPass pass;

  private RepoWorkload(Optional<KubernetesClient> management, GitSource source, GitOpsLoop loop, LeaderFence fence,
      Notifier notifier, Optional<Claims> claims, Clock clock, FleetPass pass) {
    this.management = management;
    this.source = source;
    this.loop = loop;
    this.fence = fence;
    this.notifier = notifier;
    this.claims = claims;
    this.clock = clock;
    this.pass = pass;
  }

  static Workload.Opener opener(Controller.Settings settings, Validator validator, FleetPass.Factory passes, Clock clock) {
    return passed -> open(settings, validator, passes, clock, passed);
  }

  private static RepoWorkload open(Controller.Settings settings, Validator validator, FleetPass.Factory passes, Clock clock,
      Workload.Passes passed) throws SourceException {
    boolean needsManagement = settings.election().isPresent()
        || settings.reconcile().credentials() instanceof Controller.InCluster;
    Optional<KubernetesClient> management = needsManagement ? Optional.of(new KubernetesClientBuilder().build()) : Optional.empty();
    try {
      CredentialSource credentials = settings.reconcile().credentials() instanceof Controller.InCluster inCluster
          ? inCluster.secrets().apply(management.orElseThrow())
          : ((Controller.Local) settings.reconcile().credentials()).source();
      Controller.Repo repo = settings.repo();
      GitSource source = GitSource.open(repo.remote(), repo.branch(), repo.path(), repo.ignore(), repo.workDir());
      // under leader election, the member requests and the status commits name the instance that made them
      Optional<String> instance = settings.election().map(Controller.Election::identity);
      Controller.StatusBranch status = settings.status();
      StatusBranch statusBranch = source.statusBranch(status.branch(), status.authorName(), status.authorEmail());
      StatusBranch committing = instance.map(statusBranch::committedBy).orElse(statusBranch);
      Optional<Duration> interval = settings.schedule() instanceof Controller.Every every
          ? Optional.of(every.interval()) : Optional.empty();
      LeaderFence leader = new LeaderFence();
      // with shards, each replica writes to the members it holds, and merges their status into the branch's
      Optional<Claims> claims = settings.election().filter(Controller.Election::sharded).map(e -> new Claims(e.identity(),
          new Claims.Timings(e.timings().leaseDuration(), e.timings().renewDeadline()), clock));
      Optional<ShardFence> shards = claims.map(ShardFence::new);
      Fence fence = shards.<Fence>map(f -> f).orElse(settings.election().isPresent() ? leader : Fence.NONE);
      StatusPublisher branch = shards.isPresent()
          ? StatusBranchPublisher.merging(committing, status.branch(), interval, status.forge(), shards.get()::part)
          : new StatusBranchPublisher(committing, status.branch(), interval, status.forge());
      // the publisher tells what changed since the report the status branch holds, before publishing the new one
      Notifier notifier = new Notifier(settings.notifications(), branch::lastPublished, clock);
      BooleanSupplier mayPublish = claims.<BooleanSupplier>map(c -> c::held).orElse(() -> fence.holds(""));
      var guardrails = settings.reconcile().guardrails();
      FleetPass pass = passes.create(credentials, settings.reconcile().options(), guardrails, fence, instance,
          settings.reconcile().concurrency(), settings.reconcile().timeouts());
      GitOpsLoop loop = new GitOpsLoop(source, validator.withGuardrails(guardrails), pass, new StatusPublisher() {
            @Override
            public String publish(StatusReport report) throws Exception {
              passed.accept(report);
              if (!mayPublish.getAsBoolean()) {
                return "status not pushed: this instance no longer holds the Lease";
              }
              notifier.passed(report);
              String published = branch.publish(report);
              passed.published(report);
              return published;
            }

            @Override
            public Optional<StatusReport> lastPublished() throws Exception {
              return branch.lastPublished();
            }
          }, clock, repo.history());
      return new RepoWorkload(management, source, loop, leader, notifier, claims, clock, pass);
    } catch (RuntimeException | SourceException e) {
      management.ifPresent(KubernetesClient::close);
      throw e;
    }
  }

  @Override
  public Loop loop() {
    return new Loop() {
      @Override
      public GitOpsLoop.Iteration iterate() {
        return loop.iterate();
      }

      @Override
      public void run(GitOpsLoop.Trigger trigger, BooleanSupplier stop) throws InterruptedException {
        loop.run(trigger, stop);
      }
    };
  }

  @Override
  public Candidate candidate(Controller.Election election, Health health, Leadership.Listener listener) {
    if (claims.isPresent()) {
      ReplicaLease lease = new ReplicaLease(management.orElseThrow(), election.lease(), claims.get(), health, listener, clock);
      return new Candidate() {
        @Override
        public void start() {
          lease.start();
        }

        @Override
        public boolean isLeader() {
          return lease.isHeld();
        }

        @Override
        public void close() {
          lease.close();
        }
      };
    }
    Leadership leadership = new Leadership(management.orElseThrow(), election.lease(), health, listener);
    fence.follow(leadership::isLeader);
    return new Candidate() {
      @Override
      public void start() {
        leadership.start();
      }

      @Override
      public boolean isLeader() {
        return leadership.isLeader();
      }

      @Override
      public void close() {
        leadership.close();
      }
    };
  }

  @Override
  public void listen(FleetPass.Listener listener) {
    pass.listen(listener);
  }

  @Override
  public void close() {
    try {
      notifier.close();
      pass.close();
      source.close();
    } finally {
      management.ifPresent(KubernetesClient::close);
    }
  }
}
