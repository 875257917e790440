package dev.fleetbackup.pipeline;

import dev.fleetbackup.apply.ApplyOptions;
import dev.fleetbackup.apply.Fence;
import dev.fleetbackup.cluster.CredentialSource;
import dev.fleetbackup.cluster.RequestCount;
import dev.fleetbackup.model.PolicySet;
import dev.fleetbackup.validate.Guardrails;
import java.util.Optional;
import java.util.Set;

/**
 * The daemon's pass over valid policies: {@link Pipeline#run} applying to every member. It may keep
 * what it learnt of the members between passes (clients, watches); {@link #close} lets them go.
 */
@FunctionalInterface
public interface FleetPass extends AutoCloseable {
  /** Never throws for a failing cluster: its failure is part of the outcome, and the others go on. */
  PassOutcome run(PolicySet policies);

  /** {@code listener} hears of drift in the members and of the requests each pass sent. */
  default void listen(Listener listener) {}

  @Override
  default void close() {}

  /** What a pass that watches its members tells the daemon. */
  interface Listener {
    /** Someone else changed an object fleet-backup reconciles in these members: a pass is due now. */
    void drifted(Set<String> clusters);

    /** The requests a pass sent to {@code cluster}. */
    void sent(String cluster, RequestCount requests);
  }

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
