package dev.fleetbackup.cluster;

import dev.fleetbackup.model.AttachedCluster;
import dev.fleetbackup.model.Fleet;
import dev.fleetbackup.plan.StorageCredentials;
import java.nio.file.Path;

/**
 * The shortcut: one kubeconfig per cluster at {@code DIR/<cluster>.config}, whatever Secret the
 * AttachedCluster names. Other Secrets (a fleet's storage credentials) come from {@code secrets},
 * by default the same folder read as a {@link LocalSecretsDir}.
 */
public final class KubeconfigDir implements CredentialSource {
  private final Path dir;
  private final CredentialSource secrets;

  public KubeconfigDir(Path dir, CredentialSource secrets) {
    this.dir = dir.toAbsolutePath().normalize();
    this.secrets = secrets;
  }

  public KubeconfigDir(Path dir) {
    this(dir, new LocalSecretsDir(dir));
  }

  @Override
  public Kubeconfig kubeconfig(AttachedCluster cluster) throws CredentialsUnavailableException {
    Path file = dir.resolve(cluster.name() + ".config").normalize();
    if (!file.startsWith(dir)) {
      throw new CredentialsUnavailableException("cluster name " + cluster.name() + " points outside " + dir);
    }
    return new Kubeconfig(file.toString(), LocalSecretsDir.read(file, "kubeconfig of cluster " + cluster.name()));
  }

  @Override
  public StorageCredentials storage(Fleet fleet) throws CredentialsUnavailableException {
    return secrets.storage(fleet);
  }
}
