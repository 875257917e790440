package dev.fleetbackup.pipeline;

import dev.fleetbackup.apply.ApplyOptions;
import dev.fleetbackup.apply.Fence;
import dev.fleetbackup.cluster.CredentialSource;
import dev.fleetbackup.model.PolicySet;
import dev.fleetbackup.validate.Guardrails;
import java.util.Optional;

/** The daemon's pass over valid policies: {@link Pipeline#run} applying to every member. */
@FunctionalInterface
public interface FleetPass {
  /** Never throws for a failing cluster: its failure is part of the outcome, and the others go on. */
  PassOutcome run(PolicySet policies);

  /**
   * Builds the pass once the credentials, options and guardrails are known, writing while
   * {@code fence} holds, its requests naming {@code instance} (the identity under leader election)
   * when there is one, {@code concurrency} members at a time, waiting on each as {@code timeouts}
   * say; the composition root provides it.
   */
  @FunctionalInterface
  interface Factory {
    FleetPass create(CredentialSource credentials, ApplyOptions options, Guardrails guardrails, Fence fence,
        Optional<String> instance, Concurrency concurrency, Timeouts timeouts);
  }
}
