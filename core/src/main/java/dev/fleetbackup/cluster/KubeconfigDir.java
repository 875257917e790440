package dev.fleetbackup.cluster;

import dev.fleetbackup.model.AttachedCluster;
import dev.fleetbackup.model.Fleet;
import dev.fleetbackup.plan.StorageCredentials;
import java.nio.file.Path;

/**
 * The shortcut: one kubeconfig per cluster at {@code DIR/<cluster>.config}, whatever Secret the
 * AttachedCluster names. Other Secrets (a fleet's storage credentials) come from {@code secrets}.
 */
public final class KubeconfigDir implements CredentialSource {
  private final Path dir;
  private final CredentialSource secrets;
  private final KubeconfigPolicy policy;

  public KubeconfigDir(Path dir, CredentialSource secrets, KubeconfigPolicy policy) {
    this.dir = dir.toAbsolutePath().normalize();
    this.secrets = secrets;
    this.policy = policy;
  }

  /** Kubeconfigs held to {@link KubeconfigPolicy#STRICT}. */
  public KubeconfigDir(Path dir, CredentialSource secrets) {
    this(dir, secrets, KubeconfigPolicy.STRICT);
  }

  @Override
  public Kubeconfig kubeconfig(AttachedCluster cluster) throws CredentialsUnavailableException {
    Path file = dir.resolve(cluster.name() + ".config").normalize();
    if (!file.startsWith(dir)) {
      throw new CredentialsUnavailableException("cluster name " + cluster.name() + " points outside " + dir);
    }
    return new Kubeconfig(file.toString(), LocalSecretsDir.read(file, "kubeconfig of cluster " + cluster.name(), Kubeconfig.MAX_BYTES),
        policy);
  }

  @Override
  public StorageCredentials storage(Fleet fleet) throws CredentialsUnavailableException {
    return secrets.storage(fleet);
  }
}
