package dev.fleetbackup.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetbackup.model.PolicySet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The chart values and the Velero policy fields, on the objects each member gets (and so in diff, which shows those objects). */
class VeleroValuesPlanTest {
  private static final String VALUES = """
        chart: {version: 12.1.0}
        extraArgs:
          image: {repository: docker.io/velero/velero, tag: v1.18.1, pullPolicy: Always}
          resources: {requests: {cpu: 250m, memory: 256Mi}, limits: {memory: 1Gi}}
          initContainers:
            - {name: velero-plugin-for-gcp, image: "velero/velero-plugin-for-gcp:v1.14.0"}
          podAnnotations: {example.com/team: storage}
          podLabels: {team: storage}
          tolerations: [{key: dedicated, operator: Equal, value: backup, effect: NoSchedule}]
          nodeSelector: {kubernetes.io/os: linux}
          affinity:
            nodeAffinity:
              requiredDuringSchedulingIgnoredDuringExecution:
                nodeSelectorTerms: [{matchExpressions: [{key: kubernetes.io/arch, operator: In, values: [amd64]}]}]
          priorityClassName: system-cluster-critical
          nodeAgent:
            resources: {requests: {cpu: 100m, memory: 64Mi}}
            tolerations: [{operator: Exists}]
            podLabels: {team: storage}
            extraArgs: [--data-mover-prepare-timeout=45m]
          configuration:
            defaultVolumesToFsBackup: false
            features: EnableCSI
            logLevel: debug
            extraArgs: [--garbage-collection-frequency=1h]
          snapshotsEnabled: true
  """;

  @TempDir
  Path temp;
  private Path dir;
  private int repos;

  private MemberPlan plan(String backupPluginLines, String... files) {
    dir = temp.resolve("repo-" + ++repos);
    copySample();
    append("fleet/quickstart.yaml", backupPluginLines);
    for (int i = 0; i < files.length; i += 2) {
      write(files[i], files[i + 1]);
    }
    PolicySet policies = Fixtures.policies(dir);
    return new Planner(PlanSettings.DEFAULTS).plan(policies, Fixtures.credentials(policies)).member("kurator-member1").orElseThrow();
  }

  @Test
  void theServerGetsTheChartValues() {
    JsonNode template = object(plan(VALUES), ManagedKind.DEPLOYMENT, "velero").path("spec").path("template");
    JsonNode pod = template.path("spec");
    JsonNode server = pod.path("containers").get(0);
    assertThat(server.path("image").asString()).isEqualTo("docker.io/velero/velero:v1.18.1");
    assertThat(server.path("imagePullPolicy").asString()).isEqualTo("Always");
    assertThat(server.path("args").toString()).isEqualTo(
        "[\"server\",\"--uploader-type=kopia\",\"--features=EnableCSI\",\"--log-level=debug\",\"--garbage-collection-frequency=1h\"]");
    assertThat(server.path("resources").toString()).isEqualTo("{\"limits\":{\"memory\":\"1Gi\"},\"requests\":{\"cpu\":\"250m\",\"memory\":\"256Mi\"}}");
    assertThat(pod.path("initContainers")).extracting(c -> c.path("name").asString() + " " + c.path("image").asString()
        + " " + c.path("volumeMounts").toString()).containsExactly(
        "velero-plugin-for-aws velero/velero-plugin-for-aws:v1.14.2 [{\"mountPath\":\"/target\",\"name\":\"plugins\"}]",
        "velero-plugin-for-gcp velero/velero-plugin-for-gcp:v1.14.0 [{\"mountPath\":\"/target\",\"name\":\"plugins\"}]");
    assertThat(template.path("metadata").path("labels").toString()).isEqualTo("{\"component\":\"velero\",\"deploy\":\"velero\",\"team\":\"storage\"}");
    assertThat(template.path("metadata").path("annotations").path("example.com/team").asString()).isEqualTo("storage");
    assertThat(template.path("metadata").path("annotations").path("prometheus.io/scrape").asString()).isEqualTo("true");
    assertThat(pod.path("tolerations").toString()).isEqualTo("[{\"effect\":\"NoSchedule\",\"key\":\"dedicated\",\"operator\":\"Equal\",\"value\":\"backup\"}]");
    assertThat(pod.path("nodeSelector").toString()).isEqualTo("{\"kubernetes.io/os\":\"linux\"}");
    assertThat(pod.path("affinity").path("nodeAffinity").path("requiredDuringSchedulingIgnoredDuringExecution")
        .path("nodeSelectorTerms").get(0).path("matchExpressions").get(0).path("values").toString()).isEqualTo("[\"amd64\"]");
    assertThat(pod.path("priorityClassName").asString()).isEqualTo("system-cluster-critical");
  }

  @Test
  void theNodeAgentTheCrdJobAndTheSnapshotLocationGetTheirsToo() {
    MemberPlan plan = plan(VALUES);
    JsonNode agentPod = object(plan, ManagedKind.DAEMON_SET, "node-agent").path("spec").path("template");
    JsonNode agent = agentPod.path("spec").path("containers").get(0);
    assertThat(agent.path("image").asString()).isEqualTo("docker.io/velero/velero:v1.18.1");
    assertThat(agent.path("args").toString()).isEqualTo(
        "[\"node-agent\",\"server\",\"--features=EnableCSI\",\"--log-level=debug\",\"--data-mover-prepare-timeout=45m\"]");
    assertThat(agent.path("resources").toString()).isEqualTo("{\"requests\":{\"cpu\":\"100m\",\"memory\":\"64Mi\"}}");
    assertThat(agentPod.path("spec").path("tolerations").toString()).isEqualTo("[{\"operator\":\"Exists\"}]");
    assertThat(agentPod.path("metadata").path("labels").path("team").asString()).isEqualTo("storage");
    assertThat(object(plan, ManagedKind.JOB, "velero-upgrade-crds").path("spec").path("template").path("spec").path("containers").get(0)
        .path("image").asString()).isEqualTo("docker.io/velero/velero:v1.18.1");
    JsonNode snapshots = object(plan, ManagedKind.VOLUME_SNAPSHOT_LOCATION, "default");
    assertThat(snapshots.path("spec").toString()).isEqualTo("{\"provider\":\"aws\",\"config\":{\"region\":\"minio\"}}");
    assertThat(snapshots.path("apiVersion").asString()).isEqualTo("velero.io/v1");
  }

