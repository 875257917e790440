package dev.fleetbackup.testkit;

import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponseBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReviewBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.RuleWithOperations;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.RuleWithOperationsBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A validating admission webhook served from the test JVM, through which a member's API server
 * shows the test the writes it receives, before it stores them. A {@link Decider} lets each through
 * or holds it: a held write waits inside the API server, its client blocked on the response, until
 * the test {@linkplain #release() releases} it, and is then refused, so it never lands. That is how
 * a test stops a client in the middle of its work at a point it chose (and can prove it chose),
 * for example to kill the client there.
 *
 * <pre>{@code
 * try (AdmissionGate gate = AdmissionGate.install(member, dir, List.of(AdmissionGate.creates("velero.io", "backups")),
 *     Map.of(), request -> request.dryRun() ? Verdict.ALLOW : Verdict.HOLD)) {
 *   AdmissionGate.Request held = gate.awaitHeld(Duration.ofMinutes(1));
 *   ... kill the client ...
 *   gate.release();
 * }
 * }</pre>
 *
 * The webhook's certificate is made by the JDK's {@code keytool} for 127.0.0.1; its failure policy
 * is {@code Fail}, so a write the gate did not answer within the API server's 30 s does not land
 * either. {@link #close()} removes the webhook configuration and releases what is held.
 */
public final class AdmissionGate implements AutoCloseable {
  private static final Logger logger = LoggerFactory.getLogger(AdmissionGate.class);
  private static final String PROBE_LABEL = "testkit.fleet-backup.dev/admission-gate-probe";
  private static final String PASSWORD = "testkit";
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  /** What the gate tells the API server about one write. */
  public enum Verdict { ALLOW, HOLD }

  /** Decides on each write the webhook's rules match; called on the webhook's threads, one at a time. */
  @FunctionalInterface
  public interface Decider {
    Verdict decide(Request request);
  }

  /**
   * One write as the API server describes it: the operation ({@code CREATE}, {@code UPDATE}…), the
   * resource, the object's namespace and name, whether it is a dry run, and the object itself
   * (after mutation, as it would be stored).
   */
  public record Request(String operation, String group, String resource, String namespace, String name, boolean dryRun,
      GenericKubernetesResource object) {
    public Map<String, String> annotations() {
      return object == null || object.getMetadata().getAnnotations() == null ? Map.of() : object.getMetadata().getAnnotations();
    }

    @Override
    public String toString() {
      return operation + " " + (group.isEmpty() ? "" : group + "/") + resource + " "
          + (namespace == null || namespace.isEmpty() ? "" : namespace + "/") + name + (dryRun ? " (dry run)" : "");
    }
  }

  private final Member member;
  private final String name;
  private final HttpsServer server;
  private final ExecutorService threads;
  private final Decider decider;
  private final CountDownLatch released = new CountDownLatch(1);
  private final List<Request> held = new ArrayList<>();
  private final AtomicBoolean probed = new AtomicBoolean();

  private AdmissionGate(Member member, String name, HttpsServer server, ExecutorService threads, Decider decider) {
    this.member = member;
    this.name = name;
    this.server = server;
    this.threads = threads;
    this.decider = decider;
  }

  /** A rule for creates of {@code resources} in API group {@code group} ({@code ""} for the core group), any version. */
  public static RuleWithOperations creates(String group, String... resources) {
    return rule(List.of("CREATE"), group, resources);
  }

  /** A rule for creates and updates (server-side apply is either) of {@code resources} in {@code group}. */
  public static RuleWithOperations writes(String group, String... resources) {
    return rule(List.of("CREATE", "UPDATE"), group, resources);
  }

  private static RuleWithOperations rule(List<String> operations, String group, String... resources) {
    return new RuleWithOperationsBuilder().withOperations(operations).withApiGroups(group).withApiVersions("*")
        .withResources(resources).withScope("*").build();
  }

  /**
   * Serves the webhook and registers it with {@code member} for the writes {@code rules} name, of
   * objects carrying every label in {@code objectLabels}; returns once the API server calls it.
   * {@code dir} holds its key store.
   */
  public static AdmissionGate install(Member member, Path dir, List<RuleWithOperations> rules, Map<String, String> objectLabels,
      Decider decider) {
    String name = "testkit-gate-" + Long.toHexString(System.nanoTime());
    try {
      Files.createDirectories(dir);
      Path keyStore = dir.resolve(name + ".p12");
      String certificate = selfSignedCertificate(keyStore);
      HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.setHttpsConfigurator(new HttpsConfigurator(sslContext(keyStore)));
      ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "admission-gate");
        t.setDaemon(true);
        return t;
      });
      server.setExecutor(threads);
      AdmissionGate gate = new AdmissionGate(member, name, server, threads, decider);
      server.createContext("/", gate::handle);
      server.start();
      long t0 = System.nanoTime();
      try {
        gate.register(rules, objectLabels, certificate);
        gate.awaitCalled();
        logger.info("admission gate {} on {} called {} ms after registration", name, member.name(), (System.nanoTime() - t0) / 1_000_000);
      } catch (RuntimeException e) {
        gate.close();
        throw e;
      }
      return gate;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The first write the decider held; fails after {@code timeout}. */
  public Request awaitHeld(Duration timeout) {
    await("a write held by " + name + " on " + member.name()).atMost(timeout).pollInterval(Duration.ofMillis(20))
        .until(() -> heldRequests().size() > 0);
    return heldRequests().get(0);
  }

  /** What the decider held so far, in order. */
  public synchronized List<Request> heldRequests() {
    return List.copyOf(held);
  }

  /** Answers every held write, and any held from now on, with a refusal: none of them lands. */
  public void release() {
    released.countDown();
  }

  /** Removes the webhook configuration, releases what is held and stops serving. */
  @Override
  public void close() {
    release();
    try {
      member.client().admissionRegistration().v1().validatingWebhookConfigurations().withName(name).delete();
    } catch (RuntimeException e) {
      logger.warn("{}: cannot delete webhook configuration {}: {}", member.name(), name, e.toString());
    }
    server.stop(0);
    threads.shutdownNow();
  }

  private void register(List<RuleWithOperations> rules, Map<String, String> objectLabels, String certificate) {
    String caBundle = Base64.getEncoder().encodeToString(certificate.getBytes(StandardCharsets.US_ASCII));
    String url = "https://127.0.0.1:" + server.getAddress().getPort() + "/";
    ValidatingWebhook gate = webhook("gate", url, caBundle).withRules(rules)
        .withObjectSelector(new LabelSelectorBuilder().withMatchLabels(objectLabels).build()).build();
    // A second webhook, on ConfigMaps labelled for it only, tells when the API server has loaded the configuration.
    ValidatingWebhook probe = webhook("probe", url, caBundle).withRules(creates("", "configmaps"))
        .withObjectSelector(new LabelSelectorBuilder().withMatchLabels(Map.of(PROBE_LABEL, name)).build()).build();
    member.client().admissionRegistration().v1().validatingWebhookConfigurations().resource(
        new ValidatingWebhookConfigurationBuilder().withNewMetadata().withName(name).endMetadata()
            .withWebhooks(gate, probe).build()).create();
  }

  private static ValidatingWebhookBuilder webhook(String role, String url, String caBundle) {
    return new ValidatingWebhookBuilder().withName(role + ".gate.testkit.fleet-backup.dev")
        .withAdmissionReviewVersions("v1").withSideEffects("None").withFailurePolicy("Fail").withTimeoutSeconds(30)
        .withMatchPolicy("Equivalent")
        .withNewClientConfig().withUrl(url).withCaBundle(caBundle).endClientConfig();
  }

  /** Dry-run creates of a labelled ConfigMap until the webhook sees one: the API server reads new configurations asynchronously. */
  private void awaitCalled() {
    KubernetesClient client = member.client();
    var probe = new ConfigMapBuilder().withNewMetadata().withName(name + "-probe").withNamespace("default")
        .withLabels(Map.of(PROBE_LABEL, name)).endMetadata().build();
    await(name + " called by " + member.name()).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
        .ignoreExceptions().until(() -> {
          client.configMaps().inNamespace("default").resource(probe).dryRun().create();
          return probed.get();
        });
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      AdmissionReview review;
      try (InputStream in = exchange.getRequestBody()) {
        review = JSON.unmarshal(in, AdmissionReview.class);
      }
      AdmissionRequest request = review.getRequest();
      boolean allowed = decide(request);
      AdmissionReview answer = new AdmissionReviewBuilder().withApiVersion("admission.k8s.io/v1").withKind("AdmissionReview")
          .withResponse(new AdmissionResponseBuilder().withUid(request.getUid()).withAllowed(allowed)
              .withStatus(new StatusBuilder().withCode(allowed ? 200 : 403)
                  .withMessage(allowed ? "" : "held by the test kit's admission gate, then refused").build())
              .build())
          .build();
      byte[] body = JSON.asJson(answer).getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    } catch (IOException | RuntimeException e) {
      logger.debug("admission gate {}: {}", name, e.toString()); // e.g. the API server gave up on a held write
    }
  }

  private boolean decide(AdmissionRequest request) {
    GenericKubernetesResource object = request.getObject() == null ? null
        : JSON.convertValue(request.getObject(), GenericKubernetesResource.class);
    if (object != null && object.getMetadata().getLabels() != null && name.equals(object.getMetadata().getLabels().get(PROBE_LABEL))) {
      probed.set(true);
      return true;
    }
    Request r = new Request(request.getOperation(), Optional.ofNullable(request.getResource().getGroup()).orElse(""),
        request.getResource().getResource(), request.getNamespace(), request.getName(), Boolean.TRUE.equals(request.getDryRun()),
        object);
    Verdict verdict;
    synchronized (this) {
      verdict = released.getCount() == 0 ? Verdict.ALLOW : decider.decide(r);
      if (verdict == Verdict.HOLD) {
        held.add(r);
      }
    }
    logger.info("admission gate on {}: {} {}", member.name(), verdict, r);
    if (verdict == Verdict.ALLOW) {
      return true;
    }
    try {
      released.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return false;
  }

  /** Makes a key pair and a certificate for 127.0.0.1 with the JDK's keytool; returns the certificate as PEM. */
  private static String selfSignedCertificate(Path keyStore) throws IOException {
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    run(keytool, "-genkeypair", "-alias", "gate", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=admission-gate",
        "-ext", "SAN=IP:127.0.0.1", "-ext", "BC=ca:true", "-validity", "2", "-storetype", "PKCS12",
        "-keystore", keyStore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
    try {
      byte[] der = load(keyStore).getCertificate("gate").getEncoded();
      return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
          + "\n-----END CERTIFICATE-----\n";
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyStore load(Path keyStore) throws IOException, java.security.GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keyStore)) {
      store.load(in, PASSWORD.toCharArray());
    }
    return store;
  }

  private static void run(String... command) throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException("keytool " + command[1] + " failed: " + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private static SSLContext sslContext(Path keyStore) {
    try {
      KeyStore store = load(keyStore);
      KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, PASSWORD.toCharArray());
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(keys.getKeyManagers(), null, null);
      return ssl;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
