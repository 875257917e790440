package dev.fleetbackup.cluster;

import java.util.Objects;

/** A kubeconfig's text. It holds tokens or keys, so {@link #toString()} names only where it came from. */
public final class Kubeconfig {
  private final String origin;
  private final String text;

  public Kubeconfig(String origin, String text) {
    this.origin = Objects.requireNonNull(origin, "origin");
    this.text = Objects.requireNonNull(text, "text");
  }

  /** Where it was read from, for messages: a file path or a Secret reference. */
  public String origin() {
    return origin;
  }

  String text() {
    return text;
  }

  @Override
  public String toString() {
    return "Kubeconfig[" + origin + "]";
  }
}
