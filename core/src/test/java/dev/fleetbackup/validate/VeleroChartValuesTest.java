package dev.fleetbackup.validate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Fleet's chart and extraArgs are honoured or refused, never ignored: each rule with a good and a bad input. */
class VeleroChartValuesTest {
  @TempDir
  Path dir;
  private int repos;

  /** The sample repo's Fleet with {@code backupLines} under {@code spec.plugin.backup}, from line 16, column 7. */
  private ConfigRepo fleetWith(String backupLines) {
    return ConfigRepo.sample(dir.resolve("repo-" + ++repos)).write("fleet/quickstart.yaml", """
        apiVersion: fleet.kurator.dev/v1alpha1
        kind: Fleet
        metadata:
          name: quickstart
        spec:
          clusters:
            - {name: kurator-member1, kind: AttachedCluster}
            - {name: kurator-member2, kind: AttachedCluster}
            - {name: kurator-member3, kind: AttachedCluster}
          plugin:
            backup:
              storage:
                location: {bucket: velero, provider: aws, endpoint: "http://minio:9000", region: minio}
                secretName: minio-credentials
        %s""".formatted(backupLines.stripIndent().indent(6)));
  }

  @Test
  void everyMappedValueIsAccepted() {
    ConfigRepo repo = fleetWith("""
        chart: {repository: https://vmware-tanzu.github.io/helm-charts, name: velero, version: 12.1.0}
        extraArgs:
          image: {repository: registry.example.com:5000/mirror/velero, tag: v1.18.1, pullPolicy: Always}
          resources: {requests: {cpu: 250m, memory: 256Mi}, limits: {cpu: 2, memory: 1Gi}}
          initContainers:
            - name: velero-plugin-for-gcp
              image: velero/velero-plugin-for-gcp:v1.14.0
              imagePullPolicy: IfNotPresent
              volumeMounts: [{name: plugins, mountPath: /target}]
          podAnnotations: {example.com/team: storage}
          podLabels: {team: storage}
          tolerations: [{key: dedicated, operator: Equal, value: backup, effect: NoSchedule}]
          nodeSelector: {kubernetes.io/os: linux}
          affinity:
            nodeAffinity:
              requiredDuringSchedulingIgnoredDuringExecution:
                nodeSelectorTerms: [{matchExpressions: [{key: kubernetes.io/arch, operator: In, values: [amd64]}]}]
          priorityClassName: system-cluster-critical
          deployNodeAgent: true
          nodeAgent:
            resources: {requests: {cpu: 100m}}
            tolerations: [{operator: Exists}]
            nodeSelector: {kubernetes.io/os: linux}
            priorityClassName: system-node-critical
            annotations: {example.com/team: storage}
            labels: {team: storage}
            podLabels: {team: storage}
            extraArgs: [--data-mover-prepare-timeout=45m]
          configuration:
            uploaderType: kopia
            defaultVolumesToFsBackup: false
            features: EnableCSI,EnableAPIGroupVersions
            logLevel: debug
            logFormat: json
            extraArgs: [--garbage-collection-frequency=1h, --restore-only, --client-qps=20.5]
          snapshotsEnabled: true
        """);

    assertThat(repo.problems()).isEmpty();
  }

  @Test
  void aChartValueFleetBackupDoesNotMapIsAnErrorAtItsKey() {
    ConfigRepo repo = fleetWith("""
        extraArgs:
          upgradeCRDs: false
          defaultVolumesToFsBackup: true
          configuration:
            backupSyncPeriod: 1h
        """);

    String why = ": not a Velero chart value fleet-backup maps (see the README's table); it refuses the others rather than ignore them";
    assertThat(repo.problems()).containsExactly(
        "fleet/quickstart.yaml:16:9: error: unknown field \"spec.plugin.backup.extraArgs.upgradeCRDs\"" + why,
        "fleet/quickstart.yaml:17:9: error: unknown field \"spec.plugin.backup.extraArgs.defaultVolumesToFsBackup\"" + why,
        "fleet/quickstart.yaml:19:11: error: unknown field \"spec.plugin.backup.extraArgs.configuration.backupSyncPeriod\"" + why);
  }

