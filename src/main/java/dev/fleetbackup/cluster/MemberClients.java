package dev.fleetbackup.cluster;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.Objects;

/**
 * Builds one client per member cluster from its kubeconfig, with a connect timeout and a request
 * timeout on every call and a few short retries of transient failures: an unreachable member must
 * fail within seconds so that the others go on.
 */
public final class MemberClients {
  /** Transient failures (429, 5xx, a dropped connection) are retried a few times, 200 ms, 400 ms, 800 ms apart. */
  private static final int RETRIES = 3;
  private static final Duration RETRY_INTERVAL = Duration.ofMillis(200);
  private final Timeouts timeouts;

  /** @param connect TCP/TLS connect timeout; @param request timeout of each API request */
  public record Timeouts(Duration connect, Duration request) {
    public static final Timeouts DEFAULTS = new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(20));

    public Timeouts {
      Objects.requireNonNull(connect, "connect");
      Objects.requireNonNull(request, "request");
    }
  }

  public MemberClients(Timeouts timeouts) {
    this.timeouts = timeouts;
  }

  /** A connection to {@code cluster}; nothing is sent until it is used. */
  public MemberConnection open(String cluster, Kubeconfig kubeconfig) throws CredentialsUnavailableException {
    Config base;
    try {
      base = Config.fromKubeconfig(kubeconfig.text());
    } catch (KubernetesClientException | IllegalArgumentException e) {
      // the parser's message may quote the file; name only where it came from
      throw new CredentialsUnavailableException("cannot parse " + kubeconfig.origin() + " as a kubeconfig");
    }
    Config config = new ConfigBuilder(base)
        .withConnectionTimeout((int) timeouts.connect().toMillis())
        .withRequestTimeout((int) timeouts.request().toMillis())
        .withRequestRetryBackoffLimit(RETRIES)
        .withRequestRetryBackoffInterval((int) RETRY_INTERVAL.toMillis())
        .build();
    RequestCounter counter = new RequestCounter();
    KubernetesClient client = new KubernetesClientBuilder()
        .withConfig(config)
        .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("fleet-backup-request-counter", counter))
        .build();
    return new MemberConnection(cluster, config.getMasterUrl(), client, counter);
  }
}
