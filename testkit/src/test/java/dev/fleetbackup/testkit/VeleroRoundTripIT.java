package dev.fleetbackup.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Smoke test 2: a real Velero backup in member 1, synced into member 2 through a ReadOnly
 * BackupStorageLocation on member 1's prefix, and restored there.
 */
class VeleroRoundTripIT {
  private static final ResourceDefinitionContext BACKUPS = velero("backups", "Backup");
  private static final ResourceDefinitionContext RESTORES = velero("restores", "Restore");
  private static final ResourceDefinitionContext BSLS = velero("backupstoragelocations", "BackupStorageLocation");
  private static final Duration VELERO_TIMEOUT = Duration.ofMinutes(3);

  @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir;

  @Test
  void backupInMemberOneIsRestoredInMemberTwo() {
    try (TestFleet fleet = TestFleet.start(dir, TestFleet.Options.members(2).withVeleroNode())) {
      System.out.printf("MEASURE fleet start-up, 2 members + Velero nodes: %d ms%n", fleet.startupTime().toMillis());
      Member source = fleet.member(1);
      Member target = fleet.member(2);
      String veleroVersion = fleet.binaries().veleroVersion();
      String pluginVersion = fleet.binaries().versions().get("VELERO_PLUGIN_AWS_VERSION");
      S3Server s3 = fleet.s3();

      // CRDs: member 1 through a CRD-installer Job run by the node, member 2 through the helper.
      KubernetesClient src = source.client();
      VeleroInstallFixture.apply(src, new NamespaceBuilder().withNewMetadata().withName("velero").endMetadata().build());
      VeleroInstallFixture.apply(src, VeleroInstallFixture.crdInstallJob(veleroVersion));
      await("CRD Job completes").atMost(VELERO_TIMEOUT).until(() -> jobSucceeded(src, "velero-upgrade-crds"));
      assertThat(src.apiextensions().v1().customResourceDefinitions().withName("backups.velero.io").get()).isNotNull();
      fleet.installVeleroCrds(target);
      assertThat(target.client().apiextensions().v1().customResourceDefinitions().withName("restores.velero.io").get()).isNotNull();

      // Velero servers: installed as `velero install` would, then run by each member's node.
      VeleroInstallFixture.installServer(src, s3, source.name(), veleroVersion, pluginVersion);
      KubernetesClient dst = target.client();
      VeleroInstallFixture.installServer(dst, s3, target.name(), veleroVersion, pluginVersion);
      VeleroInstallFixture.apply(dst, VeleroInstallFixture.backupStorageLocation(source.name(), s3, source.name(), "ReadOnly", false));
      for (KubernetesClient c : List.of(src, dst)) {
        await("velero Deployment ready").atMost(VELERO_TIMEOUT).until(() -> deploymentReady(c));
        await("default BSL Available").atMost(VELERO_TIMEOUT).until(() -> "Available".equals(phase(c, BSLS, "default")));
      }
      assertThat(fleet.veleroNode(source).isVeleroServerRunning()).isTrue();
      assertThat(fleet.veleroNode(target).isVeleroServerRunning()).isTrue();

      // Workload in member 1.
      String ns = "shop";
      src.resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).serverSideApply();
      src.resource(new ConfigMapBuilder().withNewMetadata().withName("settings").withNamespace(ns).endMetadata()
          .withData(Map.of("greeting", "hello from member1")).build()).serverSideApply();
      src.resource(new SecretBuilder().withNewMetadata().withName("token").withNamespace(ns).endMetadata()
          .withStringData(Map.of("token", "s3cr3t")).build()).serverSideApply();

      Instant roundTripStart = Instant.now();
      String backup = "shop-backup-1";
      src.genericKubernetesResources(BACKUPS).inNamespace("velero").resource(
          veleroObject("Backup", backup, Map.of(
              "includedNamespaces", List.of(ns),
              "storageLocation", "default",
              "snapshotVolumes", false,
              "ttl", "1h0m0s"))).create();
      await("Backup Completed").atMost(VELERO_TIMEOUT).until(() -> terminal(phase(src, BACKUPS, backup)));
      assertThat(phase(src, BACKUPS, backup)).as(veleroLog(fleet, source)).isEqualTo("Completed");
      Duration backupTime = Duration.between(roundTripStart, Instant.now());

      String backupPrefix = source.name() + "/backups/" + backup + "/";
      assertThat(s3.listKeys(backupPrefix))
          .contains(backupPrefix + "velero-backup.json", backupPrefix + backup + ".tar.gz");

      // Member 2 sees the backup through Velero's own sync of the ReadOnly location. Velero 1.18
      // runs that sync when it starts and then on a hard-coded 1-minute tick (whatever the BSL's
      // backupSyncPeriod says), so, as an operator would, restart it: a rollout restart changes
      // the Deployment's generation and the node restarts the server.
      int startsBefore = fleet.veleroNode(target).starts("velero");
      dst.apps().deployments().inNamespace("velero").withName("velero").edit(d -> {
        d.getSpec().getTemplate().getMetadata().setAnnotations(
            Map.of("kubectl.kubernetes.io/restartedAt", Instant.now().toString()));
        return d;
      });
      await("Backup synced into member 2").atMost(VELERO_TIMEOUT).until(() ->
          dst.genericKubernetesResources(BACKUPS).inNamespace("velero").withName(backup).get() != null);
      Duration syncTime = Duration.between(roundTripStart, Instant.now()).minus(backupTime);
      assertThat(fleet.veleroNode(target).starts("velero")).isEqualTo(startsBefore + 1);
      String restore = "shop-restore-1";
      dst.genericKubernetesResources(RESTORES).inNamespace("velero").resource(
          veleroObject("Restore", restore, Map.of("backupName", backup))).create();
      await("Restore finished").atMost(VELERO_TIMEOUT).until(() -> terminal(phase(dst, RESTORES, restore)));
      assertThat(phase(dst, RESTORES, restore)).as(veleroLog(fleet, target)).isEqualTo("Completed");
      Duration roundTrip = Duration.between(roundTripStart, Instant.now());

      var restored = dst.configMaps().inNamespace(ns).withName("settings").get();
      assertThat(restored).isNotNull();
      assertThat(restored.getData()).containsEntry("greeting", "hello from member1");
      assertThat(restored.getMetadata().getLabels()).containsEntry("velero.io/restore-name", restore);
      assertThat(dst.secrets().inNamespace(ns).withName("token").get()).isNotNull();
      System.out.printf(
          "MEASURE velero backup to Completed: %d ms; then synced into member 2: %d ms; "
              + "backup + sync + restore round trip: %d ms%n",
          backupTime.toMillis(), syncTime.toMillis(), roundTrip.toMillis());

      // A crashed server is restarted by the node, which reports it unready meanwhile.
      VeleroNode sourceNode = fleet.veleroNode(source);
      int starts = sourceNode.starts("velero");
      long pid = sourceNode.veleroServerPid("velero").orElseThrow();
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
      await("velero server restarted after a crash").atMost(Duration.ofSeconds(60))
          .until(() -> sourceNode.starts("velero") == starts + 1 && deploymentReady(src));
      assertThat(sourceNode.veleroServerPid("velero")).isPresent().get().isNotEqualTo(pid);

      // Deleting the Deployment stops the velero server process.
      src.apps().deployments().inNamespace("velero").withName("velero").delete();
      await("velero server stopped").atMost(Duration.ofSeconds(60))
          .until(() -> !fleet.veleroNode(source).isVeleroServerRunning());
      assertThat(fleet.veleroNode(target).isVeleroServerRunning()).isTrue();
    }
  }

  private static ResourceDefinitionContext velero(String plural, String kind) {
    return new ResourceDefinitionContext.Builder()
        .withGroup("velero.io").withVersion("v1").withPlural(plural).withKind(kind).withNamespaced(true).build();
  }

  private static GenericKubernetesResource veleroObject(String kind, String name, Map<String, Object> spec) {
    return new GenericKubernetesResourceBuilder()
        .withApiVersion("velero.io/v1").withKind(kind)
        .withNewMetadata().withName(name).withNamespace("velero").endMetadata()
        .withAdditionalProperties(Map.of("spec", spec))
        .build();
  }

  private static String phase(KubernetesClient c, ResourceDefinitionContext ctx, String name) {
    GenericKubernetesResource r = c.genericKubernetesResources(ctx).inNamespace("velero").withName(name).get();
    if (r == null) {
      return "";
    }
    Object status = r.getAdditionalProperties().get("status");
    return status instanceof Map<?, ?> m ? String.valueOf(Optional.ofNullable(m.get("phase")).orElse("")) : "";
  }

  private static boolean terminal(String phase) {
    return List.of("Completed", "PartiallyFailed", "Failed", "FailedValidation").contains(phase);
  }

  private static boolean jobSucceeded(KubernetesClient c, String name) {
    Job j = c.batch().v1().jobs().inNamespace("velero").withName(name).get();
    return j != null && j.getStatus() != null && Integer.valueOf(1).equals(j.getStatus().getSucceeded());
  }

  private static boolean deploymentReady(KubernetesClient c) {
    Deployment d = c.apps().deployments().inNamespace("velero").withName("velero").get();
    return d != null && d.getStatus() != null && Integer.valueOf(1).equals(d.getStatus().getReadyReplicas())
        && Integer.valueOf(1).equals(d.getStatus().getAvailableReplicas());
  }

  private static String veleroLog(TestFleet fleet, Member m) {
    return "velero server log: " + fleet.veleroNode(m).veleroServerLog("velero") + "\n"
        + ManagedProcess.tail(fleet.veleroNode(m).veleroServerLog("velero"), 6000);
  }
}
