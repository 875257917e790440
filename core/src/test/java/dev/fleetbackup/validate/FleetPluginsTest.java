package dev.fleetbackup.validate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every plugin of Kurator's Fleet API is accepted as Kurator defines it; a typo in one is still an error. */
class FleetPluginsTest {
  @TempDir
  Path dir;

  /** The sample repo's Fleet with {@code pluginLines} under {@code spec.plugin} (from line 13, column 5). */
  private ConfigRepo fleetWith(String pluginLines) {
    return ConfigRepo.sample(dir).write("fleet/quickstart.yaml", """
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
              storage: {location: {bucket: velero, provider: aws, endpoint: "http://minio:9000"}, secretName: minio-credentials}
        %s""".formatted(pluginLines.stripIndent().indent(4)));
  }

  @Test
  void everyKuratorPluginIsAccepted() {
    ConfigRepo repo = fleetWith("""
        submariner:
          brokerCluster: kurator-member1
          clusterCidrs: {kurator-member1: 10.10.0.0/24}
          serviceCidrs: {kurator-member1: 10.96.0.0/16}
          globalcidrs: {kurator-member1: 242.1.0.0/16}
          extraArgs: {ipsec: {psk: secret}}
        metric:
          thanos: {objectStoreConfig: {secretName: thanos-objstore}}
          prometheus: {nodeExporter: {enabled: true}, kubeStateMetrics: {enabled: false}}
        grafana: {chart: {version: 8.2.33}}
        policy:
          kyverno: {podSecurity: {standard: restricted, severity: high, validationFailureAction: Enforce}}
        distributedStorage:
          storage:
            dataDirHostPath: /var/lib/rook
            monitor: {count: 3, labels: {role: mon}}
            manager: {count: 2}
            storage: {useAllNodes: true, devices: [{name: sdb}]}
        flagger:
          publicTestloader: true
          trafficRoutingProvider: kuma
          config: {chart: {name: kuma}}
        """);

    assertThat(repo.problems()).isEmpty();
  }

  @Test
  void aTypoInTheBackupPluginIsStillAnError() throws IOException {
    ConfigRepo repo = ConfigRepo.sample(dir).write("fleet/quickstart.yaml", Files.readString(ConfigRepo.SAMPLE.resolve("fleet/quickstart.yaml"))
        .replace("        secretName: minio-credentials", "        secretname: minio-credentials"));

    assertThat(repo.problems()).contains("fleet/quickstart.yaml:26:9: error: unknown field \"spec.plugin.backup.storage.secretname\"");
  }

  @Test
  void aTypoInAClosedKuratorPluginIsAnError() {
    ConfigRepo repo = fleetWith("""
        submariner:
          clusterCidrs: {kurator-member1: 10.10.0.0/24}
          serviceCidrs: {kurator-member1: 10.96.0.0/16}
          globalCidrs: {kurator-member1: 242.1.0.0/16}
        """);

    assertThat(repo.problems()).containsExactly("fleet/quickstart.yaml:16:7: error: unknown field \"spec.plugin.submariner.globalCidrs\"");
  }

  @Test
  void aPluginMissingWhatKuratorRequiresIsAnError() {
    ConfigRepo repo = fleetWith("""
        flagger:
          publicTestloader: true
        """);

    assertThat(repo.problems()).containsExactly(
        "fleet/quickstart.yaml:14:7: error: missing required field \"spec.plugin.flagger.trafficRoutingProvider\"");
  }

  @Test
  void anUnknownPluginIsAnError() {
    ConfigRepo repo = fleetWith("""
        submarine: {}
        """);

    assertThat(repo.problems()).containsExactly("fleet/quickstart.yaml:13:5: error: unknown field \"spec.plugin.submarine\"");
  }
}
