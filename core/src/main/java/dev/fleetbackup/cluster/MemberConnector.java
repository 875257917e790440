package dev.fleetbackup.cluster;

/** Opens the connection to a member a pass asks through: {@link MemberClients} over fabric8, or one in memory in tests. */
@FunctionalInterface
public interface MemberConnector {

  /**
   * A connection to {@code cluster}; nothing is sent until it is used.
   *
   * @throws CredentialsUnavailableException when the kubeconfig cannot be used (refused, unreadable)
   */
  MemberConnection open(String cluster, Kubeconfig kubeconfig) throws CredentialsUnavailableException;
}
