package dev.fleetbackup.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fleetbackup.testkit.Member;
import dev.fleetbackup.testkit.TestFleet;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances competing for one Lease on a real API server (the management cluster), with short
 * timings: a 4 s lease, a 3 s renew deadline, a 0.5 s retry period.
 */
class LeadershipIT {
  private static final Leadership.Timings TIMINGS =
      new Leadership.Timings(Duration.ofSeconds(4), Duration.ofSeconds(3), Duration.ofMillis(500));
  /** fabric8 retries after retryPeriod plus up to 1.2 × retryPeriod of jitter. */
  private static final Duration WORST_RETRY = TIMINGS.retryPeriod().multipliedBy(22).dividedBy(10);
  private static final AtomicInteger NAMESPACES = new AtomicInteger();

  @TempDir static Path dir;
  static TestFleet fleet;
  static Member management;

  private final List<AutoCloseable> cleanup = new ArrayList<>();
  private final List<String> events = new CopyOnWriteArrayList<>();
  private String namespace;

  @BeforeAll
  static void startManagementCluster() {
    fleet = TestFleet.start(dir, TestFleet.Options.members(List.of("management")));
    management = fleet.member("management");
  }

  @AfterAll
  static void stopManagementCluster() {
    if (fleet != null) {
      fleet.close();
    }
  }

  @AfterEach
  void closeInstances() throws Exception {
    for (int i = cleanup.size() - 1; i >= 0; i--) {
      cleanup.get(i).close();
    }
  }

  private String newNamespace() {
    namespace = "leader-election-" + NAMESPACES.incrementAndGet();
    management.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .create();
    return namespace;
  }

  private Leadership instance(KubernetesClient client, String identity, Health health) {
    Leadership leadership = new Leadership(client,
        new Leadership.Settings(namespace, Leadership.DEFAULT_LEASE_NAME, identity, TIMINGS), health,
        new Leadership.Listener() {
          @Override
          public void onStartLeading() {
            events.add(identity + " started");
          }

          @Override
          public void onStopLeading() {
            events.add(identity + " stopped");
          }
        });
    cleanup.add(leadership);
    return leadership;
  }

  private Leadership instance(String identity) {
    return instance(management.client(), identity, new Health(Clock.systemUTC(), Optional.empty()));
  }

  private Lease lease() {
    return management.client().leases().inNamespace(namespace).withName(Leadership.DEFAULT_LEASE_NAME).get();
  }

