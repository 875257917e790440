package dev.fleetbackup.cluster;

import dev.fleetbackup.plan.ManagedKind;
import dev.fleetbackup.plan.ObjectRef;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.List;
import java.util.Optional;
import java.util.Map;

/** An open client to one member cluster and the count of requests sent through it. Close it when the pass is done. */
public final class MemberConnection implements AutoCloseable {
  private final String cluster;
  private final String server;
  private final KubernetesClient client;
  private final RequestCounter counter;

  MemberConnection(String cluster, String server, KubernetesClient client, RequestCounter counter) {
    this.cluster = cluster;
    this.server = server;
    this.client = client;
    this.counter = counter;
  }

  public String cluster() {
    return cluster;
  }

  /** The API server URL, for messages. */
  public String server() {
    return server;
  }

  public KubernetesClient client() {
    return client;
  }

  /** Requests sent so far through this connection. */
  public RequestCount requests() {
    return counter.snapshot();
  }

  /** The object as the cluster has it, or empty when it (or its kind) does not exist. */
  public Optional<GenericKubernetesResource> get(ObjectRef ref) {
    return Optional.ofNullable(resource(ref).get());
  }

  /** Every object of a kind in a namespace ("" for cluster-scoped kinds) carrying the given labels. */
  public List<GenericKubernetesResource> list(ManagedKind kind, String namespace, Map<String, String> labels) {
    var op = operation(kind);
    var listed = kind.namespaced() ? op.inNamespace(namespace).withLabels(labels).list() : op.withLabels(labels).list();
    return listed.getItems();
  }

  /** The operations on one object; its manifest, when given, is what apply and dry-run send. */
  public Resource<GenericKubernetesResource> resource(ObjectRef ref) {
    var op = operation(ref.kind());
    return ref.kind().namespaced() ? op.inNamespace(ref.namespace()).withName(ref.name()) : op.withName(ref.name());
  }

  public Resource<GenericKubernetesResource> resource(ObjectRef ref, GenericKubernetesResource manifest) {
    var op = operation(ref.kind());
    return ref.kind().namespaced() ? op.inNamespace(ref.namespace()).resource(manifest) : op.resource(manifest);
  }

  private MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> operation(
      ManagedKind kind) {
    return client.genericKubernetesResources(new ResourceDefinitionContext.Builder()
        .withGroup(kind.group())
        .withVersion(kind.version())
        .withKind(kind.kind())
        .withPlural(kind.plural())
        .withNamespaced(kind.namespaced())
        .build());
  }

  @Override
  public void close() {
    client.close();
  }

  @Override
  public String toString() {
    return "MemberConnection[" + cluster + " " + server + "]";
  }
}
