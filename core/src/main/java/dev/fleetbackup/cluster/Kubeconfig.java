package dev.fleetbackup.cluster;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A kubeconfig as a credential source read it — one file or Secret key, or several files merged
 * as kubectl merges them — the context to use, and the {@link KubeconfigPolicy} the operator set
 * for that source. It holds tokens or keys, so {@link #toString()} names only where it came from.
 * Nothing in it is trusted until {@link MemberClients#open} has checked it.
 */
public final class Kubeconfig {
  /** The most a kubeconfig may hold; sources stop reading beyond it. */
  public static final int MAX_BYTES = 1 << 20;

  private final String origin;
  private final List<File> files;
  private final Optional<String> context;
  private final KubeconfigPolicy policy;

  /** One kubeconfig, used through its {@code current-context}. */
  public Kubeconfig(String origin, String text, KubeconfigPolicy policy) {
    this(origin, List.of(new File(origin, text)), Optional.empty(), policy);
  }

  private Kubeconfig(String origin, List<File> files, Optional<String> context, KubeconfigPolicy policy) {
    this.origin = Objects.requireNonNull(origin, "origin");
    this.files = List.copyOf(files);
    this.context = Objects.requireNonNull(context, "context");
    this.policy = Objects.requireNonNull(policy, "policy");
    if (this.files.isEmpty()) {
      throw new IllegalArgumentException("a kubeconfig needs at least one file");
    }
  }

  /**
   * Kubeconfig files merged by kubectl's rules ({@code --kubeconfig}, {@code $KUBECONFIG}): the
   * first file to name a cluster, user or context wins, and {@code current-context} comes from the
   * first that sets it; used through {@code context}.
   */
  public static Kubeconfig merged(List<File> files, String context, KubeconfigPolicy policy) {
    String paths = String.join(", ", files.stream().map(File::path).toList());
    return new Kubeconfig("context " + context + " of " + paths, files, Optional.of(context), policy);
  }

  /** Where it was read from, for messages: a file path or a Secret reference, and the context when one was named. */
  public String origin() {
    return origin;
  }

  List<File> files() {
    return files;
  }

  /** The context to use; empty: the {@code current-context}. */
  Optional<String> context() {
    return context;
  }

  KubeconfigPolicy policy() {
    return policy;
  }

  @Override
  public String toString() {
    return "Kubeconfig[" + origin + "]";
  }

  /** One file's text, as read within {@link #MAX_BYTES}; {@link #toString()} names only the path. */
  public record File(String path, String text) {
    public File {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(text, "text");
    }

    @Override
    public String toString() {
      return "File[" + path + "]";
    }
  }
}
