package dev.fleetbackup.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetbackup.cluster.CredentialSource;
import dev.fleetbackup.cluster.LocalSecretsDir;
import dev.fleetbackup.cluster.MemberBudget;
import dev.fleetbackup.cluster.MemberClients;
import dev.fleetbackup.cluster.MemberConnection;
import dev.fleetbackup.cluster.MemberException;
import dev.fleetbackup.model.AttachedCluster;
import dev.fleetbackup.model.MemberFailure;
import dev.fleetbackup.model.PolicySet;
import dev.fleetbackup.observe.Observer;
import dev.fleetbackup.plan.PlanSettings;
import dev.fleetbackup.plan.Planner;
import dev.fleetbackup.source.DirectoryReader;
import dev.fleetbackup.testkit.FleetRepo;
import dev.fleetbackup.validate.ValidationReport;
import dev.fleetbackup.validate.Validator;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A member whose API server does not answer is described as such, "cannot reach …", and a pass
 * that found it so while observing does not contact it again: on a real network every contact
 * with a silent member costs a connect timeout.
 */
class UnreachableMemberTest {
  private static final List<String> MEMBERS = List.of("kurator-member1", "kurator-member2", "kurator-member3");

  @TempDir
  Path dir;

  private final MemberClients clients = new MemberClients(MemberClients.Limits.DEFAULTS);
  private final Pipeline pipeline = new Pipeline(new Validator(), new Planner(PlanSettings.DEFAULTS), clients, Duration.ofMinutes(1), Clock.systemUTC());

  @Test
  void aMemberNothingListensForIsUnreachable() throws IOException {
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }

    PassOutcome pass = pipeline.run(policies(), new Pipeline.Request(credentials(port), Selection.ALL, new Pipeline.DiffOnly()));

    assertThat(pass.members()).extracting(PassOutcome.Member::cluster).containsExactlyElementsOf(MEMBERS);
    assertThat(pass.members()).allSatisfy(m -> {
      assertThat(m.reachable()).isFalse();
      assertThat(m.failure()).hasValueSatisfying(f -> {
        assertThat(f.reason()).isEqualTo(MemberFailure.Reason.UNREACHABLE);
        assertThat(f.message()).startsWith("cannot reach https://127.0.0.1:" + port);
      });
    });
  }

  @Test
  void aPassContactsAMemberThatDidNotAnswerItsObservationNoMore() throws Exception {
    try (HangingUp members = new HangingUp()) {
      CredentialSource credentials = credentials(members.port());
      PolicySet policies = policies();
      for (AttachedCluster cluster : policies.clusters()) {
        try (MemberConnection connection = clients.open(cluster.name(), credentials.kubeconfig(cluster), new MemberBudget(Duration.ofMinutes(1)))) {
          assertThatThrownBy(() -> new Observer(PlanSettings.DEFAULTS.namespace()).observe(connection)).isInstanceOf(MemberException.class);
        }
      }
      int observing = members.contacts();

      PassOutcome pass = pipeline.run(policies, new Pipeline.Request(credentials, Selection.ALL, new Pipeline.DiffOnly()));

      assertThat(pass.members()).allSatisfy(m ->
          assertThat(m.failure()).hasValueSatisfying(f -> assertThat(f.reason()).isEqualTo(MemberFailure.Reason.UNREACHABLE)));
      assertThat(observing).as("an observation contacts every member").isPositive();
      assertThat(members.contacts()).as("the pass contacts them for its observation only").isEqualTo(2 * observing);
    }
  }

  private PolicySet policies() throws IOException {
    Path repo = dir.resolve("repo");
    new FleetRepo(repo, "fleet-backup", URI.create("http://127.0.0.1:39000"), "us-east-1");
    ValidationReport report = new Validator().validate(new DirectoryReader(repo).read("test", ""));
    assertThat(report.valid()).as(report.summary()).isTrue();
    return report.policies();
  }

  /** Each member's kubeconfig names {@code https://127.0.0.1:<port>}; the fleet's storage credentials are there. */
  private CredentialSource credentials(int port) throws IOException {
    Path secrets = dir.resolve("secrets");
    for (String member : MEMBERS) {
      Path file = Files.createDirectories(secrets.resolve(member)).resolve(member + ".config");
      Files.writeString(file, """
          apiVersion: v1
          kind: Config
          clusters: [{name: m, cluster: {server: "https://127.0.0.1:%d"}}]
          users: [{name: u, user: {token: not-a-token}}]
          contexts: [{name: c, context: {cluster: m, user: u}}]
          current-context: c
          """.formatted(port));
    }
    Path storage = Files.createDirectories(secrets.resolve("minio-credentials"));
    Files.writeString(storage.resolve("access-key"), "access");
    Files.writeString(storage.resolve("secret-key"), "secret-0123456789");
    return new LocalSecretsDir(secrets);
  }

  /** A port that takes every connection and closes it at once, counting them. */
  private static final class HangingUp implements AutoCloseable {
    private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final AtomicInteger contacts = new AtomicInteger();
    private final Thread acceptor = new Thread(this::accept, "hanging-up");

    HangingUp() throws IOException {
      acceptor.start();
    }

    int port() {
      return server.getLocalPort();
    }

    int contacts() {
      return contacts.get();
    }

    private void accept() {
      while (!server.isClosed()) {
        try (Socket socket = server.accept()) {
          contacts.incrementAndGet();
        } catch (IOException e) {
          // closed
        }
      }
    }

    @Override
    public void close() throws Exception {
      server.close();
      acceptor.join();
    }
  }
}
