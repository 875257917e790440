package dev.fleetbackup.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.fleetbackup.LogLines;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The webhook on the ops port, over real HTTP on the loopback: what each forge's request is answered, and what it starts. */
class WebhookTest {
  private static final String SECRET = "6f1e0c9a2b7d4e3f8a5c1b0d9e2f7a4c";
  private static final String MAIN = Hooks.push("refs/heads/main");

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final FleetMetrics metrics = new FleetMetrics(registry);
  private final Health health = new Health(Clock.systemUTC(), Optional.empty());
  private final AtomicInteger triggered = new AtomicInteger();
  private OpsServer server;
  private URI hook;

  @BeforeEach
  void start() throws Exception {
    health.leading();
    Webhook webhook = new Webhook(WebhookSecret.of(SECRET + "\n"), "main", triggered::incrementAndGet, health::isLeading,
        metrics::webhookRequest);
    server = OpsServer.start(new InetSocketAddress("127.0.0.1", 0), registry, health, Optional.of(webhook));
    hook = Hooks.url(server.uri(), SECRET);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static HttpResponse<String> send(HttpRequest request) throws Exception {
    return Scrape.send(request);
  }

  private static String answer(HttpResponse<String> response) {
    return response.statusCode() + " " + response.body().strip();
  }

  @Test
  void aGitHubPushToTheFollowedBranchRequestsAPassAndLogsOneLineWithoutTheSecret() throws Exception {
    try (LogLines log = LogLines.of(Webhook.class)) {
      assertThat(answer(send(Hooks.github(hook, SECRET, "push", MAIN)))).isEqualTo("202 fetch requested");

      assertThat(log.lines()).singleElement().asString()
          .isEqualTo("INFO webhook: github push to main, delivery \"72d3162e-cc78-11e3-81ab-4c9367dc0958\" from 127.0.0.1; "
              + "fetch requested")
          .doesNotContain(SECRET).doesNotContain(hook.getPath());
    }
    assertThat(triggered).hasValue(1);
  }

  @Test
  void giteaGitLabAndTheGenericSignatureAreEachCheckedTheWayTheyAreSent() throws Exception {
    assertThat(answer(send(Hooks.gitea(hook, SECRET, MAIN)))).isEqualTo("202 fetch requested");
    assertThat(answer(send(Hooks.gitlab(hook, SECRET, MAIN)))).isEqualTo("202 fetch requested");
    assertThat(answer(send(Hooks.generic(hook, SECRET, MAIN)))).isEqualTo("202 fetch requested");
    assertThat(answer(send(Hooks.generic(hook, SECRET, "")))).as("signed, and no ref: a nudge").isEqualTo("202 fetch requested");

    assertThat(triggered).hasValue(4);
  }

  @Test
  void aWrongMissingOrMalformedSignatureIsUnauthorizedWithNoDetailAndStartsNothing() throws Exception {
    String other = "another-secret-of-32-characters!";
    List<HttpRequest> refused = List.of(
        Hooks.github(hook, other, "push", MAIN),
        Hooks.gitea(hook, other, MAIN),
        Hooks.gitlab(hook, other, MAIN),
        Hooks.gitlab(hook, SECRET.substring(0, 31), MAIN),
        Hooks.gitlab(hook, SECRET + "0", MAIN),
        Hooks.generic(hook, other, MAIN),
        // signed, then the body changed
        Hooks.post(hook, MAIN.replace("main", "mainx")).header("X-Hub-Signature-256", "sha256=" + Hooks.hmac(SECRET, MAIN)).build(),
        // the right HMAC cut short, and one hex digit too many
        Hooks.post(hook, MAIN).header("X-Hub-Signature-256", "sha256=" + Hooks.hmac(SECRET, MAIN).substring(2)).build(),
        Hooks.post(hook, MAIN).header("X-Gitea-Signature", Hooks.hmac(SECRET, MAIN) + "0").build(),
        // GitHub's format without its prefix, Gitea's with one, not hex at all
        Hooks.post(hook, MAIN).header("X-Hub-Signature-256", Hooks.hmac(SECRET, MAIN)).build(),
        Hooks.post(hook, MAIN).header("X-Gitea-Signature", "sha256=" + Hooks.hmac(SECRET, MAIN)).build(),
        Hooks.post(hook, MAIN).header("X-Hub-Signature-256", "sha256=" + "zz".repeat(32)).build(),
        // only GitHub's legacy SHA-1 header, or nothing
        Hooks.post(hook, MAIN).header("X-Hub-Signature", "sha1=0123456789abcdef0123456789abcdef01234567").build(),
        Hooks.post(hook, MAIN).header("X-GitHub-Event", "push").build());

    for (HttpRequest request : refused) {
      assertThat(answer(send(request))).as(request.headers().map().toString()).isEqualTo("401 unauthorized");
    }
    assertThat(triggered).hasValue(0);
  }

  @Test
  void aPingIsAnsweredPongAndStartsNothing() throws Exception {
    assertThat(answer(send(Hooks.github(hook, SECRET, "ping", "{\"zen\":\"Keep it logically awesome.\",\"hook_id\":1}"))))
        .isEqualTo("200 pong");
    assertThat(triggered).hasValue(0);
  }

  @Test
  void aPushToAnotherBranchAndAnEventThatIsNoPushAreIgnored() throws Exception {
    assertThat(answer(send(Hooks.github(hook, SECRET, "push", Hooks.push("refs/heads/feature")))))
        .isEqualTo("202 ignored: a push to \"refs/heads/feature\", not to refs/heads/main");
    assertThat(answer(send(Hooks.github(hook, SECRET, "push", Hooks.push("refs/tags/v1")))))
        .isEqualTo("202 ignored: a push to \"refs/tags/v1\", not to refs/heads/main");
    assertThat(answer(send(Hooks.github(hook, SECRET, "pull_request", MAIN))))
        .isEqualTo("202 ignored: a \"pull_request\" event, not a push");
    assertThat(answer(send(Hooks.post(hook, MAIN).header("X-Gitlab-Event", "Tag Push Hook").header("X-Gitlab-Token", SECRET)
        .build()))).isEqualTo("202 ignored: a \"Tag Push Hook\" event, not a push");
    assertThat(triggered).hasValue(0);
  }

  @Test
  void gitHubsFormEncodingIsReadToo() throws Exception {
    String form = "payload=" + URLEncoder.encode(Hooks.push("refs/heads/feature"), StandardCharsets.UTF_8);
    HttpRequest request = HttpRequest.newBuilder(hook).header("Content-Type", "application/x-www-form-urlencoded")
        .header("X-GitHub-Event", "push").header("X-Hub-Signature-256", "sha256=" + Hooks.hmac(SECRET, form))
        .POST(HttpRequest.BodyPublishers.ofString(form)).build();

    assertThat(answer(send(request))).isEqualTo("202 ignored: a push to \"refs/heads/feature\", not to refs/heads/main");
  }

  @Test
  void aSignedBodyThatIsNotAnEventIsABadRequest() throws Exception {
    for (String body : List.of("not json", "[\"refs/heads/main\"]", "{\"ref\":")) {
      assertThat(answer(send(Hooks.github(hook, SECRET, "push", body)))).as(body).isEqualTo("400 the body is not the JSON of an event");
    }
    assertThat(triggered).hasValue(0);
  }

  @Test
  void aBodyOverOneMebibyteIsTooLargeWhetherItsLengthIsDeclaredOrNot() throws Exception {
    String large = "{\"ref\":\"refs/heads/main\",\"padding\":\"" + "x".repeat(Webhook.MAX_BODY) + "\"}";
    assertThat(answer(send(Hooks.github(hook, SECRET, "push", large)))).isEqualTo("413 the body is larger than 1024 KiB");

    byte[] chunked = large.getBytes(StandardCharsets.UTF_8);
    HttpRequest streamed = HttpRequest.newBuilder(hook).header("X-Hub-Signature-256", "sha256=" + Hooks.hmac(SECRET, large))
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(chunked))).build();
    assertThat(answer(send(streamed))).isEqualTo("413 the body is larger than 1024 KiB");

