package dev.fleetbackup.testkit;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * One member cluster: its own etcd and kube-apiserver on loopback, RBAC authorization, a static
 * admin token (user {@code fleet-admin}, group {@code system:masters}), and a kubeconfig at
 * {@code <kubeconfigDir>/<name>.config}. There are no controllers, scheduler or kubelet; see the
 * {@link VeleroNode} for the one part of a kubelet the test kit plays. A second static token
 * belongs to {@value #UNPRIVILEGED_USER}, who is in no group, for tests of RBAC.
 *
 * <p>The API server keeps an audit log of every write a client makes ({@link #auditEvents()}):
 * creates, updates, patches and deletes, dry runs included, at level Metadata (who, what, when,
 * the status code; no bodies), one JSON object a line, written as each request completes (in
 * blocking mode, so a small answer leaves the server after its line is written). Reads and the API
 * server's own bootstrap writes are left out, so the file stays small.
 */
public final class Member {
  private static final Logger logger = LoggerFactory.getLogger(Member.class);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

  /** The user behind {@link #newUnprivilegedClient()}. */
  public static final String UNPRIVILEGED_USER = "fleet-user";

  /** Metadata of the write verbs, from every user but the API server itself (its bootstrap); nothing else. */
  private static final String AUDIT_POLICY = """
      apiVersion: audit.k8s.io/v1
      kind: Policy
      omitStages: [RequestReceived]
      rules:
      - level: None
        users: ["system:apiserver"]
      - level: Metadata
        verbs: [create, update, patch, delete, deletecollection]
      - level: None
      """;
  private static final JsonMapper AUDIT_JSON = JsonMapper.builder()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  private final String name;
  private final Path dir;
  private final Path kubeconfig;
  private final Kit kit;
  private final String token;
  private final String userToken;
  private final int etcdClientPort;
  private final int etcdPeerPort;
  private final int apiServerPort;

  private ManagedProcess etcd;
  private ManagedProcess apiServer;
  private KubernetesClient client;

  Member(String name, Path dir, Path kubeconfig, Kit kit) {
    this.name = name;
    this.dir = dir;
    this.kubeconfig = kubeconfig;
    this.kit = kit;
    byte[] t = new byte[24];
    new SecureRandom().nextBytes(t);
    this.token = HexFormat.of().formatHex(t);
    new SecureRandom().nextBytes(t);
    this.userToken = HexFormat.of().formatHex(t);
    this.etcdClientPort = kit.ports().free();
    this.etcdPeerPort = kit.ports().free();
    this.apiServerPort = kit.ports().free();
  }

  public String name() {
    return name;
  }

  /** {@code <kubeconfigDir>/<name>.config}: HTTPS, the server's CA, the admin token. */
  public Path kubeconfig() {
    return kubeconfig;
  }

  public URI apiServerUrl() {
    return URI.create("https://127.0.0.1:" + apiServerPort);
  }

  /** The directory holding this member's etcd data, certificates and process logs. */
  public Path dir() {
    return dir;
  }

  public Path logsDir() {
    return dir.resolve("logs");
  }

  /** The API server's audit log, kept across restarts: {@code <dir>/audit.log}. */
  public Path auditLog() {
    return dir.resolve("audit.log");
  }

  /**
   * Every write the API server recorded so far, in the order it answered them (a held write comes
   * when it is answered, with the time it was received). A line still being written is left out.
   */
  public List<AuditEvent> auditEvents() {
    String text;
    try {
      text = Files.exists(auditLog()) ? Files.readString(auditLog()) : "";
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + auditLog(), e);
    }
    int complete = text.lastIndexOf('\n') + 1;
    return text.substring(0, complete).lines().filter(l -> !l.isBlank())
        .map(l -> AUDIT_JSON.readValue(l, AuditEvent.class)).toList();
  }

  /** A client for this member (created on first use, closed with the fleet). */
  public synchronized KubernetesClient client() {
    if (client == null) {
      client = newClient();
    }
    return client;
  }

  /**
   * Whether Velero runs in this member as {@code velero install} puts it: its Deployment in {@code
   * velero} has a ready replica and its {@code default} BackupStorageLocation is Available.
   */
  public boolean veleroAvailable() {
    var deployment = client().apps().deployments().inNamespace("velero").withName("velero").get();
    if (deployment == null || deployment.getStatus() == null || deployment.getStatus().getReadyReplicas() == null
        || deployment.getStatus().getReadyReplicas() < 1) {
      return false;
    }
    var location = client().genericKubernetesResources("velero.io/v1", "BackupStorageLocation").inNamespace("velero")
        .withName("default").get();
    return location != null && location.getAdditionalProperties().get("status") instanceof Map<?, ?> status
        && "Available".equals(status.get("phase"));
  }

  /**
   * A new client authenticated as {@value #UNPRIVILEGED_USER}, a user in no group: it may do only
   * what RBAC objects grant it. The caller closes it.
   */
  public KubernetesClient newUnprivilegedClient() {
    try {
      Config admin = Config.fromKubeconfig(Files.readString(kubeconfig));
      Config config = new io.fabric8.kubernetes.client.ConfigBuilder(admin).withOauthToken(userToken).build();
      return new KubernetesClientBuilder().withConfig(config).build();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + kubeconfig, e);
    }
  }

  /** A new client from the kubeconfig; the caller closes it. */
  public KubernetesClient newClient() {
    try {
      Config config = Config.fromKubeconfig(Files.readString(kubeconfig));
      return new KubernetesClientBuilder().withConfig(config).build();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + kubeconfig, e);
    }
  }

  public synchronized boolean isApiServerRunning() {
    return apiServer != null && apiServer.isAlive();
  }

  /** Stops the kube-apiserver gracefully (SIGTERM); etcd and the data stay. */
  public synchronized void stopApiServer() {
    if (apiServer != null) {
      apiServer.stop(Duration.ofSeconds(30));
      apiServer = null;
    }
  }

  /** Kills the kube-apiserver (SIGKILL), as a crash or a network cut would look to a client. */
  public synchronized void killApiServer() {
    if (apiServer != null) {
      apiServer.kill();
      apiServer = null;
    }
  }

  /** Starts the kube-apiserver again on the same port with the same certificates and token. */
  public synchronized void startApiServer() {
    if (isApiServerRunning()) {
      return;
    }
    launchApiServer();
    awaitApiServerReady();
  }

  // --- lifecycle used by TestFleet -------------------------------------------------------

  synchronized void startEtcd() {
    Path data = dir.resolve("etcd");
    String client = "http://127.0.0.1:" + etcdClientPort;
    String peer = "http://127.0.0.1:" + etcdPeerPort;
    etcd =
        ManagedProcess.start(
            name + "/etcd",
            List.of(
                kit.binaries().etcd().toString(),
                "--name=" + name,
                "--data-dir=" + data,
                "--listen-client-urls=" + client,
                "--advertise-client-urls=" + client,
                "--listen-peer-urls=" + peer,
                "--initial-advertise-peer-urls=" + peer,
                "--initial-cluster=" + name + "=" + peer,
                "--initial-cluster-state=new",
                // a test cluster: losing the last writes on a machine crash does not matter
                "--unsafe-no-fsync=true",
                "--log-level=warn"),
            Map.of(),
            dir,
            logsDir().resolve("etcd.log"),
            kit.registry());
  }

  synchronized void awaitEtcdReady() {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    URI health = URI.create("http://127.0.0.1:" + etcdClientPort + "/health");
    try {
      // a process that exited fails at once; a refused connection means "not yet"
      await(name + " etcd /health").atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(100))
          .ignoreExceptionsInstanceOf(UncheckedIOException.class)
          .until(() -> {
            failIfExited(etcd);
            HttpResponse<String> r = get(http, health);
            return r.statusCode() == 200 && r.body().contains("\"true\"");
          });
    } catch (RuntimeException e) {
      throw startFailure("etcd", etcd, e);
    }
  }

  synchronized void launchApiServer() {
    Path pki = dir.resolve("pki");
    try {
      Files.createDirectories(pki);
      Path tokens = pki.resolve("tokens.csv");
      if (!Files.exists(tokens)) {
        Files.writeString(
            tokens,
            token + ",fleet-admin,fleet-admin,\"system:masters\"\n"
                + userToken + "," + UNPRIVILEGED_USER + "," + UNPRIVILEGED_USER + ",\"\"\n");
      }
      Path saKey = pki.resolve("service-account.key");
      if (!Files.exists(saKey)) {
        writeRsaKey(saKey);
      }
      Files.writeString(dir.resolve("audit-policy.yaml"), AUDIT_POLICY);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    apiServer =
        ManagedProcess.start(
            name + "/kube-apiserver",
            List.of(
                kit.binaries().kubeApiserver().toString(),
                "--etcd-servers=http://127.0.0.1:" + etcdClientPort,
                "--bind-address=127.0.0.1",
                "--advertise-address=127.0.0.1",
                "--secure-port=" + apiServerPort,
                "--cert-dir=" + pki,
                "--token-auth-file=" + pki.resolve("tokens.csv"),
                "--authorization-mode=RBAC",
                "--service-account-issuer=https://kubernetes.default.svc",
                "--service-account-key-file=" + pki.resolve("service-account.key"),
                "--service-account-signing-key-file=" + pki.resolve("service-account.key"),
                "--service-cluster-ip-range=10.0.0.0/24",
                "--allow-privileged=true",
                // no kube-controller-manager: the `kubernetes` Service endpoints would point at
                // loopback, which Endpoints validation rejects; nothing here needs them
                "--endpoint-reconciler-type=none",
                "--enable-priority-and-fairness=false",
                "--profiling=false",
                "--audit-policy-file=" + dir.resolve("audit-policy.yaml"),
                "--audit-log-path=" + auditLog(),
                "--audit-log-format=json",
                // write each event as its request completes, not in batches some time later
                "--audit-log-mode=blocking",
                "--v=1"),
            Map.of(),
            dir,
            logsDir().resolve("kube-apiserver.log"),
            kit.registry());
  }

  synchronized void awaitApiServerReady() {
    HttpClient http = insecureHttp();
    URI readyz = URI.create(apiServerUrl() + "/readyz");
    try {
      await(name + " kube-apiserver /readyz").atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(200))
          .ignoreExceptionsInstanceOf(UncheckedIOException.class)
          .until(() -> {
            failIfExited(apiServer);
            HttpRequest req =
                HttpRequest.newBuilder(readyz)
                    .timeout(Duration.ofSeconds(5))
                    .header("Authorization", "Bearer " + token)
                    .build();
            return send(http, req).statusCode() == 200;
          });
      writeKubeconfig();
    } catch (RuntimeException e) {
      throw startFailure("kube-apiserver", apiServer, e);
    }
  }

  synchronized void stopAll() {
    if (client != null) {
      try {
        client.close();
      } catch (RuntimeException e) {
        logger.debug("closing client of {}", name, e);
      }
      client = null;
    }
    if (apiServer != null) {
      apiServer.stop(Duration.ofSeconds(10));
      apiServer = null;
    }
    if (etcd != null) {
      etcd.stop(Duration.ofSeconds(10));
      etcd = null;
    }
  }

  private void writeKubeconfig() {
    try {
      // kube-apiserver wrote a self-signed serving certificate (with its CA) for 127.0.0.1 into
      // --cert-dir on first start; the kubeconfig trusts exactly that bundle.
      String ca = Files.readString(dir.resolve("pki").resolve("apiserver.crt"));
      String caData = Base64.getEncoder().encodeToString(ca.getBytes(StandardCharsets.UTF_8));
      String yaml =
          String.join(
              "\n",
              "apiVersion: v1",
              "kind: Config",
              "clusters:",
              "- name: " + name,
              "  cluster:",
              "    server: " + apiServerUrl(),
              "    certificate-authority-data: " + caData,
              "users:",
              "- name: " + name + "-admin",
              "  user:",
              "    token: " + token,
              "contexts:",
              "- name: " + name,
              "  context:",
              "    cluster: " + name,
              "    user: " + name + "-admin",
              "current-context: " + name,
              "");
      Files.createDirectories(kubeconfig.getParent());
      Path tmp = kubeconfig.resolveSibling(kubeconfig.getFileName() + ".tmp");
      Files.writeString(tmp, yaml);
      Files.move(
          tmp,
          kubeconfig,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + kubeconfig, e);
    }
  }

  private static void writeRsaKey(Path file) throws IOException {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      byte[] pkcs8 = g.generateKeyPair().getPrivate().getEncoded();
      String pem =
          "-----BEGIN PRIVATE KEY-----\n"
              + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pkcs8)
              + "\n-----END PRIVATE KEY-----\n";
      Files.writeString(file, pem);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private RuntimeException startFailure(String what, ManagedProcess p, RuntimeException cause) {
    String log = p == null ? "" : "\n--- " + p.logFile() + " (tail) ---\n" + p.logTail(6000);
    return new IllegalStateException(name + ": " + what + " did not become ready: " + cause.getMessage() + log, cause);
  }

  private static void failIfExited(ManagedProcess p) {
    if (p == null || !p.isAlive()) {
      throw new IllegalStateException(
          (p == null ? "process" : p.name()) + " is not running"
              + (p == null ? "" : " (exit code " + p.exitCode() + ")"));
    }
  }

  private static HttpResponse<String> get(HttpClient http, URI uri) {
    return send(http, HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build());
  }

  private static HttpResponse<String> send(HttpClient http, HttpRequest req) {
    try {
      return http.send(req, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Readiness probe only (like a kubelet's HTTPS probe): the CA is not known before start. */
  private static HttpClient insecureHttp() {
    try {
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(
          null,
          new TrustManager[] {
            new X509ExtendedTrustManager() {
              @Override
              public void checkClientTrusted(X509Certificate[] c, String a) {}

              @Override
              public void checkServerTrusted(X509Certificate[] c, String a) {}

              @Override
              public void checkClientTrusted(X509Certificate[] c, String a, Socket s) {}

              @Override
              public void checkServerTrusted(X509Certificate[] c, String a, Socket s) {}

              @Override
              public void checkClientTrusted(X509Certificate[] c, String a, SSLEngine e) {}

              @Override
              public void checkServerTrusted(X509Certificate[] c, String a, SSLEngine e) {}

              @Override
              public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
              }
            }
          },
          new SecureRandom());
      return HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(2)).build();
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return "Member[" + name + " " + apiServerUrl() + "]";
  }
}
