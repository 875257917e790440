package dev.fleetbackup.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP proxy on loopback between a client and a member's API server that injects the faults a
 * network and a sick server cause: added latency, an answer dripped one byte at a time, connections
 * reset, and a black hole that accepts and never answers. It forwards bytes and nothing else (TLS
 * passes through untouched), so the client sees what it would see from a real bad link. The fault
 * can be changed at any time; it applies to new bytes of open connections too.
 */
public final class FaultProxy implements AutoCloseable {
  private static final Logger logger = LoggerFactory.getLogger(FaultProxy.class);
  private static final int BUFFER = 16 * 1024;

  /** What the proxy does to the bytes it carries. */
  public sealed interface Fault {}

  /** Forwards everything as it comes. */
  public record Pass() implements Fault {}

  /** Holds every chunk, in both directions, for {@code delay} before forwarding it. */
  public record Latency(Duration delay) implements Fault {}

  /**
   * Forwards requests as they come, and of each connection's answers the first {@code after} bytes
   * (the TLS handshake, the first answers) as they come, then {@code bytes} every {@code interval}:
   * a server that is never idle long enough to time out, and takes ages to finish.
   */
  public record Drip(Duration interval, int bytes, long after) implements Fault {}

  /** Resets (TCP RST) every open connection and each new one at once. */
  public record Reset() implements Fault {}

  /** Accepts connections and reads what is sent, but forwards nothing and never answers. */
  public record BlackHole() implements Fault {}

  private final ServerSocket listener;
  private final InetSocketAddress upstream;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final AtomicInteger accepted = new AtomicInteger();
  private volatile Fault fault = new Pass();
  private volatile boolean closed;

  private FaultProxy(ServerSocket listener, InetSocketAddress upstream) {
    this.listener = listener;
    this.upstream = upstream;
  }

  /** A proxy on a free loopback port forwarding to {@code upstream} ({@code https://host:port}). */
  public static FaultProxy start(URI upstream) {
    try {
      ServerSocket listener = new ServerSocket();
      listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      FaultProxy proxy = new FaultProxy(listener, new InetSocketAddress(upstream.getHost(), upstream.getPort()));
      Thread acceptor = new Thread(proxy::acceptLoop, "fault-proxy-" + listener.getLocalPort());
      acceptor.setDaemon(true);
      acceptor.start();
      return proxy;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start a fault proxy to " + upstream, e);
    }
  }

  /** A proxy in front of {@code member}'s API server. */
  public static FaultProxy in(Member member) {
    return start(member.apiServerUrl());
  }

  /** {@code https://127.0.0.1:<port>}: the proxy, as a client names it. */
  public URI url() {
    return URI.create("https://127.0.0.1:" + listener.getLocalPort());
  }

  /**
   * Writes to {@code file} the member's kubeconfig with the proxy as its server. TLS still checks
   * the member's certificate, which names 127.0.0.1 and so holds for the proxy's port too.
   */
  public Path kubeconfig(Member member, Path file) {
    try {
      String original = Files.readString(member.kubeconfig(), StandardCharsets.UTF_8);
      String server = member.apiServerUrl().toString();
      if (!original.contains(server)) {
        throw new IllegalStateException(member.kubeconfig() + " does not name " + server);
      }
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, original.replace(server, url().toString()), StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** From now on, {@code fault}; {@link Reset} also resets the connections open now. */
  public void set(Fault fault) {
    this.fault = Objects.requireNonNull(fault, "fault");
    logger.info("fault proxy {} -> {}: {}", url(), upstream, fault);
    if (fault instanceof Reset) {
      open.forEach(FaultProxy::reset);
    }
  }

  /** Connections accepted so far. */
  public int connections() {
    return accepted.get();
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        if (!closed) {
          logger.warn("fault proxy {} stopped accepting", url(), e);
        }
        return;
      }
      accepted.incrementAndGet();
      if (fault instanceof Reset) {
        reset(client);
        continue;
      }
      Thread t = new Thread(() -> connect(client), "fault-proxy-conn-" + client.getPort());
      t.setDaemon(true);
      t.start();
    }
  }

  private void connect(Socket client) {
    open.add(client);
    Socket server = new Socket();
    try {
      server.connect(upstream, 5_000);
      open.add(server);
      Thread up = new Thread(() -> pump(client, server, false), "fault-proxy-up-" + client.getPort());
      up.setDaemon(true);
      up.start();
      pump(server, client, true);
    } catch (IOException e) {
      reset(client);
      drop(client);
    }
  }

  /** Copies {@code from} to {@code to} under the fault of the moment; {@code answer} is the server-to-client direction. */
  private void pump(Socket from, Socket to, boolean answer) {
    byte[] buffer = new byte[BUFFER];
    long forwarded = 0;
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        forward(buffer, n, out, answer, forwarded);
        forwarded += n;
      }
    } catch (IOException | InterruptedException e) {
      // either side closed or was reset: close the other
    } finally {
      drop(from);
      drop(to);
    }
  }

  /** Forwards {@code n} bytes of {@code buffer}, {@code forwarded} having gone this way on this connection before. */
  private void forward(byte[] buffer, int n, OutputStream out, boolean answer, long forwarded)
      throws IOException, InterruptedException {
    Fault now = fault;
    if (now instanceof BlackHole) {
      return;
    }
    if (now instanceof Latency latency) {
      Thread.sleep(latency.delay().toMillis());
    }
    if (now instanceof Drip drip && answer && forwarded + n > drip.after()) {
      int i = (int) Math.max(0, drip.after() - forwarded);
      out.write(buffer, 0, i);
      while (i < n && fault instanceof Drip) {
        int chunk = Math.min(drip.bytes(), n - i);
        out.write(buffer, i, chunk);
        out.flush();
        i += chunk;
        Thread.sleep(drip.interval().toMillis());
      }
      out.write(buffer, i, n - i);
    } else {
      out.write(buffer, 0, n);
    }
    out.flush();
  }

  private static void reset(Socket socket) {
    try {
      socket.setSoLinger(true, 0);
    } catch (SocketException e) {
      // closed already
    }
    close(socket);
  }

  private void drop(Socket socket) {
    open.remove(socket);
    close(socket);
  }

  private static void close(java.io.Closeable socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // nothing left to do
    }
  }

  @Override
  public void close() {
    closed = true;
    close(listener);
    open.forEach(FaultProxy::close);
    open.clear();
  }

  @Override
  public String toString() {
    return "FaultProxy[" + url() + " -> " + upstream + ", " + fault + "]";
  }
}
