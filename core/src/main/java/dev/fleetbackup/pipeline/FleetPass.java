package dev.fleetbackup.pipeline;

import dev.fleetbackup.apply.ApplyOptions;
import dev.fleetbackup.cluster.CredentialSource;
import dev.fleetbackup.model.PolicySet;
import dev.fleetbackup.validate.Guardrails;

/** One reconciliation of the whole fleet against valid policies: plan, diff, apply, workflows. */
@FunctionalInterface
public interface FleetPass {
  /** Never throws for a failing cluster: its failure is part of the result, and the others go on. */
  PassResult run(PolicySet policies);

  /** Builds the pass once the credentials, options and guardrails are known; the composition root provides it. */
  @FunctionalInterface
  interface Factory {
    FleetPass create(CredentialSource credentials, ApplyOptions options, Guardrails guardrails);
  }
}
