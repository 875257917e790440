package dev.fleetbackup.cluster;

import java.util.Objects;

/**
 * What a member kubeconfig may ask for beyond plain data, as the operator decided on the command
 * line ({@code --insecure-kubeconfig-exec}, {@code --insecure-kubeconfig-tls}, named after Flux's
 * flags). Whoever can write the Secret holding a kubeconfig decides what it says, so by default it
 * may run nothing and must verify the server.
 */
public record KubeconfigPolicy(ExecPlugins exec, Transport transport) {
  public static final KubeconfigPolicy STRICT = new KubeconfigPolicy(ExecPlugins.REFUSED, Transport.VERIFIED_TLS);

  /** {@code users[].user.exec}: a command fabric8 would run, as this process, to get a credential. */
  public enum ExecPlugins {
    REFUSED,
    /** {@code --insecure-kubeconfig-exec}. */
    ALLOWED
  }

  /** How the API server may be reached. */
  public enum Transport {
    /** HTTPS, the server's certificate verified. */
    VERIFIED_TLS,
    /** {@code --insecure-kubeconfig-tls}: {@code insecure-skip-tls-verify: true} and plain {@code http://} servers too. */
    INSECURE_ALLOWED
  }

  public KubeconfigPolicy {
    Objects.requireNonNull(exec, "exec");
    Objects.requireNonNull(transport, "transport");
  }
}
