package dev.fleetbackup.cluster;

import io.fabric8.kubernetes.api.model.AuthInfo;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.internal.KubeConfigUtils;
import java.time.Duration;
import java.util.Objects;

/**
 * Builds one client per member cluster from its kubeconfig, with a connect timeout and a request
 * timeout on every call and a few short retries of transient failures: an unreachable member must
 * fail within seconds so that the others go on. Every request names fleet-backup, its version and
 * the instance in its {@link UserAgent}, so that a member's audit log tells who wrote what.
 */
public final class MemberClients implements MemberConnector {
  /** Transient failures (429, 5xx, a dropped connection) are retried a few times, 200 ms, 400 ms, 800 ms apart. */
  private static final int RETRIES = 3;
  private static final Duration RETRY_INTERVAL = Duration.ofMillis(200);
  private final Timeouts timeouts;
  private final UserAgent userAgent;

  /** @param connect TCP/TLS connect timeout; @param request timeout of each API request */
  public record Timeouts(Duration connect, Duration request) {
    public static final Timeouts DEFAULTS = new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(20));

    public Timeouts {
      Objects.requireNonNull(connect, "connect");
      Objects.requireNonNull(request, "request");
    }
  }

  public MemberClients(Timeouts timeouts, UserAgent userAgent) {
    this.timeouts = timeouts;
    this.userAgent = Objects.requireNonNull(userAgent, "userAgent");
  }

  /** For tests and tools outside the product: no version to name ({@code fleet-backup/unknown}). */
  public MemberClients(Timeouts timeouts) {
    this(timeouts, UserAgent.of("unknown"));
  }

  /** Clients with the same timeouts whose requests name the instance {@code identity}. */
  public MemberClients forInstance(String identity) {
    return new MemberClients(timeouts, userAgent.forInstance(identity));
  }

  /**
   * A connection to {@code cluster}; nothing is sent until it is used. The kubeconfig is checked
   * first ({@link KubeconfigCheck}) and the client is built from what the check let through only,
   * with fabric8's auto-configuration off: no environment variable, system property,
   * {@code ~/.kube/config} or service-account file adds to it. An exec plugin runs here, and only
   * when the kubeconfig's policy allows it.
   */
  @Override
  public MemberConnection open(String cluster, Kubeconfig kubeconfig) throws CredentialsUnavailableException {
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
        .withUserAgent(userAgent.header())
        .withImpersonateUsername(user.getAs())
        .withImpersonateGroups(user.getAsGroups() == null ? null : user.getAsGroups().toArray(String[]::new))
        .withImpersonateExtras(user.getAsUserExtra())
        .withConnectionTimeout((int) timeouts.connect().toMillis())
        .withRequestTimeout((int) timeouts.request().toMillis())
        .withRequestRetryBackoffLimit(RETRIES)
        .withRequestRetryBackoffInterval((int) RETRY_INTERVAL.toMillis())
        .build();
    RequestCounter counter = new RequestCounter();
    KubernetesClient client;
    try {
      client = new KubernetesClientBuilder()
          .withConfig(config)
          .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("fleet-backup-request-counter", counter))
          .build();
    } catch (KubernetesClientException | IllegalArgumentException e) {
      // client-certificate-data or client-key-data that is base64 but no certificate or key; the cause may quote it
      throw new CredentialsUnavailableException("kubeconfig of cluster " + cluster + " (" + kubeconfig.origin()
          + "): its certificate or key data cannot be used (" + e.getClass().getSimpleName() + ")");
    }
    return new Fabric8Connection(cluster, config.getMasterUrl(), client, counter);
  }
}
