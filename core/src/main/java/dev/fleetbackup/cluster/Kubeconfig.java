package dev.fleetbackup.cluster;

import java.util.Objects;

/**
 * A kubeconfig's text as a credential source read it, with the {@link KubeconfigPolicy} the
 * operator set for that source. It holds tokens or keys, so {@link #toString()} names only where
 * it came from. Nothing in it is trusted until {@link MemberClients#open} has checked it.
 */
public final class Kubeconfig {
  /** The most a kubeconfig may hold; sources stop reading beyond it. */
  public static final int MAX_BYTES = 1 << 20;

  private final String origin;
  private final String text;
  private final KubeconfigPolicy policy;

  public Kubeconfig(String origin, String text, KubeconfigPolicy policy) {
    this.origin = Objects.requireNonNull(origin, "origin");
    this.text = Objects.requireNonNull(text, "text");
    this.policy = Objects.requireNonNull(policy, "policy");
  }

  /** Where it was read from, for messages: a file path or a Secret reference. */
  public String origin() {
    return origin;
  }

  String text() {
    return text;
  }

  KubeconfigPolicy policy() {
    return policy;
  }

  @Override
  public String toString() {
    return "Kubeconfig[" + origin + "]";
  }
}
