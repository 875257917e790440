package dev.fleetbackup.pipeline;

import dev.fleetbackup.cluster.MemberClients;
import dev.fleetbackup.cluster.UserAgent;
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
    return new Components(validator, pipeline, daemon(pipeline, clients), clock);
  }

  /**
   * The daemon's pass: {@code pipeline} under the daemon's guardrails, applying to the members
   * {@code fence} lets it take (every one, but with shards), through {@code clients} naming the
   * instance when there is one.
   */
  private static FleetPass.Factory daemon(Pipeline pipeline, MemberClients clients) {
    return (credentials, options, guardrails, fence, instance, concurrency, timeouts) -> {
      Pipeline guarded = pipeline.withGuardrails(guardrails).withConnector(instance.map(clients::forInstance).orElse(clients));
      Pipeline.Apply mode = new Pipeline.Apply(options, fence);
      return policies -> {
        List<String> members = FleetOrder.clusters(policies);
        List<String> taken = fence.take(members);
        Selection selection = taken.size() == members.size() ? Selection.ALL : Selection.only(Set.copyOf(taken));
        return guarded.run(policies, new Pipeline.Request(credentials, selection, mode, concurrency, timeouts));
      };
    };
  }
}
