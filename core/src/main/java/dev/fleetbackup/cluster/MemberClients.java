package dev.fleetbackup.cluster;

import dev.fleetbackup.plan.ObjectRef;
import io.fabric8.kubernetes.api.model.AuthInfo;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.internal.KubeConfigUtils;
import io.fabric8.kubernetes.client.vertx5.Vertx5HttpClientFactory;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Builds one client per member cluster from its kubeconfig, with a connect timeout, an absolute
 * deadline and a size limit on every answer, and a few short retries of transient failures: a
 * member that does not answer, or answers slowly or without end, must fail within seconds so
 * that the others go on. Every request names fleet-backup, its version and the instance in its
 * {@link UserAgent}, so that a member's audit log tells who wrote what.
 */
public final class MemberClients implements MemberConnector {
  /** Transient failures (429, 5xx, a dropped connection) are retried a few times, 200 ms, 400 ms, 800 ms apart. */
  private static final int RETRIES = 3;
  private static final Duration RETRY_INTERVAL = Duration.ofMillis(200);
  private final Limits limits;
  private final UserAgent userAgent;
  private final ExecutorService requests;
  private final HttpClient.Factory http;

  /**
   * One Vert.x in the process, its event loops and TLS set up once, under every member's client:
   * fabric8 would start a Vert.x of its own for each, a handful of threads and its setup a member.
   */
  private static final class SharedVertx {
    static final HttpClient.Factory HTTP = new Http2(Vertx.vertx());
  }

  /**
   * HTTP/2 where the API server offers it (ALPN; HTTP/1.1 elsewhere), one connection per member
   * client as kubectl has: a pass's reads sent together share one connection and one TLS handshake
   * instead of opening one each. (fabric8's watches are WebSockets, a connection each.)
   */
  private static final class Http2 extends Vertx5HttpClientFactory {
    Http2(Vertx vertx) {
      super(vertx);
    }

    @Override
    protected void additionalConfig(WebClientOptions options, WebSocketClientOptions webSockets, PoolOptions pool) {
      options.setProtocolVersion(HttpVersion.HTTP_2).setUseAlpn(true);
      pool.setHttp2MaxSize(1);
    }
  }

  /**
   * @param connect TCP and TLS connect timeout
   * @param request how long one request may take from sending it to the last byte of its answer,
   *     its retries included (kubectl's {@code --request-timeout})
   * @param maxAnswerBytes the largest answer read from a member; a larger one fails the request
   */
  public record Limits(Duration connect, Duration request, long maxAnswerBytes) {
    /** 5 s, 20 s, 64 MiB: a list of several thousand Velero Backups fits. */
    public static final Limits DEFAULTS = new Limits(Duration.ofSeconds(5), Duration.ofSeconds(20), 64L << 20);

    public Limits {
      Objects.requireNonNull(connect, "connect");
      Objects.requireNonNull(request, "request");
      if (maxAnswerBytes <= 0) {
        throw new IllegalArgumentException("maxAnswerBytes must be positive");
      }
    }
  }

