package dev.fleetbackup.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fleetbackup.cluster.CredentialSource;
import dev.fleetbackup.model.WorkflowStatus;
import dev.fleetbackup.pipeline.FleetPass;
import dev.fleetbackup.pipeline.PassOutcome;
import dev.fleetbackup.testkit.FleetRepo;
import dev.fleetbackup.testkit.Member;
import dev.fleetbackup.testkit.TestFleet;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14's Velero depth on one real member with a real Velero server: a Fleet's chart values
 * install exactly what they say, a Backup's and a Restore's Velero fields have Velero's effect on
 * the member's objects (there is no kubelet: pods never run, so hooks find no pod to run in, and
 * what is asserted is what Velero does with objects), and a paused Schedule makes no run. One
 * fleet for the class; the paused Schedule and its unpaused twin are in the repo from the first
 * pass, and their test comes last, so that the minute Velero takes to run the twin overlaps the
 * backup and the restore. Each test still passes
 * on its own: it runs passes until what it checks has happened.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VeleroDepthIT {
  private static final String M1 = "kurator-member1";
  private static final Duration VELERO_TIMEOUT = Duration.ofMinutes(4);
  private static final Duration PAUSE = Duration.ofSeconds(2);
  private static final ResourceDefinitionContext BACKUPS = velero("backups", "Backup");
  private static final ResourceDefinitionContext SCHEDULES = velero("schedules", "Schedule");
  private static final String PAUSED_SCHEDULE = M1 + "-backup-default-paused";
  private static final String UNPAUSED_SCHEDULE = M1 + "-backup-default-unpaused";

  /** Short: Velero's plugin sockets live below it (108-byte limit). */
  @TempDir static Path fleetDir;
  @TempDir static Path dir;
  static TestFleet fleet;
  static FleetRepo repo;
  static CredentialSource credentials;
  static FleetPass pass;

  @BeforeAll
  static void startOneMemberWithTheChartValues() {
    fleet = TestFleet.start(fleetDir, TestFleet.Options.members(1).withVeleroNode());
    Path secrets = FleetRepo.writeSecrets(dir.resolve("secrets"), fleet);
    credentials = ReconcilerProcess.credentials(fleet.kubeconfigDir(), secrets);
    pass = ReconcilerProcess.newPass(credentials);
    KubernetesClient c = fleet.member(M1).client();
    c.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("shop").endMetadata().build()).create();
    c.configMaps().inNamespace("shop").resource(new ConfigMapBuilder().withNewMetadata().withName("settings").endMetadata()
        .withData(Map.of("mode", "production")).build()).create();
    c.secrets().inNamespace("shop").resource(new SecretBuilder().withNewMetadata().withName("token").endMetadata()
        .withData(Map.of("token", Base64.getEncoder().encodeToString("s3cr3t".getBytes(StandardCharsets.UTF_8)))).build()).create();

    repo = new FleetRepo(dir.resolve("repo"), fleet.s3()).clusters(1);
    repo.write("fleet/quickstart.yaml", readRepo("fleet/quickstart.yaml") + """
              extraArgs:
                image: {repository: docker.io/velero/velero, tag: v1.18.1, pullPolicy: Always}
                resources: {requests: {cpu: 200m, memory: 256Mi}, limits: {memory: 1Gi}}
                initContainers:
                  - {name: velero-plugin-for-gcp, image: "velero/velero-plugin-for-gcp:v1.14.0"}
                podLabels: {team: storage}
                nodeAgent:
                  resources: {requests: {cpu: 50m, memory: 64Mi}, limits: {memory: 512Mi}}
                  tolerations: [{key: dedicated, operator: Equal, value: backup, effect: NoSchedule}]
                  nodeSelector: {kubernetes.io/os: linux}
                  extraArgs: [--data-mover-prepare-timeout=45m]
                configuration:
                  logLevel: warning
                  extraArgs: [--garbage-collection-frequency=2h]
        """);
    repo.write("backups/paused.yaml", """
        apiVersion: backup.kurator.dev/v1alpha1
        kind: Backup
        metadata: {name: paused, namespace: default}
        spec:
          schedule: "@every 30s"
          destination: {fleet: quickstart}
          policy:
            resourceFilter: {includedNamespaces: [shop]}
            paused: true
        """);
    repo.write("backups/unpaused.yaml", readRepo("backups/paused.yaml").replace("paused", "unpaused").replace("    unpaused: true\n", ""));
    until("the Velero install applied", r -> fleet.member(M1).client().apps().deployments().inNamespace("velero").withName("velero").get() != null);
  }

  @AfterAll
  static void stopFleet() {
    if (fleet != null) {
      fleet.close();
    }
  }

  @Test
  @Order(1)
  void theChartValuesInstallExactlyThat() {
    KubernetesClient c = fleet.member(M1).client();
    Deployment deployment = c.apps().deployments().inNamespace("velero").withName("velero").get();
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    Container server = pod.getContainers().get(0);
    assertThat(server.getImage()).isEqualTo("docker.io/velero/velero:v1.18.1");
    assertThat(server.getImagePullPolicy()).isEqualTo("Always");
    assertThat(server.getArgs()).containsExactly("server", "--uploader-type=kopia", "--default-volumes-to-fs-backup",
        "--log-level=warning", "--garbage-collection-frequency=2h");
    assertThat(server.getResources().getRequests()).isEqualTo(Map.of("cpu", new Quantity("200m"), "memory", new Quantity("256Mi")));
    assertThat(server.getResources().getLimits()).isEqualTo(Map.of("memory", new Quantity("1Gi")));
    assertThat(pod.getInitContainers()).extracting(Container::getName, Container::getImage).containsExactly(
        org.assertj.core.groups.Tuple.tuple("velero-plugin-for-aws", "velero/velero-plugin-for-aws:v1.14.2"),
        org.assertj.core.groups.Tuple.tuple("velero-plugin-for-gcp", "velero/velero-plugin-for-gcp:v1.14.0"));
    assertThat(pod.getInitContainers().get(1).getVolumeMounts()).singleElement()
        .satisfies(m -> assertThat(m.getName() + ":" + m.getMountPath()).isEqualTo("plugins:/target"));
    assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels()).containsEntry("team", "storage");

    DaemonSet agent = c.apps().daemonSets().inNamespace("velero").withName("node-agent").get();
    PodSpec agentPod = agent.getSpec().getTemplate().getSpec();
    Container agentContainer = agentPod.getContainers().get(0);
    assertThat(agentContainer.getImage()).isEqualTo("docker.io/velero/velero:v1.18.1");
    assertThat(agentContainer.getArgs()).containsExactly("node-agent", "server", "--log-level=warning", "--data-mover-prepare-timeout=45m");
    assertThat(agentContainer.getResources().getRequests()).isEqualTo(Map.of("cpu", new Quantity("50m"), "memory", new Quantity("64Mi")));
    assertThat(agentContainer.getResources().getLimits()).isEqualTo(Map.of("memory", new Quantity("512Mi")));
    assertThat(agentPod.getTolerations()).singleElement().satisfies(t -> assertThat(List.of(t.getKey(), t.getOperator(), t.getValue(),
        t.getEffect())).containsExactly("dedicated", "Equal", "backup", "NoSchedule"));
    assertThat(agentPod.getNodeSelector()).isEqualTo(Map.of("kubernetes.io/os", "linux"));
    assertThat(c.batch().v1().jobs().inNamespace("velero").withName("velero-upgrade-crds").get().getSpec().getTemplate().getSpec()
        .getContainers().get(0).getImage()).isEqualTo("docker.io/velero/velero:v1.18.1");
    // The real Velero server runs with these flags: the storage location it validates is Available.
    until("Velero serving with the chart's flags", r -> r.member(M1).map(m -> m.state().backupLocationAvailable()).orElse(false)
        && fleet.veleroNode(fleet.member(M1)).isVeleroServerReady());
  }

  @Test
  @Order(2)
  void aBackupWithAResourcePolicyAndARestoreThatUpdatesAndModifiesHaveVelerosEffect() {
    KubernetesClient c = fleet.member(M1).client();
    // Both ConfigMaps live in each member's velero namespace, made by the operator (the install made the namespace).
    c.configMaps().inNamespace("velero").resource(new ConfigMapBuilder().withNewMetadata().withName("shop-policy").endMetadata()
        .withData(Map.of("policy.yaml", """
            version: v1
            volumePolicies: []
            includeExcludePolicy:
              excludedNamespaceScopedResources: [secrets]
            """)).build()).createOr(x -> x.update());
    c.configMaps().inNamespace("velero").resource(new ConfigMapBuilder().withNewMetadata().withName("shop-modifier").endMetadata()
        .withData(Map.of("rules.yaml", """
            version: v1
            resourceModifierRules:
              - conditions: {groupResource: configmaps, namespaces: [shop]}
                patches:
                  - {operation: add, path: /data/restoredBy, value: fleet-backup}
            """)).build()).createOr(x -> x.update());
    repo.write("backups/shop-now.yaml", """
        apiVersion: backup.kurator.dev/v1alpha1
        kind: Backup
        metadata: {name: shop-now, namespace: default}
        spec:
          destination: {fleet: quickstart}
          policy:
            resourceFilter: {includedNamespaces: [shop]}
            defaultVolumesToFsBackup: true
            hooks:
              resources:
                - name: flush
                  includedNamespaces: [shop]
                  pre: [{exec: {command: [/bin/sync], onError: Continue, timeout: 30s}}]
            resourcePolicy: {kind: configmap, name: shop-policy}
            csiSnapshotTimeout: 5m
        """);
    Instant t0 = Instant.now();
    until("Backup shop-now Completed", r -> "Completed".equals(status(r.backups(), "shop-now").phase()));
    System.out.printf("MEASURE backup with a resource policy completed: %d ms%n", Duration.between(t0, Instant.now()).toMillis());
    GenericKubernetesResource backup = c.genericKubernetesResources(BACKUPS).inNamespace("velero")
        .withName(M1 + "-backup-default-shop-now").get();
    Map<String, Object> spec = map(backup.getAdditionalProperties().get("spec"));
    assertThat(spec).containsEntry("defaultVolumesToFsBackup", true).containsEntry("csiSnapshotTimeout", "5m")
        .containsEntry("resourcePolicy", Map.of("kind", "configmap", "name", "shop-policy"));
    assertThat(map(spec.get("hooks")).toString()).contains("flush", "/bin/sync");

    c.configMaps().inNamespace("shop").withName("settings").edit(cm -> {
      cm.setData(Map.of("mode", "staging"));
      return cm;
    });
    c.secrets().inNamespace("shop").withName("token").delete();
    await("Secret shop/token gone").atMost(Duration.ofSeconds(30))
        .until(() -> c.secrets().inNamespace("shop").withName("token").get() == null);
    repo.write("restores/shop-back.yaml", """
        apiVersion: backup.kurator.dev/v1alpha1
        kind: Restore
        metadata: {name: shop-back, namespace: default}
        spec:
          backupName: shop-now
          policy:
            resourceFilter: {includedNamespaces: [shop]}
            existingResourcePolicy: update
            resourceModifier: {kind: ConfigMap, name: shop-modifier}
        """);
    until("Restore shop-back done", r -> List.of("Completed", "PartiallyFailed", "Failed").contains(status(r.restores(), "shop-back").phase()));

    ConfigMap settings = c.configMaps().inNamespace("shop").withName("settings").get();
    assertThat(settings.getData()).as("existingResourcePolicy update puts the backed-up data back; the modifier's patch is applied")
        .isEqualTo(Map.of("mode", "production", "restoredBy", "fleet-backup"));
    assertThat(settings.getMetadata().getLabels()).containsKey("velero.io/restore-name");
    assertThat(c.secrets().inNamespace("shop").withName("token").get())
        .as("the resource policy left Secrets out of the backup, so the restore brings none back").isNull();
  }

  @Test
  @Order(3)
  void aPausedScheduleMakesNoRun() {
    KubernetesClient c = fleet.member(M1).client();
    GenericKubernetesResource schedule = c.genericKubernetesResources(SCHEDULES).inNamespace("velero").withName(PAUSED_SCHEDULE).get();
    assertThat(schedule).as("Schedule %s", PAUSED_SCHEDULE).isNotNull();
    assertThat(map(schedule.getAdditionalProperties().get("spec"))).containsEntry("paused", true);
    // Its twin, the same but not paused, made at the same pass, shows that Velero would have run it by now.
    await("a run of the unpaused twin " + UNPAUSED_SCHEDULE).atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
        .until(() -> !runsOf(c, UNPAUSED_SCHEDULE).isEmpty());
    assertThat(runsOf(c, PAUSED_SCHEDULE)).isEmpty();
    WorkflowStatus status = status(until("a pass", r -> true).backups(), "paused");
    assertThat(status.phase()).isEqualTo("Paused");
    assertThat(status.problems()).isEmpty();
  }

  private static List<GenericKubernetesResource> runsOf(KubernetesClient c, String schedule) {
    return c.genericKubernetesResources(BACKUPS).inNamespace("velero").withLabel("velero.io/schedule-name", schedule).list().getItems();
  }

  /** Passes, {@link #PAUSE} apart as a daemon's interval, until one satisfies {@code done}. */
  private static PassOutcome until(String what, Predicate<PassOutcome> done) {
    AtomicReference<PassOutcome> last = new AtomicReference<>();
    try {
      return await(what).atMost(VELERO_TIMEOUT).pollInSameThread().pollDelay(Duration.ZERO).pollInterval(PAUSE)
          .until(() -> {
            last.set(pass.run(ReconcilerProcess.policies(repo.dir)));
            return last.get();
          }, done);
    } catch (ConditionTimeoutException e) {
      PassOutcome r = last.get();
      throw new AssertionError("timed out waiting for " + what + "; last pass: "
          + (r == null ? "none" : r.clusters() + " " + r.backups() + " " + r.restores()), e);
    }
  }

  private static WorkflowStatus status(List<WorkflowStatus> statuses, String name) {
    return statuses.stream().filter(w -> w.id().name().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no status for " + name + " in " + statuses));
  }

  private static String readRepo(String path) {
    try {
      return java.nio.file.Files.readString(repo.dir.resolve(path));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  private static ResourceDefinitionContext velero(String plural, String kind) {
    return new ResourceDefinitionContext.Builder()
        .withGroup("velero.io").withVersion("v1").withPlural(plural).withKind(kind).withNamespaced(true).build();
  }

}
