package dev.fleetbackup.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.fleetbackup.plan.ManagedKind;
import dev.fleetbackup.plan.ObjectRef;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** What a member's audit log shows of who made a request: fleet-backup, its version, the instance. */
class UserAgentTest {
  /** RFC 9110's field-value, as far as an ASCII-only writer goes: visible characters and inner spaces. */
  private static final String HEADER_VALUE = "[\\x21-\\x7e]+( [\\x21-\\x7e]+)*";

  @Test
  void namesTheBuildAndTheInstanceAsKubectlNamesItsBuildAndPlatform() {
    UserAgent build = UserAgent.of("0.1.0-SNAPSHOT");

    assertThat(build.header()).isEqualTo("fleet-backup/0.1.0-SNAPSHOT");
    assertThat(build.forInstance("fleet-backup-7d9f8-x2kqp").header()).isEqualTo("fleet-backup/0.1.0-SNAPSHOT (fleet-backup-7d9f8-x2kqp)");
  }

  @Test
  void aHostileIdentityStaysInsideItsCommentOnOneLineOfAscii() {
    UserAgent build = UserAgent.of("1.0");

    assertThat(build.forInstance("pod\r\nX-Forwarded-For: 10.0.0.1").header())
        .isEqualTo("fleet-backup/1.0 (pod\\\\r\\\\nX-Forwarded-For: 10.0.0.1)");
    assertThat(build.forInstance("a) kubectl/v1.31.0 (linux").header())
        .as("a parenthesis cannot end the comment and forge another product")
        .isEqualTo("fleet-backup/1.0 (a\\) kubectl/v1.31.0 \\(linux)");
    assertThat(build.forInstance("pöd\u202e").header()).isEqualTo("fleet-backup/1.0 (p\\\\u00f6d\\\\u202e)");
    String long1 = build.forInstance("x".repeat(1000)).header();
    assertThat(long1).hasSizeLessThan(150).endsWith("x\\\\u2026)");
    for (String identity : List.of("pod\r\nX: y", "a) b (c", "pöd\u202e", "\t\u0000\u007f\\", "x".repeat(1000))) {
      assertThat(build.forInstance(identity).header()).as(identity).matches(HEADER_VALUE);
    }
  }

  @Test
  void theVersionMustBeAToken() {
    assertThatThrownBy(() -> UserAgent.of("unknown (not built by Maven)"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not a product version for a User-Agent: \"unknown (not built by Maven)\"");
  }

  @Test
  void everyRequestOfAMemberClientCarriesIt() throws Exception {
    List<String> agents = new CopyOnWriteArrayList<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      agents.add(exchange.getRequestHeaders().getFirst("User-Agent"));
      exchange.sendResponseHeaders(404, -1);
      exchange.close();
    });
    server.start();
    try {
      String text = KubeconfigCheckTest.kubeconfig("", "")
          .replace("https://127.0.0.1:6443", "http://127.0.0.1:" + server.getAddress().getPort());
      Kubeconfig kubeconfig = new Kubeconfig(KubeconfigCheckTest.ORIGIN, text, KubeconfigCheckTest.INSECURE_TLS_ALLOWED);
      MemberClients clients = new MemberClients(MemberClients.Limits.DEFAULTS, UserAgent.of("1.2.3"));
      for (MemberClients c : List.of(clients, clients.forInstance("pod-b"))) {
        try (MemberConnection connection = c.open("kurator-member2", kubeconfig, new MemberBudget(Duration.ofMinutes(1)))) {
          assertThat(connection.get(new ObjectRef(ManagedKind.CONFIG_MAP, "kube-system", "x"))).isEmpty();
        }
      }
    } finally {
      server.stop(0);
    }
    assertThat(agents).containsExactly("fleet-backup/1.2.3", "fleet-backup/1.2.3 (pod-b)");
  }
}
