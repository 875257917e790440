package dev.fleetbackup.model;

/** {@code cluster.kurator.dev/v1alpha1 AttachedCluster}: a member cluster reached through a kubeconfig Secret. */
public record AttachedCluster(ObjectMeta metadata, Spec spec, SourceMap source) implements ConfigResource {

  @Override
  public Kind kind() {
    return Kind.ATTACHED_CLUSTER;
  }

  public String name() {
    return metadata.name();
  }

  public record Spec(SecretKeyRef kubeconfig) {}
}
