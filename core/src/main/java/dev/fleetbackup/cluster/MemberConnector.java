package dev.fleetbackup.cluster;

import java.time.Duration;
import java.util.Set;

/** Opens the connection to a member a pass asks through: {@link MemberClients} over fabric8, or one in memory in tests. */
@FunctionalInterface
public interface MemberConnector {

  /**
   * A connection to {@code cluster}; nothing is sent until it is used. Each request waits for
   * what is left of {@code budget} at most.
   *
   * @throws CredentialsUnavailableException when the kubeconfig cannot be used (refused, unreadable)
   */
  MemberConnection open(String cluster, Kubeconfig kubeconfig, MemberBudget budget) throws CredentialsUnavailableException;

  /** This connector with each request bounded by {@code timeout} ({@code --request-timeout}); one with no such bound is itself. */
  default MemberConnector withRequestTimeout(Duration timeout) {
    return this;
  }

  /** The config repo names these members now: whatever is kept of the others (a long-lived client) may go. */
  default void retain(Set<String> clusters) {}
}
