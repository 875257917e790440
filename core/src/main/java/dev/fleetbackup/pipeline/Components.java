package dev.fleetbackup.pipeline;

import dev.fleetbackup.cluster.MemberClients;
import dev.fleetbackup.cluster.UserAgent;
import dev.fleetbackup.cluster.WatchedMembers;
import dev.fleetbackup.model.PolicySet;
import dev.fleetbackup.observe.Inventory;
import dev.fleetbackup.plan.PlanSettings;
import dev.fleetbackup.plan.Planner;
import dev.fleetbackup.validate.Validator;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The product's collaborators, built once by whoever starts it (the command line, the sandbox):
 * the validator, the pass over the fleet for {@code diff} and {@code apply}, and the same pass as
 * the daemon runs it.
 */
public record Components(Validator validator, Pipeline pipeline, FleetPass.Factory passes, Clock clock) {
  /** How long one pass may work on one member (observe, diff, apply) before it is reported as timed out and the pass goes on. */
  public static final Duration MEMBER_BUDGET = Duration.ofMinutes(5);

  /** The settings fleet-backup ships with, on the system clock; members see {@code version} in the User-Agent. */
  public static Components standard(String version) {
    Clock clock = Clock.systemUTC();
    Validator validator = new Validator();
    MemberClients clients = new MemberClients(MemberClients.Limits.DEFAULTS, UserAgent.of(version));
    Pipeline pipeline = new Pipeline(validator, new Planner(PlanSettings.DEFAULTS), clients, MEMBER_BUDGET, clock);
    return new Components(validator, pipeline, daemon(pipeline, clients, PlanSettings.DEFAULTS.namespace()), clock);
  }

  /**
   * The daemon's pass: {@code pipeline} under the daemon's guardrails, applying to the members
   * {@code fence} lets it take (every one, but with shards), through {@code clients} naming the
   * instance when there is one, each member watched between passes ({@link WatchedMembers}): a
   * steady pass reads the watches and sends no dry run for what did not change, and drift asks for
   * a pass. {@code diff} and {@code apply} read the members afresh.
   */
  private static FleetPass.Factory daemon(Pipeline pipeline, MemberClients clients, String namespace) {
    return (credentials, options, guardrails, fence, instance, concurrency, timeouts) -> {
      MemberClients named = instance.map(clients::forInstance).orElse(clients);
      // the watches' clients are made once, so they take the request deadline here rather than per pass
      MemberClients bounded = timeouts.request().map(named::withRequestTimeout).orElse(named);
      WatchedMembers watched = bounded.watching(namespace, Set.of(Inventory.REF));
      Pipeline guarded = pipeline.withGuardrails(guardrails).withConnector(watched);
      Pipeline.Apply mode = new Pipeline.Apply(options, fence);
      return new FleetPass() {
        private volatile Listener listener;

        @Override
        public PassOutcome run(PolicySet policies) {
          List<String> members = FleetOrder.clusters(policies);
          List<String> taken = fence.take(members);
          Selection selection = taken.size() == members.size() ? Selection.ALL : Selection.only(Set.copyOf(taken));
          PassOutcome outcome = guarded.run(policies, new Pipeline.Request(credentials, selection, mode, concurrency, timeouts));
          Listener told = listener;
          if (told != null) {
            outcome.members().forEach(m -> m.outcome().sent().ifPresent(r -> told.sent(m.cluster(), r)));
          }
          return outcome;
        }

        @Override
        public void listen(Listener listener) {
          this.listener = listener;
          watched.onDrift(listener::drifted);
        }

        @Override
        public void close() {
          watched.close();
        }
      };
    };
  }
}