  @Test
  void aStandbyTakesOverWithinTheLeaseTimeWhenTheLeaderIsKilled() throws Exception {
    newNamespace();
    Process leader = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), LeaderProcess.class.getName(),
        management.kubeconfig().toString(), namespace, Leadership.DEFAULT_LEASE_NAME, "pod-a",
        String.valueOf(TIMINGS.leaseDuration().toMillis()), String.valueOf(TIMINGS.renewDeadline().toMillis()),
        String.valueOf(TIMINGS.retryPeriod().toMillis()))
        .redirectError(dir.resolve("leader-process.log").toFile())
        .start();
    cleanup.add(leader::destroyForcibly);
    List<String> leaderSays = new CopyOnWriteArrayList<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader out = new BufferedReader(new InputStreamReader(leader.getInputStream(), StandardCharsets.UTF_8))) {
        out.lines().forEach(leaderSays::add);
      } catch (IOException e) {
        // the process died: that is the test
      }
    }, "leader-process-stdout");
    reader.setDaemon(true);
    reader.start();
    await().atMost(Duration.ofSeconds(60)).until(() -> leaderSays.contains("LEADING"));

    Health health = new Health(Clock.systemUTC(), Optional.empty());
    Leadership standby = instance(management.client(), "pod-b", health);
    standby.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> standby.role() == Leadership.Role.STANDBY);
    assertThat(standby.currentLeader()).contains("pod-a");
    assertThat(health.ready()).isEqualTo(new Health.Check(true, "standing by, leader is pod-a"));
    // it stays a standby while the leader renews, for longer than a lease
    await().during(TIMINGS.leaseDuration().plusSeconds(1)).atMost(TIMINGS.leaseDuration().plusSeconds(3))
        .until(() -> !standby.isLeader());

    long killed = System.nanoTime();
    leader.destroyForcibly().waitFor();
    await().atMost(TIMINGS.leaseDuration().plus(WORST_RETRY).plusSeconds(2)).pollInterval(Duration.ofMillis(50))
        .until(standby::isLeader);
    Duration handover = Duration.ofNanos(System.nanoTime() - killed);
    System.out.printf("MEASURE leader killed -> standby leads: %d ms (lease %d ms, retry %d ms)%n",
        handover.toMillis(), TIMINGS.leaseDuration().toMillis(), TIMINGS.retryPeriod().toMillis());

    assertThat(handover).isLessThanOrEqualTo(TIMINGS.leaseDuration().plus(WORST_RETRY));
    assertThat(leaderSays).containsExactly("LEADING");
    assertThat(events).containsExactly("pod-b started");
    assertThat(lease().getSpec().getHolderIdentity()).isEqualTo("pod-b");
    assertThat(lease().getSpec().getLeaseTransitions()).isEqualTo(1);
    assertThat(health.ready()).as("a new leader is ready only after its first pass")
        .isEqualTo(new Health.Check(false, "leading, first pass not finished yet"));
    health.passFinished();
    assertThat(health.ready().ok()).isTrue();
  }

  @Test
  void aCleanShutdownReleasesTheLeaseSoTheStandbyTakesOverAtOnce() {
    newNamespace();
    Leadership a = instance("pod-a");
    a.start();
    await().atMost(Duration.ofSeconds(20)).until(a::isLeader);
    Leadership b = instance("pod-b");
    b.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> b.role() == Leadership.Role.STANDBY);

    long closed = System.nanoTime();
    a.close();
    assertThat(a.isLeader()).isFalse();
    await().atMost(TIMINGS.leaseDuration()).pollInterval(Duration.ofMillis(50)).until(b::isLeader);
    Duration handover = Duration.ofNanos(System.nanoTime() - closed);
    System.out.printf("MEASURE leader shut down -> standby leads: %d ms%n", handover.toMillis());

    assertThat(handover).as("released, not expired").isLessThan(TIMINGS.leaseDuration());
    // isLeader turns true as the Lease is taken; onStartLeading follows on the listener's own thread
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(events).containsExactly("pod-a started", "pod-a stopped", "pod-b started"));
  }

  @Test
  void aLeaderThatCannotRenewStopsBeforeTheStandbyTakesOver() throws Exception {
    newNamespace();
    KubernetesClient admin = management.client();
    admin.rbac().roles().inNamespace(namespace).resource(new RoleBuilder().withNewMetadata().withName("lease").endMetadata()
        .addNewRule().withApiGroups("coordination.k8s.io").withResources("leases")
        .withVerbs("get", "create", "update", "patch").endRule().build()).create();
    KubernetesClient clientA = serviceAccountClient("pod-a");
    KubernetesClient clientB = serviceAccountClient("pod-b");

    Leadership a = instance(clientA, "pod-a", new Health(Clock.systemUTC(), Optional.empty()));
    a.start();
    await().atMost(Duration.ofSeconds(20)).until(a::isLeader);
    Leadership b = instance(clientB, "pod-b", new Health(Clock.systemUTC(), Optional.empty()));
    b.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> b.role() == Leadership.Role.STANDBY);

    // cut the leader off the API (as a network partition would): its renewals now fail
    admin.rbac().roleBindings().inNamespace(namespace).withName("pod-a").delete();
    boolean[] bothLed = {false};
    await().atMost(TIMINGS.leaseDuration().plus(WORST_RETRY).plusSeconds(3)).pollInterval(Duration.ofMillis(20))
        .until(() -> {
          bothLed[0] |= a.isLeader() && b.isLeader();
          return b.isLeader();
        });

    assertThat(bothLed[0]).as("never two leaders at once").isFalse();
    // as in the handover above: onStartLeading follows isLeader on the listener's own thread
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(events).containsExactly("pod-a started", "pod-a stopped", "pod-b started"));
    assertThat(a.role()).isEqualTo(Leadership.Role.STOPPED);
  }

  /** A client for ServiceAccount {@code name}, bound to Role {@code lease} by RoleBinding {@code name}. */
  private KubernetesClient serviceAccountClient(String name) {
    KubernetesClient admin = management.client();
    admin.serviceAccounts().inNamespace(namespace).resource(new ServiceAccountBuilder().withNewMetadata().withName(name)
        .endMetadata().build()).create();
    admin.rbac().roleBindings().inNamespace(namespace).resource(new RoleBindingBuilder().withNewMetadata().withName(name)
        .endMetadata().withNewRoleRef("rbac.authorization.k8s.io", "Role", "lease")
        .addNewSubject().withKind("ServiceAccount").withName(name).withNamespace(namespace).endSubject().build()).create();
    String token = admin.serviceAccounts().inNamespace(namespace).withName(name)
        .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build())
        .getStatus().getToken();
    KubernetesClient client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(admin.getConfiguration())
        .withOauthToken(token).withAutoOAuthToken(null).withRequestRetryBackoffLimit(0).build()).build();
    cleanup.add(client);
    return client;
  }
}