  @Test
  void aChartVersionOfAnotherVeleroIsRefusedWithTheSupportedRange() {
    String supported = "; supported: Velero v1.18.1 (chart 12.0.2, 12.0.3, 12.1.0)";
    assertThat(fleetWith("chart: {version: 5.0.2}").problems()).containsExactly(
        "fleet/quickstart.yaml:15:24: error: chart version \"5.0.2\" ships Velero v1.11.1, which fleet-backup is not tested with" + supported);
    assertThat(fleetWith("chart: {version: 99.0.0}").problems()).containsExactly(
        "fleet/quickstart.yaml:15:24: error: chart version \"99.0.0\" is not a Velero chart release fleet-backup knows" + supported);
    assertThat(fleetWith("chart: {version: 12.0.2}").problems()).isEmpty();
  }

  @Test
  void anotherChartIsRefusedAndAnotherRepositoryIsSaidToBeUnread() {
    assertThat(fleetWith("chart: {name: velero-fork, repository: https://charts.example.com}").problems()).containsExactly(
        "fleet/quickstart.yaml:15:21: error: chart \"velero-fork\": fleet-backup installs Velero as the velero chart of"
            + " https://vmware-tanzu.github.io/helm-charts does, and no other chart",
        "fleet/quickstart.yaml:15:46: warning: chart repository \"https://charts.example.com\" is not read: fleet-backup renders"
            + " the Velero chart's objects itself and fetches no chart; the images come from extraArgs.image and extraArgs.initContainers");
  }

  @Test
  void imagesAreCheckedAsImageReferences() {
    ConfigRepo repo = fleetWith("""
        extraArgs:
          image: {repository: "Velero/velero:v1", tag: v1.17.0}
          initContainers:
            - {name: gcp, image: "velero/plugin:bad tag"}
            - {name: gcp, image: velero/velero-plugin-for-gcp@sha256:0123456789abcdef0123456789abcdef}
        """);

    assertThat(repo.problems()).containsExactly(
        "fleet/quickstart.yaml:16:29: error: image.repository \"Velero/velero:v1\" is not an image repository such as"
            + " docker.io/velero/velero (lower-case path components, an optional registry host and port, no tag)",
        "fleet/quickstart.yaml:16:54: error: image.tag \"v1.17.0\" is not a Velero version fleet-backup is tested with;"
            + " supported: Velero v1.18.1 (chart 12.0.2, 12.0.3, 12.1.0)",
        "fleet/quickstart.yaml:18:32: error: initContainers[] image \"velero/plugin:bad tag\" is not an image reference such as"
            + " velero/velero-plugin-for-gcp:v1.14.0 ([registry[:port]/]path[:tag][@sha256:digest])",
        "fleet/quickstart.yaml:19:20: error: init container \"gcp\" is listed twice");
  }

  @Test
  void flagsAreVelerosOwnWithValuesOfTheirKind() {
    ConfigRepo repo = fleetWith("""
        extraArgs:
          configuration:
            features: EnableCSI,EnableMagic
            extraArgs: [--plugin-dir=/tmp, --log-level=debug, --garbage-collection-frequency=soon, "rm -rf /", --client-burst]
          nodeAgent:
            extraArgs: [--resource-timeout=10m, --metrics-address=:1]
        """);

    assertThat(repo.problems()).containsExactly(
        "fleet/quickstart.yaml:17:21: error: feature \"EnableMagic\" is not a Velero v1.18 feature flag; write a comma-separated list"
            + " of EnableAPIGroupVersions, EnableCSI",
        "fleet/quickstart.yaml:18:23: error: --plugin-dir is not a flag of velero server that fleet-backup passes on; it takes"
            + " --backup-repository-configmap, --backup-sync-period, --client-burst, --client-page-size, --client-qps, --concurrent-backups,"
            + " --default-backup-ttl, --default-item-operation-timeout, --default-repo-maintain-frequency, --default-snapshot-move-data,"
            + " --default-volume-snapshot-locations, --disable-controllers, --disable-informer-cache, --fs-backup-timeout,"
            + " --garbage-collection-frequency, --item-block-worker-count, --item-operation-sync-frequency,"
            + " --max-concurrent-k8s-connections, --repo-maintenance-job-configmap, --resource-timeout, --restore-only,"
            + " --restore-resource-priorities, --schedule-skip-immediately, --store-validation-frequency,"
            + " --terminating-resource-timeout, --volume-group-snapshot-label-key",
        "fleet/quickstart.yaml:18:42: error: --log-level has a chart value of its own: set configuration.logLevel",
        "fleet/quickstart.yaml:18:61: error: --garbage-collection-frequency=\"soon\": the value must be a Go duration such as 1h or 30m",
        "fleet/quickstart.yaml:18:98: error: \"rm -rf /\" is not a flag: write --name or --name=value",
        "fleet/quickstart.yaml:18:110: error: --client-burst needs a value: --client-burst=…",
        "fleet/quickstart.yaml:20:47: error: --metrics-address is not a flag of velero node-agent server that fleet-backup passes on;"
            + " it takes --backup-repository-configmap, --data-mover-prepare-timeout, --node-agent-configmap, --resource-timeout");
  }

