package dev.fleetbackup.ops;

import com.sun.net.httpserver.HttpExchange;
import dev.fleetbackup.model.SafeText;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /hook/<token>}: a forge says the config repo changed, and a fetch and pass start now
 * instead of at the next interval. Each forge's proof that it knows the {@link WebhookSecret} is
 * checked the way it sends it, as Flux's notification-controller Receiver does: GitHub's
 * {@code X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>}, Gitea's
 * {@code X-Gitea-Signature: <hex HMAC-SHA256>}, GitLab's {@code X-Gitlab-Token: <the secret>}, and
 * for anything else Flux's generic-hmac {@code X-Signature: sha256=<hex HMAC-SHA256>}. The token in
 * the path is not the secret but derived from it ({@link WebhookSecret#pathToken}).
 *
 * <p>Every request is bounded: an unknown path is 404, another method 405, a body over
 * {@link #MAX_BODY} 413, more than {@link #MAX_READING} hooks being read at once 429 (so slow
 * senders cannot take the threads the probes need), a missing or wrong signature 401 with no
 * detail. Only then is the body read as the forge's event: a GitHub ping is answered 200
 * {@code pong}, an event that is not a push, or a push to another branch, 202 and ignored; a push
 * to the followed branch (or a signed request without a {@code ref}) requests a pass, 202. Requests
 * coalesce where the pass is requested ({@code trigger}): a burst of hooks is one pass, never a
 * queue. A standby (another replica leads) answers 503.
 */
public final class Webhook {
  private static final Logger logger = LoggerFactory.getLogger(Webhook.class);
  public static final String PATH_PREFIX = "/hook/";
  /** Pushes of thousands of commits stay far below it; the generous bound of Flux is 3 MiB. */
  public static final int MAX_BODY = 1024 * 1024;
  static final int MAX_READING = 2;
  /** How much of a body too large to take is still read, and dropped, to answer it cleanly. */
  private static final long MAX_DISCARD = 4L * MAX_BODY;
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** How a request was answered, as the label {@code result} of {@code fleet_backup_webhook_requests_total} says it. */
  public enum Result {
    TRIGGERED, PING, IGNORED, NOT_FOUND, METHOD_NOT_ALLOWED, TOO_LARGE, BUSY, UNAUTHORIZED, BAD_REQUEST, STANDING_BY;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Who sent it, told by its signature header, and how it names its events and deliveries (a generic sender: not at all). */
  enum Forge {
    GITEA("X-Gitea-Signature", "X-Gitea-Event", "X-Gitea-Delivery"),
    GITHUB("X-Hub-Signature-256", "X-GitHub-Event", "X-GitHub-Delivery"),
    GITLAB("X-Gitlab-Token", "X-Gitlab-Event", "X-Gitlab-Event-UUID"),
    GENERIC("X-Signature", "", "");

    final String signatureHeader;
    final String eventHeader;
    final String deliveryHeader;

    Forge(String signatureHeader, String eventHeader, String deliveryHeader) {
      this.signatureHeader = signatureHeader;
      this.eventHeader = eventHeader;
      this.deliveryHeader = deliveryHeader;
    }

    /** Whether {@code signature}, this forge's header, proves the sender knows {@code secret}. */
    boolean verifies(WebhookSecret secret, byte[] body, String signature) {
      return switch (this) {
        case GITEA -> secret.signed(body, signature);
        case GITLAB -> secret.is(signature);
        case GITHUB, GENERIC -> signature.startsWith("sha256=") && secret.signed(body, signature.substring("sha256=".length()));
      };
    }

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private record Answer(Result result, int status, String text) {}

  private final WebhookSecret secret;
  private final String branch;
  private final Runnable trigger;
  private final BooleanSupplier leading;
  private final Consumer<Result> answered;
  private final String path;
  private final Semaphore reading = new Semaphore(MAX_READING);

  /**
   * @param branch the followed branch: a push to another is ignored
   * @param trigger requests a fetch and pass now
   * @param leading whether this instance applies (not a standby)
   * @param answered told of every answer, for the metric
   */
  public Webhook(WebhookSecret secret, String branch, Runnable trigger, BooleanSupplier leading, Consumer<Result> answered) {
    this.secret = secret;
    this.branch = branch;
    this.trigger = trigger;
    this.leading = leading;
    this.answered = answered;
    this.path = PATH_PREFIX + secret.pathToken();
  }

  /** {@code /hook/<token>}: what the forge is given, with the secret. */
  public String path() {
    return path;
  }

  void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Answer answer = answer(exchange);
      answered.accept(answer.result());
      if (answer.status() == 405) {
        exchange.getResponseHeaders().set("Allow", "POST");
      } else if (answer.status() == 429) {
        exchange.getResponseHeaders().set("Retry-After", "1");
      }
      OpsServer.respond(exchange, answer.status(), "text/plain; charset=utf-8", OpsServer.text(answer.text()));
    }
  }

  private Answer answer(HttpExchange exchange) throws IOException {
    byte[] given = exchange.getRequestURI().getRawPath().getBytes(StandardCharsets.UTF_8);
    if (!MessageDigest.isEqual(given, path.getBytes(StandardCharsets.UTF_8))) {
      return new Answer(Result.NOT_FOUND, 404, "not found");
    }
    if (!exchange.getRequestMethod().equals("POST")) {
      return new Answer(Result.METHOD_NOT_ALLOWED, 405, "method not allowed: POST the forge's event here");
    }
    if (!reading.tryAcquire()) {
      return new Answer(Result.BUSY, 429, "busy: " + MAX_READING + " hooks are being read; try again");
    }
    try {
      return verified(exchange);
    } finally {
      reading.release();
    }
  }

  private Answer verified(HttpExchange exchange) throws IOException {
    Answer tooLarge = new Answer(Result.TOO_LARGE, 413, "the body is larger than " + MAX_BODY / 1024 + " KiB");
    try (InputStream in = exchange.getRequestBody()) {
      String length = exchange.getRequestHeaders().getFirst("Content-Length");
      if (length != null && declaredOver(length)) {
        discard(in);
        return tooLarge;
      }
      byte[] body = in.readNBytes(MAX_BODY + 1);
      if (body.length > MAX_BODY) {
        discard(in);
        return tooLarge;
      }
      return signed(exchange, body);
    }
  }

  /**
   * Reads and drops what is left of a body too large to take, up to {@link #MAX_DISCARD}: closed
   * with unread bytes, the connection would be reset, and the sender could lose the 413 in flight.
   * A larger body is cut off with the connection.
   */
  private static void discard(InputStream in) throws IOException {
    byte[] buffer = new byte[16 * 1024];
    long left = MAX_DISCARD;
    int n;
    while (left > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) >= 0) {
      left -= n;
    }
  }

  private Answer signed(HttpExchange exchange, byte[] body) {
    Optional<Forge> forge = forge(exchange);
    if (forge.isEmpty() || !forge.get().verifies(secret, body, header(exchange, forge.get().signatureHeader))) {
      logger.debug("webhook request from {} refused: {}", from(exchange), forge.isEmpty() ? "no signature" : "bad signature");
      return new Answer(Result.UNAUTHORIZED, 401, "unauthorized");
    }
    if (!leading.getAsBoolean()) {
      return new Answer(Result.STANDING_BY, 503, "standing by: the instance that leads takes hooks");
    }
    return event(exchange, forge.get(), body);
  }

  /** What a signed request asks: a ping, another event, a push to another branch, or a pass. */
  private Answer event(HttpExchange exchange, Forge forge, byte[] body) {
    String event = header(exchange, forge.eventHeader);
    if (event.equalsIgnoreCase("ping")) {
      return new Answer(Result.PING, 200, "pong");
    }
    if (!event.isEmpty() && !event.equalsIgnoreCase("push") && !event.equalsIgnoreCase("Push Hook")) {
      return new Answer(Result.IGNORED, 202, "ignored: a " + SafeText.quote(event) + " event, not a push");
    }
    Optional<String> ref;
    try {
      ref = ref(exchange, body);
    } catch (JacksonException | IllegalArgumentException e) {
      return new Answer(Result.BAD_REQUEST, 400, "the body is not the JSON of an event");
    }
    String followed = "refs/heads/" + branch;
    if (ref.isPresent() && !ref.get().equals(followed)) {
      return new Answer(Result.IGNORED, 202, "ignored: a push to " + SafeText.quote(ref.get()) + ", not to " + followed);
    }
    trigger.run();
    String delivery = header(exchange, forge.deliveryHeader);
    delivery = delivery.isEmpty() ? "" : ", delivery " + SafeText.quote(delivery);
    String what = ref.isPresent() ? "push to " + SafeText.oneLine(branch) : event.isEmpty() ? "request" : "push";
    logger.info("webhook: {} {}{} from {}; fetch requested", forge.label(), what, delivery, from(exchange));
    return new Answer(Result.TRIGGERED, 202, "fetch requested");
  }

  /**
   * The pushed ref, from the event's JSON: the body itself, or GitHub's form encoding
   * ({@code payload=<JSON>}); empty for an empty body or JSON without a {@code ref}.
   */
  private static Optional<String> ref(HttpExchange exchange, byte[] body) {
    if (body.length == 0) {
      return Optional.empty();
    }
    String type = header(exchange, "Content-Type");
    JsonNode event = type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")
        ? JSON.readTree(formPayload(new String(body, StandardCharsets.UTF_8)))
        : JSON.readTree(body);
    if (!event.isObject()) {
      throw new IllegalArgumentException("not an object");
    }
    JsonNode ref = event.path("ref");
    return ref.isString() ? Optional.of(ref.stringValue()) : Optional.empty();
  }

  private static String formPayload(String form) {
    for (String field : form.split("&")) {
      if (field.startsWith("payload=")) {
        return URLDecoder.decode(field.substring("payload=".length()), StandardCharsets.UTF_8);
      }
    }
    throw new IllegalArgumentException("no payload field");
  }

  private static Optional<Forge> forge(HttpExchange exchange) {
    for (Forge forge : Forge.values()) {
      if (exchange.getRequestHeaders().containsKey(forge.signatureHeader)) {
        return Optional.of(forge);
      }
    }
    return Optional.empty();
  }

  /** The first value of a header; empty when there is none, or no name. */
  private static String header(HttpExchange exchange, String name) {
    return name.isEmpty() ? "" : Optional.ofNullable(exchange.getRequestHeaders().getFirst(name)).orElse("");
  }

  private static boolean declaredOver(String length) {
    try {
      return Long.parseLong(length.strip()) > MAX_BODY;
    } catch (NumberFormatException e) {
      return false; // the JDK's server refuses it before us; the read is bounded either way
    }
  }

  private static String from(HttpExchange exchange) {
    return exchange.getRemoteAddress().getAddress().getHostAddress();
  }
}