  @Test
  void withoutTheNodeAgentThereIsNoDaemonSetAndWithoutValuesTheInstallIsKuratorsDefault() {
    assertThat(plan("      extraArgs: {deployNodeAgent: false}\n").refs()).extracting(ObjectRef::toString)
        .doesNotContain("DaemonSet/velero/node-agent").doesNotContain("VolumeSnapshotLocation/velero/default");
    JsonNode server = object(plan(""), ManagedKind.DEPLOYMENT, "velero").path("spec").path("template").path("spec").path("containers").get(0);
    assertThat(server.path("args").toString()).isEqualTo("[\"server\",\"--uploader-type=kopia\",\"--default-volumes-to-fs-backup\"]");
    assertThat(server.path("image").asString()).isEqualTo("velero/velero:v1.18.1");
  }

  @Test
  void thePoliciesVeleroFieldsAreOnTheirVeleroObjects() {
    MemberPlan plan = plan(VALUES,
        "backups/now.yaml", """
            apiVersion: backup.kurator.dev/v1alpha1
            kind: Backup
            metadata: {name: now}
            spec:
              destination: {fleet: quickstart}
              policy:
                snapshotVolumes: true
                volumeSnapshotLocations: [default]
                defaultVolumesToFsBackup: true
                hooks: {resources: [{name: freeze, pre: [{exec: {command: [sync], timeout: 30s}}]}]}
                resourcePolicy: {kind: ConfigMap, name: skip-logs}
                csiSnapshotTimeout: 5m
                itemOperationTimeout: 2h
                storageLocation: default
                snapshotMoveData: true
                datamover: velero
            """,
        "backups/hourly.yaml", """
            apiVersion: backup.kurator.dev/v1alpha1
            kind: Backup
            metadata: {name: hourly}
            spec:
              schedule: "@every 1h"
              destination: {fleet: quickstart}
              policy: {paused: true, skipImmediately: false, useOwnerReferencesInBackup: true, defaultVolumesToFsBackup: false}
            """,
        "restores/now.yaml", """
            apiVersion: backup.kurator.dev/v1alpha1
            kind: Restore
            metadata: {name: now}
            spec:
              backupName: now
              policy:
                existingResourcePolicy: update
                restorePVs: false
                resourceModifier: {kind: ConfigMap, name: relabel}
                itemOperationTimeout: 1h
                hooks: {resources: [{name: warm, postHooks: [{exec: {command: [/bin/warm], waitTimeout: 5m}}]}]}
            """);
    assertThat(object(plan, ManagedKind.BACKUP, "kurator-member1-backup-default-now").path("spec").toString()).isEqualTo(
        "{\"storageLocation\":\"default\",\"snapshotVolumes\":true,"
            + "\"hooks\":{\"resources\":[{\"name\":\"freeze\",\"pre\":[{\"exec\":{\"command\":[\"sync\"],\"timeout\":\"30s\"}}]}]},"
            + "\"volumeSnapshotLocations\":[\"default\"],\"defaultVolumesToFsBackup\":true,\"csiSnapshotTimeout\":\"5m\","
            + "\"itemOperationTimeout\":\"2h\",\"resourcePolicy\":{\"kind\":\"ConfigMap\",\"name\":\"skip-logs\"},"
            + "\"snapshotMoveData\":true,\"datamover\":\"velero\"}");
    JsonNode schedule = object(plan, ManagedKind.SCHEDULE, "kurator-member1-backup-default-hourly").path("spec");
    assertThat(schedule.toString()).isEqualTo("{\"schedule\":\"@every 1h\",\"template\":{\"defaultVolumesToFsBackup\":false},"
        + "\"useOwnerReferencesInBackup\":true,\"paused\":true,\"skipImmediately\":false}");
    JsonNode restore = object(plan, ManagedKind.RESTORE, "kurator-member1-restore-default-now").path("spec");
    assertThat(restore.path("existingResourcePolicy").asString()).isEqualTo("update");
    assertThat(restore.path("restorePVs").toString()).isEqualTo("false");
    assertThat(restore.path("resourceModifier").toString()).isEqualTo("{\"kind\":\"ConfigMap\",\"name\":\"relabel\"}");
    assertThat(restore.path("itemOperationTimeout").asString()).isEqualTo("1h");
    assertThat(restore.path("hooks").path("resources").get(0).path("postHooks").get(0).path("exec").path("waitTimeout").asString())
        .isEqualTo("5m");
  }

  private static JsonNode object(MemberPlan plan, ManagedKind kind, String name) {
    return plan.object(new ObjectRef(kind, "velero", name)).orElseThrow(() -> new AssertionError("no " + kind + " " + name)).manifest();
  }

  private void copySample() {
    try (Stream<Path> files = Files.walk(Fixtures.SAMPLE_REPO)) {
      for (Path source : files.toList()) {
        Path target = dir.resolve(Fixtures.SAMPLE_REPO.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void append(String path, String text) {
    try {
      Files.writeString(dir.resolve(path), Files.readString(dir.resolve(path)) + text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void write(String path, String text) {
    try {
      Files.writeString(dir.resolve(path), text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
