package dev.fleetbackup.model;

/**
 * A reference to a member cluster, Kurator's {@code corev1.ObjectReference} as users write it:
 * {@code {kind: AttachedCluster, name: kurator-member1}}. The other ObjectReference fields are
 * accepted so that Kurator YAML validates unchanged, and ignored.
 */
public record ClusterRef(String kind, String name, String namespace, String apiVersion, String uid,
    String resourceVersion, String fieldPath) {

  public static final String ATTACHED_CLUSTER = "AttachedCluster";
  /** Kurator's cluster-api clusters. */
  public static final String CLUSTER = "Cluster";

  public static ClusterRef attached(String name) {
    return new ClusterRef(ATTACHED_CLUSTER, name, null, null, null, null, null);
  }

  /** Kurator treats an empty kind as {@code Cluster} (a cluster it provisions itself). */
  public String effectiveKind() {
    return kind == null || kind.isEmpty() ? CLUSTER : kind;
  }
}
