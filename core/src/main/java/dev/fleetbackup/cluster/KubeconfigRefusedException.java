package dev.fleetbackup.cluster;

/**
 * A kubeconfig asked for something fleet-backup does not do for it (run a command, read a local
 * file, skip TLS verification), or could not be read safely. Nothing was started. The message is
 * one line naming the cluster, where the kubeconfig came from and the field, never a value.
 */
public final class KubeconfigRefusedException extends CredentialsUnavailableException {
  private static final long serialVersionUID = 1L;

  KubeconfigRefusedException(String message) {
    super(message);
  }
}
