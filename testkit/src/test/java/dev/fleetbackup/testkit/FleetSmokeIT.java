package dev.fleetbackup.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/** Smoke test 1: a 3-member fleet of real API servers. */
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
  void everyMemberApiServerAnswersWithItsOwnKubeconfig() throws Exception {
    assertThat(fleet.members()).extracting(Member::name)
        .containsExactly("kurator-member1", "kurator-member2", "kurator-member3");
    try (Stream<Path> files = Files.list(fleet.kubeconfigDir())) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("kurator-member1.config", "kurator-member2.config", "kurator-member3.config");
    }
    for (Member m : fleet.members()) {
      assertThat(m.kubeconfig()).isEqualTo(fleet.kubeconfigDir().resolve(m.name() + ".config"));
      assertThat(m.client().getKubernetesVersion().getGitVersion()).isEqualTo("v1.34.4");
      assertThat(m.client().namespaces().withName("default").get()).isNotNull();
      // RBAC authorization is on: the bootstrap roles exist and are enforced
      assertThat(m.client().rbac().clusterRoles().withName("cluster-admin").get()).isNotNull();
    }
    assertThat(fleet.members()).extracting(m -> m.apiServerUrl().getPort()).doesNotHaveDuplicates();
  }

  @Test
  void unauthenticatedRequestsAreRejected() {
    Member m = fleet.member(1);
    var config = new io.fabric8.kubernetes.client.ConfigBuilder(m.client().getConfiguration())
        .withOauthToken(null).withAutoOAuthToken(null).withRequestRetryBackoffLimit(0).build();
    try (KubernetesClient anonymous = new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(config).build()) {
      assertThatThrownBy(() -> anonymous.namespaces().list())
          .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isIn(401, 403));
    }
  }

  @Test
  void rbacObjectsDecideWhatAnOrdinaryUserMayDo() {
    Member m = fleet.member(2);
    KubernetesClient admin = m.client();
    String ns = newNamespace(admin);
    try (KubernetesClient user = m.newUnprivilegedClient()) {
      assertThatThrownBy(() -> user.configMaps().inNamespace(ns).list())
          .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));

      admin.resource(new io.fabric8.kubernetes.api.model.rbac.RoleBuilder()
          .withNewMetadata().withName("read-configmaps").withNamespace(ns).endMetadata()
          .addNewRule().withApiGroups("").withResources("configmaps").withVerbs("get", "list").endRule()
          .build()).fieldManager(MANAGER).serverSideApply();
      admin.resource(new io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder()
          .withNewMetadata().withName("read-configmaps").withNamespace(ns).endMetadata()
          .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role").withName("read-configmaps").endRoleRef()
          .addNewSubject().withApiGroup("rbac.authorization.k8s.io").withKind("User").withName(Member.UNPRIVILEGED_USER).endSubject()
          .build()).fieldManager(MANAGER).serverSideApply();

      await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
          .untilAsserted(() -> assertThat(user.configMaps().inNamespace(ns).list().getItems()).isNotNull());
      assertThatThrownBy(() -> user.secrets().inNamespace(ns).list())
          .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
    }
  }

  @Test
  void serverSideApplyRecordsTheFieldManagerAndDryRunDoesNotPersist() {
    for (Member m : fleet.members()) {
      KubernetesClient c = m.client();
      String ns = newNamespace(c);
      ConfigMap desired = configMap(ns, Map.of("color", "blue"));

      ConfigMap applied = c.resource(desired).fieldManager(MANAGER).forceConflicts().serverSideApply();
      assertThat(applied.getData()).containsEntry("color", "blue");
      assertThat(applied.getMetadata().getManagedFields())
          .anySatisfy(f -> {
            assertThat(f.getManager()).isEqualTo(MANAGER);
            assertThat(f.getOperation()).isEqualTo("Apply");
          });

      ConfigMap changed = configMap(ns, Map.of("color", "green"));
      ConfigMap dryRun = c.resource(changed).dryRun().fieldManager(MANAGER).forceConflicts().serverSideApply();
      assertThat(dryRun.getData()).containsEntry("color", "green");
      assertThat(dryRun.getMetadata().getResourceVersion())
          .isEqualTo(applied.getMetadata().getResourceVersion());
      assertThat(c.configMaps().inNamespace(ns).withName("smoke").get().getData())
          .containsEntry("color", "blue");

      ConfigMap same = c.resource(desired).dryRun().fieldManager(MANAGER).forceConflicts().serverSideApply();
      assertThat(same.getData()).isEqualTo(applied.getData());
    }
  }

  @Test
  void aMemberApiServerCanBeKilledAndStartedAgain() {
    Member m = fleet.member(3);
    String ns = newNamespace(m.client());
    m.client().resource(configMap(ns, Map.of("survives", "restart"))).fieldManager(MANAGER).serverSideApply();

    m.killApiServer();
    assertThat(m.isApiServerRunning()).isFalse();
    var config = new io.fabric8.kubernetes.client.ConfigBuilder(m.client().getConfiguration())
        .withRequestRetryBackoffLimit(0).withConnectionTimeout(1000).build();
    try (KubernetesClient c = new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(config).build()) {
      assertThatThrownBy(() -> c.namespaces().list()).isInstanceOf(KubernetesClientException.class);
    }
    // the other members are unaffected
    assertThat(fleet.member(1).client().namespaces().withName("default").get()).isNotNull();

    m.startApiServer();
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() ->
        assertThat(m.client().configMaps().inNamespace(ns).withName("smoke").get().getData())
            .containsEntry("survives", "restart"));
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
}
