package dev.fleetbackup.pipeline;

import dev.fleetbackup.cluster.MemberClients;
import dev.fleetbackup.diff.Differ;
import dev.fleetbackup.plan.PlanSettings;
import dev.fleetbackup.plan.Planner;
import dev.fleetbackup.plan.RunResolver;
import dev.fleetbackup.validate.Validator;
import java.time.Clock;
import java.time.Duration;

/**
 * The product's collaborators, built once by whoever starts it (the command line, the sandbox):
 * the validator, the pass over the fleet for {@code diff} and {@code apply}, and the daemon's pass.
 */
public record Components(Validator validator, Pipeline pipeline, FleetPass.Factory passes, Clock clock) {
  /** How long one member may take in one pass before it is reported as timed out and the pass goes on. */
  public static final Duration MEMBER_DEADLINE = Duration.ofMinutes(5);

  /** The settings fleet-backup ships with, on the system clock. */
  public static Components standard() {
    Validator validator = new Validator();
    Pipeline pipeline = new Pipeline(validator, new Planner(PlanSettings.DEFAULTS),
        new MemberClients(MemberClients.Timeouts.DEFAULTS), new Differ(new RunResolver()), MEMBER_DEADLINE);
    Clock clock = Clock.systemUTC();
    FleetPass.Factory passes = (credentials, options, guardrails) ->
        new ReconcilePass(pipeline.withGuardrails(guardrails), credentials, options, clock);
    return new Components(validator, pipeline, passes, clock);
  }
}
