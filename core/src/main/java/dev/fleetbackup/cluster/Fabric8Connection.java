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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A member's API server through fabric8: the only class that sends requests to a member, and the
 * only one that sees {@link KubernetesClientException}, which it turns into {@link RequestFailure}s.
 * Each request has an absolute deadline, the shorter of the request timeout and what is left of
 * the member's budget: the HTTP client's own timeout is an idle one, which a server that answers
 * a little at a time never reaches.
 */
final class Fabric8Connection implements MemberConnection {
  private static final JsonMapper MAPPER = JsonMapper.builder().build();
  private final String cluster;
  private final String server;
  private final KubernetesClient client;
  private final KubernetesSerialization serialization;
  private final RequestCounter counter;
  private final AnswerLimit answerLimit;
  private final Deadlines deadlines;
  private final Lifecycle lifecycle;

  /** Where requests wait for their answer ({@code waiter}), and for how long at most. */
  record Deadlines(ExecutorService waiter, Duration request, MemberBudget budget) {}

  /**
   * What becomes of the client: a connection of one pass closes it when closed or when a request is
   * abandoned ({@link #OWNED}); one over a member's long-lived client leaves it open when closed and
   * gives it up when a request is abandoned, as its socket may still be taken.
   */
  interface Lifecycle {
    Lifecycle OWNED = new Lifecycle() {
      @Override
      public void abandoned(KubernetesClient client) {
        client.close();
      }

      @Override
      public void closed(KubernetesClient client) {
        client.close();
      }
    };

    void abandoned(KubernetesClient client);

    void closed(KubernetesClient client);
  }

  /** One request through fabric8. */
  @FunctionalInterface
  private interface Call<T> {
    T send();
  }

  Fabric8Connection(String cluster, String server, KubernetesClient client, RequestCounter counter, AnswerLimit answerLimit,
      Deadlines deadlines) {
    this(cluster, server, client, counter, answerLimit, deadlines, Lifecycle.OWNED);
  }

  Fabric8Connection(String cluster, String server, KubernetesClient client, RequestCounter counter, AnswerLimit answerLimit,
      Deadlines deadlines, Lifecycle lifecycle) {
    this.cluster = cluster;
    this.server = server;
    this.client = client;
    this.serialization = client.getKubernetesSerialization();
    this.counter = counter;
    this.answerLimit = answerLimit;
    this.deadlines = deadlines;
    this.lifecycle = lifecycle;
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
    return bounded("GET " + ref, () -> Optional.ofNullable(resource(ref).get()).map(this::tree));
  }

  @Override
  public List<ObjectNode> list(ManagedKind kind, String namespace, Map<String, String> labels) throws MemberException {
    var op = operation(kind);
    return bounded("LIST " + kind.plural() + (namespace.isEmpty() ? "" : " in " + namespace), () -> {
      var listed = kind.namespaced() ? op.inNamespace(namespace).withLabels(labels).list() : op.withLabels(labels).list();
      List<ObjectNode> out = new ArrayList<>();
      listed.getItems().forEach(item -> out.add(tree(item)));
      return out;
    });
  }

