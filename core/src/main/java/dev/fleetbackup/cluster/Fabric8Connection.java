package dev.fleetbackup.cluster;

import dev.fleetbackup.plan.Conventions;
import dev.fleetbackup.plan.ManagedKind;
import dev.fleetbackup.plan.ObjectRef;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A member's API server through fabric8: the only class that sends requests to a member, and the
 * only one that sees {@link KubernetesClientException}, which it turns into {@link RequestFailure}s.
 */
final class Fabric8Connection implements MemberConnection {
  private static final JsonMapper MAPPER = JsonMapper.builder().build();
  private final String cluster;
  private final String server;
  private final KubernetesClient client;
  private final KubernetesSerialization serialization;
  private final RequestCounter counter;

  Fabric8Connection(String cluster, String server, KubernetesClient client, RequestCounter counter) {
    this.cluster = cluster;
    this.server = server;
    this.client = client;
    this.serialization = client.getKubernetesSerialization();
    this.counter = counter;
  }

  @Override
  public String cluster() {
    return cluster;
  }

  @Override
  public String server() {
    return server;
  }

  /** For the kubeconfig tests: the client as {@link MemberClients} configured it. */
  KubernetesClient client() {
    return client;
  }

  @Override
  public RequestCount requests() {
    return counter.snapshot();
  }

  @Override
  public Optional<ObjectNode> get(ObjectRef ref) throws MemberException {
    try {
      return Optional.ofNullable(resource(ref).get()).map(this::tree);
    } catch (KubernetesClientException e) {
      throw failure(e);
    }
  }

  @Override
  public List<ObjectNode> list(ManagedKind kind, String namespace, Map<String, String> labels) throws MemberException {
    var op = operation(kind);
    try {
      var listed = kind.namespaced() ? op.inNamespace(namespace).withLabels(labels).list() : op.withLabels(labels).list();
      List<ObjectNode> out = new ArrayList<>();
      listed.getItems().forEach(item -> out.add(tree(item)));
      return out;
    } catch (KubernetesClientException e) {
      throw failure(e);
    }
  }

  @Override
  public boolean crdEstablished(String name) throws MemberException {
    CustomResourceDefinition crd;
    try {
      crd = client.apiextensions().v1().customResourceDefinitions().withName(name).get();
    } catch (KubernetesClientException e) {
      throw failure(e);
    }
    return crd != null && crd.getStatus() != null && crd.getStatus().getConditions() != null
        && crd.getStatus().getConditions().stream().anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  @Override
  public ObjectNode dryRunApply(ObjectRef ref, ObjectNode manifest) throws MemberException {
    try {
      return tree(resource(ref, manifest).dryRun().fieldManager(Conventions.FIELD_MANAGER).forceConflicts().serverSideApply());
    } catch (KubernetesClientException e) {
      throw failure(e);
    }
  }

  @Override
  public ObjectNode apply(ObjectRef ref, ObjectNode manifest) throws MemberException {
    try {
      return tree(resource(ref, manifest).fieldManager(Conventions.FIELD_MANAGER).forceConflicts().serverSideApply());
    } catch (KubernetesClientException e) {
      throw failure(e);
    }
  }

  @Override
  public ObjectNode create(ObjectRef ref, ObjectNode manifest) throws MemberException {
    try {
      return tree(resource(ref, manifest).create());
    } catch (KubernetesClientException e) {
      throw failure(e);
    }
  }

  @Override
  public void delete(ObjectRef ref) throws MemberException {
    boolean deleted;
    try {
      deleted = !resource(ref).withPropagationPolicy(DeletionPropagation.BACKGROUND).delete().isEmpty();
    } catch (KubernetesClientException e) {
      throw failure(e);
    }
    if (!deleted) {
      throw new MemberException(new RequestFailure(RequestFailure.Kind.NOT_FOUND, 404, ref + " not found"));
    }
  }

  private Resource<GenericKubernetesResource> resource(ObjectRef ref) {
    var op = operation(ref.kind());
    return ref.kind().namespaced() ? op.inNamespace(ref.namespace()).withName(ref.name()) : op.withName(ref.name());
  }

  private Resource<GenericKubernetesResource> resource(ObjectRef ref, ObjectNode manifest) {
    GenericKubernetesResource resource = serialization.convertValue(manifest, GenericKubernetesResource.class);
    var op = operation(ref.kind());
    return ref.kind().namespaced() ? op.inNamespace(ref.namespace()).resource(resource) : op.resource(resource);
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

  private ObjectNode tree(GenericKubernetesResource resource) {
    return (ObjectNode) MAPPER.readTree(serialization.asJson(resource));
  }

  /**
   * The failure from the server's Status only: code, reason, message; never from the request, so
   * no manifest content (a Secret's data) can reach a message.
   */
  static MemberException failure(KubernetesClientException e) {
    RequestFailure.Kind kind = RequestFailure.kindOf(e.getCode());
    if (kind == RequestFailure.Kind.UNREACHABLE && causedBy(e, InterruptedIOException.class)) {
      kind = RequestFailure.Kind.TIMED_OUT; // a SocketTimeoutException, or fabric8's own request timeout
    }
    return new MemberException(new RequestFailure(kind, e.getCode(), describe(e)));
  }

  private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private static String describe(KubernetesClientException e) {
    var status = e.getStatus();
    if (status != null && status.getMessage() != null && !status.getMessage().isBlank()) {
      String reason = status.getReason() == null || status.getReason().isBlank() ? "" : status.getReason() + ", ";
      return "(" + reason + status.getCode() + ") " + status.getMessage();
    }
    Throwable cause = e.getCause();
    if (e.getCode() > 0) {
      return "HTTP " + e.getCode();
    }
    return cause != null ? cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage())
        : "request failed";
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
