package dev.fleetbackup.validate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetbackup.model.Diagnostic;
import dev.fleetbackup.source.DirectoryReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kurator's own files, as its repository publishes them ({@code fixtures/kurator/}, each with a
 * header naming its source and commit), validate as they are.
 */
class KuratorExamplesTest {
  private static final Path KURATOR = Path.of("core/src/test/resources/fixtures/kurator");
  private static final String SKIPPED = ": not a kind fleet-backup manages";

  @TempDir
  Path dir;

  private static ValidationReport validate(Path folder) throws IOException {
    return new Validator().validate(new DirectoryReader(folder).read("test", ""));
  }

  private ValidationReport validateAlone(String file) throws IOException {
    Files.copy(KURATOR.resolve("plugins").resolve(file), dir.resolve(file));
    return validate(dir);
  }

  @Test
  void theBackupExamplesValidateWithOneNoticePerWorkloadDocument() throws IOException {
    ValidationReport report = validate(KURATOR.resolve("backup"));

    assertThat(report.diagnostics()).extracting(Diagnostic::toString).containsExactly(
        "app-backup-demo.yaml:3:7: warning: skipped \"Application\" (\"apps.kurator.dev/v1alpha1\")" + SKIPPED,
        "busybox-demo/busybox.yaml:3:7: warning: skipped \"Namespace\" (\"v1\")" + SKIPPED,
        "busybox-demo/busybox.yaml:8:7: warning: skipped \"Pod\" (\"v1\")" + SKIPPED,
        "busybox-demo/busybox.yaml:25:7: warning: skipped \"Pod\" (\"v1\")" + SKIPPED,
        "busybox-demo/busybox.yaml:49:7: warning: skipped \"PersistentVolumeClaim\" (\"v1\")" + SKIPPED,
        "busybox-demo/busybox.yaml:64:7: warning: skipped \"PersistentVolume\" (\"v1\")" + SKIPPED,
        "busybox-demo/busybox.yaml:86:7: warning: skipped \"StorageClass\" (\"storage.k8s.io/v1\")" + SKIPPED);
    assertThat(report.valid()).isTrue();
    assertThat(report.summary()).isEqualTo("validated 10 files, 16 objects: 0 errors, 7 warnings");
    // The cross-file rules saw the policies beside the skipped files.
    assertThat(report.policies().size()).isEqualTo(9);
  }

  @Test
  void theSubmarinerExampleValidates() throws IOException {
    assertThat(validateAlone("submariner-plugin.yaml").diagnostics()).isEmpty();
  }

  @Test
  void theMetricAndGrafanaExampleValidates() throws IOException {
    assertThat(validateAlone("metric-plugin.yaml").diagnostics()).isEmpty();
  }

  @Test
  void theKyvernoExampleValidates() throws IOException {
    assertThat(validateAlone("kyverno.yaml").diagnostics()).isEmpty();
  }

  @Test
  void theRolloutDocsFleetValidates() throws IOException {
    assertThat(validateAlone("flagger-plugin.yaml").diagnostics()).isEmpty();
  }

  @Test
  void aFleetOfProvisionedClustersValidatesAndTheClusterDocumentIsSkipped() throws IOException {
    ValidationReport report = validate(KURATOR.resolve("plugins/cluster-members"));

    assertThat(report.valid()).isTrue();
    assertThat(report.policies().attachedCluster("test", "quickstart")).as("a member, reached through quickstart-kubeconfig").isPresent();
    assertThat(report.diagnostics()).extracting(Diagnostic::toString).containsExactly(
        "quickstart.yaml:3:7: warning: skipped \"Cluster\" (\"cluster.kurator.dev/v1alpha1\")" + SKIPPED);
  }
}