  public MemberClients(Limits limits, UserAgent userAgent) {
    this(limits, userAgent, Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "member-request");
      t.setDaemon(true);
      return t;
    }), SharedVertx.HTTP);
  }

  private MemberClients(Limits limits, UserAgent userAgent, ExecutorService requests, HttpClient.Factory http) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.userAgent = Objects.requireNonNull(userAgent, "userAgent");
    this.requests = requests;
    this.http = http;
  }

  /** For tests and tools outside the product: no version to name ({@code fleet-backup/unknown}). */
  public MemberClients(Limits limits) {
    this(limits, UserAgent.of("unknown"));
  }

  /** Clients whose requests name the same instance, each request bounded by {@code timeout}. */
  @Override
  public MemberClients withRequestTimeout(Duration timeout) {
    return new MemberClients(new Limits(limits.connect(), timeout, limits.maxAnswerBytes()), userAgent, requests, http);
  }

  /** Clients with the same limits whose requests name the instance {@code identity}. */
  public MemberClients forInstance(String identity) {
    return new MemberClients(limits, userAgent.forInstance(identity), requests, http);
  }

  /**
   * A connection to {@code cluster}; nothing is sent until it is used. The kubeconfig is checked
   * first ({@link KubeconfigCheck}) and the client is built from what the check let through only,
   * with fabric8's auto-configuration off: no environment variable, system property,
   * {@code ~/.kube/config} or service-account file adds to it. An exec plugin runs here, and only
   * when the kubeconfig's policy allows it.
   */
  @Override
  public MemberConnection open(String cluster, Kubeconfig kubeconfig, MemberBudget budget) throws CredentialsUnavailableException {
    Built built = build(cluster, kubeconfig);
    return new Fabric8Connection(cluster, built.server(), built.client(), built.counter(), built.answerLimit(),
        deadlines(budget));
  }

  /** A member's client as {@link #open} builds it, with its request counter and answer limit. */
  record Built(String server, KubernetesClient client, RequestCounter counter, AnswerLimit answerLimit) {}

  Fabric8Connection.Deadlines deadlines(MemberBudget budget) {
    return new Fabric8Connection.Deadlines(requests, limits.request(), budget);
  }

  /**
   * The daemon's connector: one long-lived client and watch cache per member, reading the Velero
   * namespace {@code namespace} whole (see {@link WatchedMembers}).
   */
  public WatchedMembers watching(String namespace, Set<ObjectRef> alwaysRead) {
    return new WatchedMembers(this, namespace, alwaysRead);
  }

  Built build(String cluster, Kubeconfig kubeconfig) throws CredentialsUnavailableException {
    io.fabric8.kubernetes.api.model.Config checked = KubeconfigCheck.check(cluster, kubeconfig);
    AuthInfo user = checked.getUsers().get(0).getUser();
    Config base = Config.empty();
    try {
      KubeConfigUtils.merge(base, KubeconfigCheck.NAME, checked);
    } catch (KubernetesClientException e) {
      // only an allowed exec plugin can fail here; its output may hold a credential, so no message
      throw new CredentialsUnavailableException("kubeconfig of cluster " + cluster + " (" + kubeconfig.origin()
          + "): the exec plugin could not be run (" + e.getClass().getSimpleName() + ")");
    }
    Config config = new ConfigBuilder(base)
        .withAutoConfigure(false)
        // the API server names the field manager of a create (which takes no fieldManager here) after the
        // User-Agent's product, "fleet-backup": the runs fleet-backup creates show it as their writer
        .withUserAgent(userAgent.header())
        .withImpersonateUsername(user.getAs())
        .withImpersonateGroups(user.getAsGroups() == null ? null : user.getAsGroups().toArray(String[]::new))
        .withImpersonateExtras(user.getAsUserExtra())
        .withConnectionTimeout((int) limits.connect().toMillis())
        .withRequestTimeout((int) limits.request().toMillis()) // the HTTP client's: an idle timeout
        .withRequestRetryBackoffLimit(RETRIES)
        .withRequestRetryBackoffInterval((int) RETRY_INTERVAL.toMillis())
        .build();
    RequestCounter counter = new RequestCounter();
    AnswerLimit answerLimit = new AnswerLimit(limits.maxAnswerBytes());
    KubernetesClient client;
    try {
      client = new KubernetesClientBuilder()
          .withConfig(config)
          .withHttpClientFactory(http)
          .withHttpClientBuilderConsumer(b -> b
              .addOrReplaceInterceptor("fleet-backup-request-counter", counter)
              .addOrReplaceInterceptor("fleet-backup-answer-limit", answerLimit))
          .build();
    } catch (KubernetesClientException | IllegalArgumentException e) {
      // client-certificate-data or client-key-data that is base64 but no certificate or key; the cause may quote it
      throw new CredentialsUnavailableException("kubeconfig of cluster " + cluster + " (" + kubeconfig.origin()
          + "): its certificate or key data cannot be used (" + e.getClass().getSimpleName() + ")");
    }
    return new Built(config.getMasterUrl(), client, counter, answerLimit);
  }
}
