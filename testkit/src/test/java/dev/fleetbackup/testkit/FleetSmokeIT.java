package dev.fleetbackup.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Smoke test 1: a 3-member fleet of real API servers, each its own cluster, with the Kubernetes
 * version the kit pins, real authentication and RBAC, server-side apply and dry runs as
 * fleet-backup relies on them, and a member that can be killed and comes back with its data.
 */
class FleetSmokeIT {
  private static final String MANAGER = "fleet-backup-smoke";
  private static final AtomicInteger NAMESPACES = new AtomicInteger();

  @TempDir(cleanup = CleanupMode.ON_SUCCESS) static Path dir;
  static TestFleet fleet;

  @BeforeAll
  static void startFleet() {
    fleet = TestFleet.start(dir, TestFleet.Options.members(3));
    System.out.printf("MEASURE fleet start-up, 3 members: %d ms%n", fleet.startupTime().toMillis());
  }

  @AfterAll
  static void stopFleet() {
    if (fleet != null) {
      fleet.close();
    }
  }

  @Test
  void everyKubeconfigReachesItsOwnClusterOfThePinnedVersion() throws Exception {
    assertThat(fleet.members()).extracting(Member::name)
        .containsExactly("kurator-member1", "kurator-member2", "kurator-member3");
    try (Stream<Path> files = Files.list(fleet.kubeconfigDir())) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("kurator-member1.config", "kurator-member2.config", "kurator-member3.config");
    }
    // each member gets a namespace of its own name, written through its own kubeconfig
    for (Member m : fleet.members()) {
      assertThat(m.kubeconfig()).isEqualTo(fleet.kubeconfigDir().resolve(m.name() + ".config"));
      try (KubernetesClient c = m.newClient()) {
        assertThat(c.getKubernetesVersion().getGitVersion()).isEqualTo("v1.34.4");
        c.resource(new NamespaceBuilder().withNewMetadata().withName("own-" + m.name()).endMetadata().build())
            .fieldManager(MANAGER).serverSideApply();
      }
    }
    // ... and sees only its own: the members share no etcd and no API server
    for (Member m : fleet.members()) {
      try (KubernetesClient c = m.newClient()) {
        assertThat(c.namespaces().list().getItems()).extracting(n -> n.getMetadata().getName())
            .filteredOn(n -> n.startsWith("own-")).containsExactly("own-" + m.name());
      }
    }
    assertThat(fleet.members()).extracting(m -> m.apiServerUrl().getPort()).doesNotHaveDuplicates();
  }

  @Test
  void requestsWithoutAValidTokenAreRejected() {
    Member m = fleet.member(1);
    try (KubernetesClient anonymous = clientWithToken(m, null);
         KubernetesClient forged = clientWithToken(m, "0123456789abcdef0123456789abcdef")) {
      assertThatThrownBy(() -> anonymous.namespaces().list()).as("anonymous: authenticated as nobody, allowed nothing")
          .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
            assertThat(e.getCode()).isEqualTo(403);
            assertThat(e.getMessage()).contains("User \"system:anonymous\" cannot list resource \"namespaces\"");
          });
      assertThatThrownBy(() -> forged.namespaces().list()).as("a token the server does not know")
          .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(401));
    }
  }

  @Test
  void rbacDeniesAnOrdinaryUserUntilARoleGrantsExactlyWhatItSays() {
    Member m = fleet.member(2);
    KubernetesClient admin = m.client();
    String ns = newNamespace(admin);
    admin.resource(configMap(ns, Map.of("color", "blue"))).fieldManager(MANAGER).serverSideApply();
    assertThat(admin.rbac().clusterRoles().withName("cluster-admin").get()).as("the bootstrap roles exist")
        .extracting(ClusterRole::getRules).satisfies(rules -> assertThat(rules).anySatisfy((PolicyRule r) -> {
          assertThat(r.getVerbs()).containsExactly("*");
          assertThat(r.getResources()).containsExactly("*");
        }));
    try (KubernetesClient user = m.newUnprivilegedClient()) {
      assertThatThrownBy(() -> user.configMaps().inNamespace(ns).list())
          .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
            assertThat(e.getCode()).isEqualTo(403);
            assertThat(e.getMessage()).contains("User \"" + Member.UNPRIVILEGED_USER + "\" cannot list resource \"configmaps\"");
          });

      admin.resource(new io.fabric8.kubernetes.api.model.rbac.RoleBuilder()
          .withNewMetadata().withName("read-configmaps").withNamespace(ns).endMetadata()
          .addNewRule().withApiGroups("").withResources("configmaps").withVerbs("get", "list").endRule()
          .build()).fieldManager(MANAGER).serverSideApply();
      admin.resource(new io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder()
          .withNewMetadata().withName("read-configmaps").withNamespace(ns).endMetadata()
          .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role").withName("read-configmaps").endRoleRef()
          .addNewSubject().withApiGroup("rbac.authorization.k8s.io").withKind("User").withName(Member.UNPRIVILEGED_USER).endSubject()
          .build()).fieldManager(MANAGER).serverSideApply();

      // the authorizer's cache takes a moment to see the binding
      await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() ->
          assertThat(user.configMaps().inNamespace(ns).list().getItems()).extracting(c -> c.getMetadata().getName())
              .containsExactly("smoke"));
      assertThat(user.configMaps().inNamespace(ns).withName("smoke").get().getData()).containsEntry("color", "blue");
      assertForbidden(() -> user.resource(configMap(ns, Map.of("color", "red"))).fieldManager(MANAGER).forceConflicts()
          .serverSideApply());
      assertForbidden(() -> user.configMaps().inNamespace(ns).withName("smoke").delete());
      assertForbidden(() -> user.secrets().inNamespace(ns).list());
      assertForbidden(() -> user.configMaps().inNamespace("default").list());
    }
    assertThat(admin.configMaps().inNamespace(ns).withName("smoke").get().getData()).containsEntry("color", "blue");
  }

  @Test
  void serverSideApplyRecordsTheFieldManagerAndItsFieldsAndADryRunWritesNothing() {
    for (Member m : fleet.members()) {
      KubernetesClient c = m.client();
      String ns = newNamespace(c);

      ConfigMap applied = c.resource(configMap(ns, Map.of("color", "blue"))).fieldManager(MANAGER).forceConflicts().serverSideApply();
      assertThat(applied.getData()).containsExactlyEntriesOf(Map.of("color", "blue"));
      assertThat(applied.getMetadata().getManagedFields()).singleElement().satisfies((ManagedFieldsEntry f) -> {
        assertThat(f.getManager()).isEqualTo(MANAGER);
        assertThat(f.getOperation()).isEqualTo("Apply");
        assertThat(f.getFieldsV1().getAdditionalProperties()).as("the fields it owns")
            .containsEntry("f:data", Map.of("f:color", Map.of()));
      });

      ConfigMap dryRun = c.resource(configMap(ns, Map.of("color", "green"))).dryRun().fieldManager(MANAGER).forceConflicts()
          .serverSideApply();
      assertThat(dryRun.getData()).as("the dry run answers with the change").containsEntry("color", "green");
      ConfigMap stored = c.configMaps().inNamespace(ns).withName("smoke").get();
      assertThat(stored.getData()).as("and stores nothing").containsEntry("color", "blue");
      assertThat(stored.getMetadata().getResourceVersion()).isEqualTo(applied.getMetadata().getResourceVersion());

      ConfigMap created = new ConfigMapBuilder(configMap(ns, Map.of("new", "yes"))).editMetadata().withName("never").endMetadata()
          .build();
      assertThat(c.resource(created).dryRun().fieldManager(MANAGER).serverSideApply().getMetadata().getName()).isEqualTo("never");
      assertThat(c.configMaps().inNamespace(ns).withName("never").get()).as("a dry-run create creates nothing").isNull();
    }
  }

  @Test
  void theAuditLogRecordsEveryWriteWithWhoSentItAndNoRead() throws Exception {
    Member m = fleet.member(2);
    String agent = "smoke-test/1.0 (audit)";
    Instant before = Instant.now();
    try (KubernetesClient c = new KubernetesClientBuilder()
        .withConfig(new ConfigBuilder(m.client().getConfiguration()).withUserAgent(agent).build()).build()) {
      String ns = newNamespace(c);
      c.resource(configMap(ns, Map.of("color", "blue"))).fieldManager(MANAGER).serverSideApply();
      c.resource(configMap(ns, Map.of("color", "green"))).dryRun().fieldManager(MANAGER).serverSideApply();
      c.configMaps().inNamespace(ns).withName("smoke").get();
      c.configMaps().inNamespace(ns).list();
      c.configMaps().inNamespace(ns).withName("smoke").delete();

      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        List<AuditEvent> sent = m.auditEvents().stream().filter(e -> e.userAgent().equals(agent)).toList();
        assertThat(sent).extracting(e -> e.verb() + " " + e.objectRef().resource() + " " + e.objectRef().namespace() + "/"
                + e.objectRef().name() + (e.dryRun() ? " dry-run" : "") + " " + e.responseStatus().code())
            .containsExactly("patch namespaces " + ns + "/" + ns + " 201", "patch configmaps " + ns + "/smoke 201",
                "patch configmaps " + ns + "/smoke dry-run 200", "delete configmaps " + ns + "/smoke 200");
        assertThat(sent).allSatisfy(e -> {
          assertThat(e.user().username()).isEqualTo("fleet-admin");
          assertThat(e.requestReceivedTimestamp()).isAfterOrEqualTo(before.minusSeconds(1)).isBeforeOrEqualTo(Instant.now());
        });
      });
    }
    assertThat(m.auditEvents()).as("only writes, and none of the API server's own")
        .allMatch(e -> List.of("create", "update", "patch", "delete", "deletecollection").contains(e.verb()))
        .noneMatch(e -> e.user().username().equals("system:apiserver"));
    System.out.printf("MEASURE audit log of %s: %d writes, %d bytes%n", m.name(), m.auditEvents().size(), Files.size(m.auditLog()));
  }

  @Test
  void aKilledMemberApiServerFailsItsClientsAloneThenComesBackWithItsDataAndServes() {
    Member m = fleet.member(3);
    String ns = newNamespace(m.client());
    m.client().resource(configMap(ns, Map.of("survives", "restart"))).fieldManager(MANAGER).serverSideApply();
    String other = newNamespace(fleet.member(1).client());

    m.killApiServer();
    try {
      assertThat(m.isApiServerRunning()).isFalse();
      var config = new ConfigBuilder(m.client().getConfiguration()).withRequestRetryBackoffLimit(0).withConnectionTimeout(1000).build();
      try (KubernetesClient c = new KubernetesClientBuilder().withConfig(config).build()) {
        assertThatThrownBy(() -> c.namespaces().list()).as("nothing listens on its port")
            .isInstanceOf(KubernetesClientException.class).hasRootCauseInstanceOf(java.net.ConnectException.class);
      }
      // the other members are unaffected, reads and writes
      fleet.member(1).client().resource(configMap(other, Map.of("while", "member3 is down"))).fieldManager(MANAGER)
          .serverSideApply();
      assertThat(fleet.member(1).client().configMaps().inNamespace(other).withName("smoke").get().getData())
          .containsEntry("while", "member3 is down");
    } finally {
      m.startApiServer(); // the other tests share this member
    }
    assertThat(m.isApiServerRunning()).isTrue();
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() ->
        assertThat(m.client().configMaps().inNamespace(ns).withName("smoke").get().getData())
            .as("etcd kept the data").containsEntry("survives", "restart"));
    m.client().resource(configMap(ns, Map.of("survives", "restart", "written", "after"))).fieldManager(MANAGER).serverSideApply();
    assertThat(m.client().configMaps().inNamespace(ns).withName("smoke").get().getData())
        .as("and it takes writes again").containsEntry("written", "after");
  }

  /** The test kit's own admission gate, which WorkflowsIT uses to stop a reconciler mid-pass. */
  @Test
  void anAdmissionGateHoldsAWriteInsideTheApiServerUntilReleasedThenRefusesIt() {
    Member m = fleet.member(2);
    KubernetesClient c = m.client();
    String ns = newNamespace(c);
    try (AdmissionGate gate = AdmissionGate.install(m, dir.resolve("gate"), List.of(AdmissionGate.creates("", "configmaps")),
        Map.of("smoke", "gated"), r -> r.name().equals("held") && !r.dryRun() ? AdmissionGate.Verdict.HOLD : AdmissionGate.Verdict.ALLOW)) {
      c.resource(gated(ns, "let-through")).create();
      assertThat(c.configMaps().inNamespace(ns).withName("let-through").get()).as("allowed, it lands").isNotNull();

      CompletableFuture<ConfigMap> blocked = CompletableFuture.supplyAsync(() -> c.resource(gated(ns, "held")).create());
      assertThat(gate.awaitHeld(Duration.ofSeconds(20))).hasToString("CREATE configmaps " + ns + "/held");
      assertThat(blocked).as("its client waits for the answer").isNotDone();
      assertThat(c.configMaps().inNamespace(ns).withName("held").get()).as("held, it is not stored").isNull();

      gate.release();
      assertThatThrownBy(blocked::join).hasCauseInstanceOf(KubernetesClientException.class)
          .hasMessageContaining("held by the test kit's admission gate, then refused");
      assertThat(c.configMaps().inNamespace(ns).withName("held").get()).as("released, it never lands").isNull();
      assertThat(gate.heldRequests()).hasSize(1);
    }
    assertThat(c.admissionRegistration().v1().validatingWebhookConfigurations().list().getItems()).as("closed, the gate is gone")
        .isEmpty();
    assertThat(c.resource(gated(ns, "held")).create().getMetadata().getName()).isEqualTo("held");
  }

  private static ConfigMap gated(String ns, String name) {
    return new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace(ns).withLabels(Map.of("smoke", "gated")).endMetadata()
        .withData(Map.of("k", "v")).build();
  }

  static String newNamespace(KubernetesClient c) {
    String name = "smoke-" + NAMESPACES.incrementAndGet();
    c.resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .fieldManager(MANAGER).serverSideApply();
    return name;
  }

  static ConfigMap configMap(String ns, Map<String, String> data) {
    return new ConfigMapBuilder()
        .withNewMetadata().withName("smoke").withNamespace(ns).endMetadata()
        .withData(data)
        .build();
  }

  private static KubernetesClient clientWithToken(Member m, String token) {
    var config = new ConfigBuilder(m.client().getConfiguration())
        .withOauthToken(token).withAutoOAuthToken(null).withRequestRetryBackoffLimit(0).build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  private static void assertForbidden(Runnable request) {
    assertThatThrownBy(request::run).isInstanceOfSatisfying(KubernetesClientException.class,
        e -> assertThat(e.getCode()).isEqualTo(403));
  }
}
