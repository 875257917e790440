package dev.fleetbackup.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operations port: {@code GET /healthz} (liveness), {@code GET /readyz} (readiness) and
 * {@code GET /metrics} (Prometheus text format, or OpenMetrics when the scraper asks for it), and
 * the {@link Webhook} when there is one, on the JDK's own HTTP server. Probes answer 200 or 503
 * with one line of plain text saying why. Four threads: the webhook reads at most two requests at
 * a time, so the probes always have two.
 */
public final class OpsServer implements AutoCloseable {
  private static final Logger logger = LoggerFactory.getLogger(OpsServer.class);

  private final HttpServer server;
  private final ExecutorService executor;

  private OpsServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Binds {@code address} (port 0 for any free port) and starts serving.
   *
   * @throws IOException when the address cannot be bound, for example because the port is taken
   */
  public static OpsServer start(InetSocketAddress address, PrometheusRegistry registry, Health health) throws IOException {
    return start(address, registry, health, Optional.empty());
  }

  /** As {@link #start(InetSocketAddress, PrometheusRegistry, Health)}, with {@code webhook} at its path. */
  public static OpsServer start(InetSocketAddress address, PrometheusRegistry registry, Health health, Optional<Webhook> webhook)
      throws IOException {
    HttpServer server = HttpServer.create(address, 0);
    AtomicInteger threads = new AtomicInteger();
    ExecutorService executor = Executors.newFixedThreadPool(2 + Webhook.MAX_READING, r -> {
      Thread t = new Thread(r, "ops-http-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    ExpositionFormats formats = ExpositionFormats.init();
    server.createContext("/healthz", exchange -> probe(exchange, "/healthz", health::live));
    server.createContext("/readyz", exchange -> probe(exchange, "/readyz", health::ready));
    server.createContext("/metrics", exchange -> metrics(exchange, registry, formats));
    webhook.ifPresent(hook -> server.createContext(Webhook.PATH_PREFIX, hook::handle));
    server.createContext("/", exchange -> {
      exchange.getRequestBody().close();
      respond(exchange, 404, "text/plain; charset=utf-8", text("not found; try /healthz, /readyz or /metrics"));
    });
    server.setExecutor(executor);
    server.start();
    OpsServer ops = new OpsServer(server, executor);
    logger.info("serving /healthz, /readyz and /metrics{} on {}", webhook.map(hook -> " and the webhook POST " + hook.path()).orElse(""),
        ops.uri());
    return ops;
  }

  /**
   * Reads an address as Go programs (and Flux's {@code --metrics-addr}) write it: {@code :8080}
   * for every interface, {@code 127.0.0.1:8080} or {@code [::1]:8080} for one.
   *
   * @throws IllegalArgumentException for anything else, with a message fit for a usage error
   */
  public static InetSocketAddress parseAddress(String text) {
    int colon = text.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("address " + text + ": expected [HOST]:PORT, for example :8080");
    }
    String host = text.substring(0, colon);
    int port;
    try {
      port = Integer.parseInt(text.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("address " + text + ": the port is not a number");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("address " + text + ": port " + port + " is out of range");
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
  }

  /** The bound address, with the real port when started on port 0. */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  /** {@code http://host:port}, for logs and tests. */
  public URI uri() {
    InetSocketAddress a = address();
    String host = a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getAddress().getHostAddress();
    return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort());
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void probe(HttpExchange exchange, String path, Supplier<Health.Check> check) throws IOException {
    try (exchange) {
      exchange.getRequestBody().close();
      if (!allowed(exchange, path)) {
        return;
      }
      Health.Check c = check.get();
      respond(exchange, c.ok() ? 200 : 503, "text/plain; charset=utf-8", text(c.detail()));
    }
  }

  private static void metrics(HttpExchange exchange, PrometheusRegistry registry, ExpositionFormats formats)
      throws IOException {
    try (exchange) {
      exchange.getRequestBody().close();
      if (!allowed(exchange, "/metrics")) {
        return;
      }
      String accept = exchange.getRequestHeaders().getFirst("Accept");
      ExpositionFormatWriter writer = formats.findWriter(accept);
      if (!writer.isAvailable()) {
        writer = formats.getPrometheusTextFormatWriter();
      }
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      try {
        writer.write(body, registry.scrape(), EscapingScheme.fromAcceptHeader(accept));
      } catch (RuntimeException e) {
        logger.warn("/metrics failed: {}", e.toString());
        respond(exchange, 500, "text/plain; charset=utf-8", text("cannot collect metrics: " + e.getClass().getSimpleName()));
        return;
      }
      respond(exchange, 200, writer.getContentType(), body.toByteArray());
    }
  }

  /** Only GET and HEAD, only the exact path; answers itself otherwise. */
  private static boolean allowed(HttpExchange exchange, String path) throws IOException {
    if (!exchange.getRequestURI().getPath().equals(path)) {
      respond(exchange, 404, "text/plain; charset=utf-8", text("not found"));
      return false;
    }
    String method = exchange.getRequestMethod();
    if (!method.equals("GET") && !method.equals("HEAD")) {
      exchange.getResponseHeaders().set("Allow", "GET, HEAD");
      respond(exchange, 405, "text/plain; charset=utf-8", text("method not allowed"));
      return false;
    }
    return true;
  }

  static byte[] text(String line) {
    return (line + "\n").getBytes(StandardCharsets.UTF_8);
  }

  static void respond(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    if (exchange.getRequestMethod().equals("HEAD")) {
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