  @Override
  public boolean crdEstablished(String name) throws MemberException {
    CustomResourceDefinition crd = bounded("GET customresourcedefinitions/" + name,
        () -> client.apiextensions().v1().customResourceDefinitions().withName(name).get());
    return crd != null && crd.getStatus() != null && crd.getStatus().getConditions() != null
        && crd.getStatus().getConditions().stream().anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  @Override
  public ObjectNode dryRunApply(ObjectRef ref, ObjectNode manifest) throws MemberException {
    return bounded("dry-run apply " + ref,
        () -> tree(resource(ref, manifest).dryRun().fieldManager(Conventions.FIELD_MANAGER).forceConflicts().serverSideApply()));
  }

  @Override
  public ObjectNode apply(ObjectRef ref, ObjectNode manifest) throws MemberException {
    return bounded("apply " + ref,
        () -> tree(resource(ref, manifest).fieldManager(Conventions.FIELD_MANAGER).forceConflicts().serverSideApply()));
  }

  @Override
  public ObjectNode create(ObjectRef ref, ObjectNode manifest) throws MemberException {
    return bounded("create " + ref, () -> tree(resource(ref, manifest).create()));
  }

  @Override
  public void delete(ObjectRef ref) throws MemberException {
    boolean deleted = bounded("delete " + ref,
        () -> !resource(ref).withPropagationPolicy(DeletionPropagation.BACKGROUND).delete().isEmpty());
    if (!deleted) {
      throw new MemberException(new RequestFailure(RequestFailure.Kind.NOT_FOUND, 404, ref + " not found"));
    }
  }

  /**
   * Sends {@code call} and waits for its answer until its deadline. A request past its deadline
   * is abandoned and the connection closed: the pass skips this member from then on, and the
   * abandoned request's socket goes with the connection.
   */
  private <T> T bounded(String what, Call<T> call) throws MemberException {
    Duration left = deadlines.budget().remaining();
    Duration deadline = left.compareTo(deadlines.request()) < 0 ? left : deadlines.request();
    if (deadline.isZero()) {
      throw new MemberException(new RequestFailure(RequestFailure.Kind.TIMED_OUT, 0,
          "its budget of " + seconds(deadlines.budget().total()) + " for this pass is spent; " + what + " not sent"));
    }
    Future<T> answer = deadlines.waiter().submit(call::send);
    try {
      return answer.get(deadline.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      answer.cancel(true);
      lifecycle.abandoned(client);
      String why = deadline.equals(deadlines.request()) ? "" : ", the rest of its budget for this pass";
      throw new MemberException(new RequestFailure(RequestFailure.Kind.TIMED_OUT, 0,
          "no complete answer to " + what + " within " + seconds(deadline) + why));
    } catch (ExecutionException e) {
      Optional<String> tooLarge = answerLimit.exceeded();
      if (tooLarge.isPresent()) {
        throw new MemberException(new RequestFailure(RequestFailure.Kind.TOO_LARGE, 0, tooLarge.get()));
      }
      if (e.getCause() instanceof KubernetesClientException k) {
        throw failure(k);
      }
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      answer.cancel(true);
      Thread.currentThread().interrupt();
      throw new MemberException(new RequestFailure(RequestFailure.Kind.TIMED_OUT, 0, what + " interrupted: the pass stopped waiting"));
    }
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
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
    return client.genericKubernetesResources(context(kind));
  }

  static ResourceDefinitionContext context(ManagedKind kind) {
    return new ResourceDefinitionContext.Builder()
        .withGroup(kind.group())
        .withVersion(kind.version())
        .withKind(kind.kind())
        .withPlural(kind.plural())
        .withNamespaced(kind.namespaced())
        .build();
  }

  private ObjectNode tree(GenericKubernetesResource resource) {
    return tree(serialization, resource);
  }

  static ObjectNode tree(KubernetesSerialization serialization, GenericKubernetesResource resource) {
    return (ObjectNode) MAPPER.readTree(serialization.asJson(resource));
  }

  /**
   * The failure from the server's Status only: code, reason, message; never from the request, so
   * no manifest content (a Secret's data) can reach a message.
   */
  static MemberException failure(KubernetesClientException e) {
    RequestFailure.Kind kind = RequestFailure.kindOf(e.getCode());
    if (kind == RequestFailure.Kind.UNREACHABLE && (causedBy(e, InterruptedIOException.class) || causedBy(e, TimeoutException.class))) {
      kind = RequestFailure.Kind.TIMED_OUT; // a socket's, the HTTP client's or fabric8's timeout
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
    lifecycle.closed(client);
  }

  @Override
  public String toString() {
    return "MemberConnection[" + cluster + " " + server + "]";
  }
}
