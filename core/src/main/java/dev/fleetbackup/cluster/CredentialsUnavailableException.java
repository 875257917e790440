package dev.fleetbackup.cluster;

/**
 * A kubeconfig or storage credential could not be read, or was refused ({@link KubeconfigRefusedException}).
 * The message names the source, never a value.
 */
public class CredentialsUnavailableException extends Exception {
  private static final long serialVersionUID = 1L;

  public CredentialsUnavailableException(String message) {
    super(message);
  }
}
