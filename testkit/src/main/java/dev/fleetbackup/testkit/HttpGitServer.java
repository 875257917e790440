package dev.fleetbackup.testkit;

import jakarta.servlet.Filter;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jgit.http.server.GitServlet;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * A real smart-HTTP Git server on loopback (JGit's GitServlet in Jetty) that serves one bare repo
 * at {@code /config.git} to one user with a password, as a forge with a token would. It can be
 * stopped and started again on the same port to play a remote that goes away, and it can fail a
 * fetch or a push half-way ({@link #inject}): the refs are advertised, then the exchange of objects
 * that follows is refused, or taken and its answer lost. {@link #exchanges()} lists every
 * authenticated request it answered, so a test can tell when a client came back.
 */
public final class HttpGitServer implements AutoCloseable {
  private final Server server;
  private final ServerConnector connector;
  private final Map<Service, Fault> faults = new EnumMap<>(Service.class);
  private final Map<Service, Runnable> beforeAdvertisement = new EnumMap<>(Service.class);
  private final List<Exchange> exchanges = new ArrayList<>();
  private int port;

  /** The two halves of Git's smart protocol: a fetch (or ls-remote) is upload-pack, a push receive-pack. */
  public enum Service {
    FETCH("git-upload-pack"), PUSH("git-receive-pack");

    private final String program;

    Service(String program) {
      this.program = program;
    }

    static Optional<Service> of(String program) {
      for (Service s : values()) {
        if (s.program.equals(program)) {
          return Optional.of(s);
        }
      }
      return Optional.empty();
    }
  }

  /** What the server does to the exchange of objects (after the refs were listed) of a service. */
  public enum Fault {
    /** Answered 503 before the repository sees it: nothing lands. */
    REFUSE,
    /** The repository takes it (a push lands), but the client gets a 500, as from a proxy that gave up meanwhile. */
    LOSE_ANSWER
  }

  /**
   * What a request was for: the refs (their advertisement, {@code GET info/refs}, and protocol v2's
   * {@code ls-refs}), or the exchange of objects that follows (a fetch's {@code want}s, a push).
   */
  public enum Step { REFS, OBJECTS }

  /** One request the server answered, after authentication: when, for which service and step, its status code. */
  public record Exchange(Instant at, Service service, Step step, int status) {}

  public HttpGitServer(Path bareRepo, String user, String password) throws Exception {
    Repository repository = new FileRepositoryBuilder().setGitDir(bareRepo.toFile()).setBare().build();
    GitServlet git = new GitServlet();
    git.setRepositoryResolver((request, name) -> {
      if (!name.equals("config.git")) {
        throw new org.eclipse.jgit.errors.RepositoryNotFoundException(name);
      }
      repository.incrementOpen();
      return repository;
    });
    git.setReceivePackFactory((request, db) -> new org.eclipse.jgit.transport.ReceivePack(db));
    ServletContextHandler context = new ServletContextHandler();
    context.addServlet(new ServletHolder(git), "/*");
    String expected = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    Filter basicAuth = (request, response, chain) -> {
      if (expected.equals(((HttpServletRequest) request).getHeader("Authorization"))) {
        chain.doFilter(request, response);
      } else {
        HttpServletResponse http = (HttpServletResponse) response;
        http.setHeader("WWW-Authenticate", "Basic realm=\"git\"");
        http.sendError(401);
      }
    };
    Filter faulty = (request, response, chain) -> serve((HttpServletRequest) request, (HttpServletResponse) response, chain);
    context.addFilter(new FilterHolder(basicAuth), "/*", EnumSet.of(jakarta.servlet.DispatcherType.REQUEST));
    context.addFilter(new FilterHolder(faulty), "/*", EnumSet.of(jakarta.servlet.DispatcherType.REQUEST));
    server = new Server();
    connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    server.addConnector(connector);
    server.setHandler(context);
    start();
  }

  public String url() {
    return "http://127.0.0.1:" + port + "/config.git";
  }

  public void start() throws Exception {
    connector.setPort(port);
    server.start();
    port = connector.getLocalPort();
  }

  public void stop() throws Exception {
    server.stop();
  }

  /** From now on, fails the exchange of objects of every {@code service} request, as {@code fault} says, until {@link #heal()}. */
  public synchronized void inject(Service service, Fault fault) {
    faults.put(service, fault);
  }

  /** Serves every request again. */
  public synchronized void heal() {
    faults.clear();
  }

  /**
   * Runs {@code action} once, before the server advertises its refs to the next {@code service}
   * request: for a push, that is after the client fetched and made its commit, and before it sends
   * it, so whatever {@code action} writes to the repo is there first (another writer winning a race).
   */
  public synchronized void beforeNextAdvertisement(Service service, Runnable action) {
    beforeAdvertisement.put(service, action);
  }

  /** Every authenticated request answered so far, in order. */
  public synchronized List<Exchange> exchanges() {
    return List.copyOf(exchanges);
  }

  private void serve(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    String uri = request.getRequestURI();
    boolean advertisement = uri.endsWith("/info/refs");
    Optional<Service> service = advertisement
        ? Service.of(String.valueOf(request.getParameter("service")))
        : Service.of(uri.substring(uri.lastIndexOf('/') + 1));
    if (service.isEmpty()) {
      chain.doFilter(request, response);
      return;
    }
    HttpServletRequest read = request;
    Step step = Step.REFS;
    if (!advertisement) {
      Buffered buffered = new Buffered(request);
      read = buffered;
      step = service.get() == Service.PUSH || buffered.wants() ? Step.OBJECTS : Step.REFS;
    }
    Runnable before;
    Fault fault;
    synchronized (this) {
      before = advertisement ? beforeAdvertisement.remove(service.get()) : null;
      fault = step == Step.OBJECTS ? faults.get(service.get()) : null;
    }
    if (before != null) {
      before.run();
    }
    if (fault == Fault.REFUSE) {
      response.sendError(503, "refused by the test kit");
    } else if (fault == Fault.LOSE_ANSWER) {
      chain.doFilter(read, new Swallowed(response));
      response.reset();
      response.sendError(500, "the answer was lost in the test kit");
    } else {
      chain.doFilter(read, response);
    }
    synchronized (this) {
      exchanges.add(new Exchange(Instant.now(), service.get(), step, response.getStatus()));
    }
  }

  /** A request whose body was read ahead (a fetch's negotiation is small), to tell a fetch of objects from a listing of refs. */
  private static final class Buffered extends HttpServletRequestWrapper {
    private final byte[] body;

    Buffered(HttpServletRequest request) throws IOException {
      super(request);
      this.body = request.getInputStream().readAllBytes();
    }

    /** Whether the client asks for objects: {@code want} lines, after protocol v2's {@code command=fetch}; ls-refs has none. */
    boolean wants() throws IOException {
      byte[] plain = "gzip".equalsIgnoreCase(getHeader("Content-Encoding"))
          ? new GZIPInputStream(new ByteArrayInputStream(body)).readAllBytes() : body;
      return new String(plain, StandardCharsets.ISO_8859_1).contains("want ");
    }

    @Override
    public ServletInputStream getInputStream() {
      ByteArrayInputStream in = new ByteArrayInputStream(body);
      return new ServletInputStream() {
        @Override
        public boolean isFinished() {
          return in.available() == 0;
        }

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {}

        @Override
        public int read() {
          return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
          return in.read(b, off, len);
        }
      };
    }
  }

  /** A response whose every byte, header and status is dropped: the servlet's work is done, its answer never leaves. */
  private static final class Swallowed extends HttpServletResponseWrapper {
    Swallowed(HttpServletResponse response) {
      super(response);
    }

    @Override
    public ServletOutputStream getOutputStream() {
      return new ServletOutputStream() {
        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setWriteListener(WriteListener listener) {}

        @Override
        public void write(int b) {}

        @Override
        public void write(byte[] b, int off, int len) {}
      };
    }

    @Override
    public PrintWriter getWriter() {
      return new PrintWriter(OutputStream.nullOutputStream());
    }

    @Override
    public void flushBuffer() {}

    @Override
    public void sendError(int sc, String msg) {}

    @Override
    public void sendError(int sc) {}

    @Override
    public void setStatus(int sc) {}

    @Override
    public void setHeader(String name, String value) {}

    @Override
    public void addHeader(String name, String value) {}

    @Override
    public void setContentType(String type) {}

    @Override
    public void setContentLength(int len) {}

    @Override
    public void setContentLengthLong(long len) {}

    @Override
    public void setBufferSize(int size) {}
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
