package dev.fleetbackup.model;

import java.util.Map;

/**
 * {@code cluster.kurator.dev/v1alpha1 AttachedCluster}: a member cluster reached through a kubeconfig
 * Secret. A Fleet member of {@code kind: Cluster} (Kurator's cluster-api clusters) stands as one too,
 * reached through the Secret cluster-api writes for it ({@link #ofClusterApi}).
 */
public record AttachedCluster(ObjectMeta metadata, Spec spec, SourceMap source) implements ConfigResource {
  /** The key of cluster-api's {@code <name>-kubeconfig} Secret that holds the kubeconfig. */
  public static final String CLUSTER_API_KEY = "value";

  /**
   * The member a Fleet's {@code {kind: Cluster, name: NAME}} names: cluster-api's kubeconfig Secret
   * {@code NAME-kubeconfig}, key {@code value}, in the Fleet's namespace; {@code source} is where
   * the Fleet lists it.
   */
  public static AttachedCluster ofClusterApi(String name, String namespace, SourceMap source) {
    return new AttachedCluster(new ObjectMeta(name, namespace, Map.of(), Map.of()),
        new Spec(new SecretKeyRef(name + "-kubeconfig", CLUSTER_API_KEY)), source);
  }

  @Override
  public Kind kind() {
    return Kind.ATTACHED_CLUSTER;
  }

  public String name() {
    return metadata.name();
  }

  public record Spec(SecretKeyRef kubeconfig) {}
}
