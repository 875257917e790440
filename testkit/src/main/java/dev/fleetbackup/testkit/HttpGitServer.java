package dev.fleetbackup.testkit;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.EnumSet;
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
 * stopped and started again on the same port to play a remote that goes away.
 */
public final class HttpGitServer implements AutoCloseable {
  private final Server server;
  private final ServerConnector connector;
  private int port;

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
    context.addFilter(new FilterHolder(basicAuth), "/*", EnumSet.of(jakarta.servlet.DispatcherType.REQUEST));
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

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