    String fits = "{\"ref\":\"refs/heads/main\",\"padding\":\"" + "x".repeat(Webhook.MAX_BODY - 100) + "\"}";
    assertThat(answer(send(Hooks.github(hook, SECRET, "push", fits)))).isEqualTo("202 fetch requested");
    assertThat(triggered).hasValue(1);
  }

  @Test
  void onlyPostAndOnlyTheExactPath() throws Exception {
    HttpResponse<String> get = send(HttpRequest.newBuilder(hook).GET().build());
    assertThat(answer(get)).isEqualTo("405 method not allowed: POST the forge's event here");
    assertThat(get.headers().firstValue("Allow")).contains("POST");

    String token = hook.getPath().substring("/hook/".length());
    for (String path : List.of("/hook/", "/hook/" + token.substring(1), "/hook/" + token + "/", "/hook/" + token.toUpperCase(),
        "/hook/" + SECRET, "/hook")) {
      assertThat(answer(send(Hooks.github(server.uri().resolve(path), SECRET, "push", MAIN)))).as(path).startsWith("404 not found");
    }
    assertThat(answer(send(Hooks.github(URI.create(hook + "?x=1"), SECRET, "push", MAIN)))).as("a query string changes nothing")
        .isEqualTo("202 fetch requested");
    assertThat(triggered).hasValue(1);
  }

  @Test
  void aStandbyAnswersASignedHookWithServiceUnavailable() throws Exception {
    health.standingBy("pod-b");

    assertThat(answer(send(Hooks.github(hook, SECRET, "push", MAIN)))).isEqualTo("503 standing by: the instance that leads takes hooks");
    assertThat(answer(send(Hooks.github(hook, "another-secret-of-32-characters!", "push", MAIN)))).isEqualTo("401 unauthorized");
    assertThat(triggered).hasValue(0);
  }

  /** Two senders that never finish their bodies hold the two hook slots; the probes and a third sender are answered at once. */
  @Test
  void slowSendersHoldAtMostTwoSlotsAndNeverTheProbes() throws Exception {
    try (Socket first = slowSender(); Socket second = slowSender()) {
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
          send(Hooks.github(hook, SECRET, "push", MAIN)).statusCode() == 429);
      HttpResponse<String> busy = send(Hooks.github(hook, SECRET, "push", MAIN));
      assertThat(answer(busy)).isEqualTo("429 busy: 2 hooks are being read; try again");
      assertThat(busy.headers().firstValue("Retry-After")).contains("1");
      assertThat(Scrape.get(server.uri().resolve("/healthz")).statusCode()).isEqualTo(200);
    }
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
        send(Hooks.github(hook, SECRET, "push", MAIN)).statusCode() == 202);
  }

  private Socket slowSender() throws IOException {
    Socket socket = new Socket("127.0.0.1", server.address().getPort());
    OutputStream out = socket.getOutputStream();
    out.write(("POST " + hook.getPath() + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n"
        + "X-Hub-Signature-256: sha256=00\r\n\r\n{\"ref\":").getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return socket;
  }

  @Test
  void everyAnswerIsCountedByResult() throws Exception {
    send(Hooks.github(hook, SECRET, "push", MAIN));
    send(Hooks.github(hook, SECRET, "push", MAIN));
    send(Hooks.github(hook, SECRET, "ping", "{}"));
    send(Hooks.github(hook, SECRET, "push", Hooks.push("refs/heads/feature")));
    send(Hooks.github(hook, "another-secret-of-32-characters!", "push", MAIN));
    send(Hooks.github(server.uri().resolve("/hook/nope"), SECRET, "push", MAIN));

    Map<String, Double> samples = Scrape.samples(Scrape.get(server.uri().resolve("/metrics")).body());
    assertThat(samples).contains(
        entry("fleet_backup_webhook_requests_total{result=\"triggered\"}", 2.0),
        entry("fleet_backup_webhook_requests_total{result=\"ping\"}", 1.0),
        entry("fleet_backup_webhook_requests_total{result=\"ignored\"}", 1.0),
        entry("fleet_backup_webhook_requests_total{result=\"unauthorized\"}", 1.0),
        entry("fleet_backup_webhook_requests_total{result=\"not_found\"}", 1.0));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "short", "fifteen-chars!!", "   \n"})
  void aSecretShorterThanSixteenBytesIsRefusedWithoutBeingShown(String secret) {
    assertThatThrownBy(() -> WebhookSecret.of(secret)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageEndingWith("fewer than 16; make one with: openssl rand -hex 32")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(secret.isBlank() ? "\u0000" : secret));
  }

  @Test
  void thePathIsDerivedFromTheSecretTheSameOnEveryReplicaAndShowsNoneOfIt() {
    WebhookSecret secret = WebhookSecret.of(SECRET);

    assertThat(secret.pathToken()).hasSize(64).isEqualTo(WebhookSecret.of(SECRET + "\n").pathToken())
        .isEqualTo(Hooks.hmac(SECRET, "fleet-backup webhook path"))
        .isNotEqualTo(WebhookSecret.of(SECRET + "x").pathToken()).doesNotContain(SECRET);
    assertThat(secret.toString()).isEqualTo("WebhookSecret[32 bytes]");
  }
}