  @Test
  void podsKeepTheirSelectorLabelsAndTolerationsAreWhatKubernetesTakes() {
    ConfigRepo repo = fleetWith("""
        extraArgs:
          podLabels: {deploy: mine}
          tolerations: [{key: a, operator: Exists, value: b}, {operator: Equal, value: c}, {key: d, tolerationSeconds: 30}]
          nodeAgent:
            podLabels: {role: mine}
        """);

    assertThat(repo.problems()).containsExactly(
        "fleet/quickstart.yaml:16:29: error: label \"deploy\" is fleet-backup's: the pods' selector and Velero's own lookups use it",
        "fleet/quickstart.yaml:17:57: error: a toleration with operator Exists takes no value",
        "fleet/quickstart.yaml:17:61: error: a toleration without a key needs operator Exists",
        "fleet/quickstart.yaml:17:118: error: tolerationSeconds needs effect NoExecute",
        "fleet/quickstart.yaml:19:29: error: label \"role\" is fleet-backup's: the pods' selector and Velero's own lookups use it");
  }

  @Test
  void anInitContainerRunsItsImagesEntrypointOnlyAndQuantitiesAreKubernetesOnes() {
    ConfigRepo repo = fleetWith("""
        extraArgs:
          resources: {requests: {cpu: lots}}
          initContainers:
            - {name: evil, image: busybox, command: [sh, -c, "curl x | sh"]}
        """);

    assertThat(repo.problems()).containsExactly(
        "fleet/quickstart.yaml:16:37: error: spec.plugin.backup.extraArgs.resources.requests.cpu: \"lots\" is not a Kubernetes quantity"
            + " such as 500m, 1 or 512Mi",
        "fleet/quickstart.yaml:18:42: error: unknown field \"spec.plugin.backup.extraArgs.initContainers[0].command\": not a Velero"
            + " chart value fleet-backup maps (see the README's table); it refuses the others rather than ignore them");
  }

  @Test
  void snapshotsNeedTheLocationsRegion() {
    ConfigRepo repo = ConfigRepo.sample(dir).write("fleet/quickstart.yaml", """
        apiVersion: fleet.kurator.dev/v1alpha1
        kind: Fleet
        metadata:
          name: quickstart
        spec:
          clusters:
            - {name: kurator-member1, kind: AttachedCluster}
            - {name: kurator-member2, kind: AttachedCluster}
            - {name: kurator-member3, kind: AttachedCluster}
          plugin:
            backup:
              storage:
                location: {bucket: velero, provider: aws, endpoint: "http://minio:9000"}
                secretName: minio-credentials
              extraArgs: {snapshotsEnabled: true}
        """);

    assertThat(repo.problems()).containsExactly("fleet/quickstart.yaml:15:37: error: snapshotsEnabled needs storage.location.region:"
        + " the volume snapshot location of the AWS plugin takes the region its snapshots are in");
  }
}
