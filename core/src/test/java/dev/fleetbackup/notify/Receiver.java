package dev.fleetbackup.notify;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A local HTTP server that takes whatever is posted to it, as a chat's webhook or a forge's API
 * would, and keeps each request; a path can be made to answer with a status of its choice, or
 * to hang until the test ends.
 */
final class Receiver implements AutoCloseable {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** One request as it arrived: {@code path} raw (encoded as sent). */
  record Request(String method, String path, Map<String, List<String>> headers, String body) {
    JsonNode json() {
      return JSON.readTree(body);
    }

    String header(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).findFirst()
          .map(e -> e.getValue().get(0)).orElse(null);
    }
  }

  private final HttpServer server;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final Map<String, Integer> answers = new ConcurrentHashMap<>();
  private final CountDownLatch released = new CountDownLatch(1);
  private final Map<String, Boolean> hanging = new ConcurrentHashMap<>();

  Receiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(Executors.newCachedThreadPool());
    server.start();
  }

  URI url(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  /** Requests to {@code path} are answered {@code status} (default 200; 201 for a forge's statuses). */
  void answer(String path, int status) {
    answers.put(path, status);
  }

  /** Requests to {@code path} get no answer until the receiver closes. */
  void hang(String path) {
    hanging.put(path, true);
  }

  List<Request> requests() {
    return List.copyOf(requests);
  }

  List<Request> to(String path) {
    return requests.stream().filter(r -> r.path().equals(path)).toList();
  }

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getRawPath();
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    requests.add(new Request(exchange.getRequestMethod(), path, Map.copyOf(exchange.getRequestHeaders()), body));
    if (hanging.containsKey(path)) {
      try {
        released.await(1, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    int status = answers.getOrDefault(path, path.contains("/statuses/") ? 201 : 200);
    byte[] answer = "{}".getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, answer.length);
    exchange.getResponseBody().write(answer);
    exchange.close();
  }

  @Override
  public void close() {
    released.countDown();
    server.stop(0);
  }
}
