package dev.fleetbackup.report;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** The per-object files read as {@code kubectl get backup -o yaml} would show a Kurator object. */
class KuratorStatusFilesTest {
  private final Map<String, byte[]> files = new StatusFiles().render(SampleReports.quickstart());

  private String text(String path) {
    return new String(files.get(path), UTF_8);
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> yaml(String path) {
    return (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(text(path));
  }

  @SuppressWarnings("unchecked")
  private static Object at(Object node, Object... path) {
    Object current = node;
    for (Object step : path) {
      current = step instanceof Integer index ? ((List<Object>) current).get(index) : ((Map<String, Object>) current).get(step);
    }
    return current;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> mapAt(Object node, Object... path) {
    return (Map<String, Object>) at(node, path);
  }

  @Test
  void scheduledBackupHasKuratorsBackupDetailsWithVelerosStatusOfEachCluster() {
    Map<String, Object> backup = yaml("backups/default/nightly.yaml");

    assertThat(backup).containsEntry("apiVersion", "backup.kurator.dev/v1alpha1").containsEntry("kind", "Backup");
    assertThat(at(backup, "metadata")).isEqualTo(Map.of("name", "nightly", "namespace", "default"));
    assertThat(at(backup, "status", "phase")).isEqualTo("Failed");
    assertThat(at(backup, "status", "conditions", 0)).isEqualTo(Map.of(
        "type", "Ready", "status", "False", "reason", "ScheduleMissed",
        "message", "kurator-member2 has no completed run in the last 24 h",
        "lastTransitionTime", "2026-11-24T02:35:03Z"));

    // as Kurator's controller: the Schedule's newest completed run, not the PartiallyFailed one after it
    Map<String, Object> member2 = mapAt(backup, "status", "backupDetails", 1);
    assertThat(member2).containsEntry("clusterName", "kurator-member2").containsEntry("clusterKind", "AttachedCluster")
        .containsEntry("backupNameInCluster", "kurator-member2-backup-default-nightly-20261123020000");
    // Velero's whole BackupStatus, by its field names, what it leaves out left out
    assertThat(at(member2, "backupStatusInCluster")).isEqualTo(Map.ofEntries(
        Map.entry("phase", "Completed"),
        Map.entry("version", 1),
        Map.entry("formatVersion", "1.1.0"),
        Map.entry("startTimestamp", "2026-11-23T02:00:00Z"),
        Map.entry("completionTimestamp", "2026-11-23T02:20:05Z"),
        Map.entry("expiration", "2026-12-23T02:00:00Z"),
        Map.entry("progress", Map.of("totalItems", 975, "itemsBackedUp", 975)),
        Map.entry("volumeSnapshotsAttempted", 2),
        Map.entry("volumeSnapshotsCompleted", 2),
        Map.entry("csiVolumeSnapshotsAttempted", 3),
        Map.entry("csiVolumeSnapshotsCompleted", 3),
        Map.entry("backupItemOperationsAttempted", 3),
        Map.entry("backupItemOperationsCompleted", 3),
        Map.entry("hookStatus", Map.of("hooksAttempted", 4))));
  }

  @Test
  void aClusterWhoseScheduleHasCompletedNoRunHasNeitherNameNorStatusInCluster() {
    Map<String, Object> member3 = mapAt(yaml("backups/default/nightly.yaml"), "status", "backupDetails", 2);

    assertThat(member3).isEqualTo(Map.of("clusterName", "kurator-member3", "clusterKind", "AttachedCluster"));
  }

  @Test
  void aOneTimeBackupNamesItsRunAndShowsItsStatus() {
    Map<String, Object> member1 = mapAt(yaml("backups/default/select-labels.yaml"), "status", "backupDetails", 0);

    assertThat(member1).containsEntry("backupNameInCluster", "kurator-member1-backup-default-select-labels");
    assertThat(at(member1, "backupStatusInCluster", "phase")).isEqualTo("Completed");
  }

  @Test
  void restoreHasRestoreDetails() {
    Map<String, Object> restore = yaml("restores/default/minimal.yaml");

    assertThat(at(restore, "kind")).isEqualTo("Restore");
    assertThat(at(restore, "status", "restoreDetails", 0)).isEqualTo(Map.of(
        "clusterName", "kurator-member1",
        "clusterKind", "AttachedCluster",
        "restoreNameInCluster", "kurator-member1-restore-default-minimal",
        "restoreStatusInCluster", Map.of(
            "phase", "Completed",
            "startTimestamp", "2026-11-25T13:52:00Z",
            "completionTimestamp", "2026-11-25T13:52:14Z",
            "progress", Map.of("totalItems", 37, "itemsRestored", 37))));
  }

  @Test
  void migrationHasSourceClusterStatusAndTargetClusterStatus() {
    Map<String, Object> migrate = yaml("migrations/default/shop-to-east.yaml");

    assertThat(at(migrate, "kind")).isEqualTo("Migrate");
    assertThat(at(migrate, "status", "phase")).isEqualTo("RestoreInProgress");
    assertThat(at(migrate, "status", "sourceClusterStatus", "clusterName")).isEqualTo("kurator-member1");
    assertThat(at(migrate, "status", "sourceClusterStatus", "backupNameInCluster"))
        .isEqualTo("kurator-member1-migrate-default-shop-to-east");
    assertThat(at(migrate, "status", "sourceClusterStatus", "backupStatusInCluster", "phase")).isEqualTo("Completed");
    assertThat(at(migrate, "status", "targetClusterStatus", 0)).isEqualTo(Map.of(
        "clusterName", "kurator-member2",
        "clusterKind", "AttachedCluster",
        "restoreNameInCluster", "kurator-member2-migrate-default-shop-to-east",
        "restoreStatusInCluster", Map.of(
            "phase", "InProgress",
            "startTimestamp", "2026-11-25T13:57:02Z",
            "progress", Map.of("totalItems", 412, "itemsRestored", 169))));
  }

  @Test
  void looksLikeKubectlOutputKeysInOrderAndBooleanLookingStringsQuoted() {
    String text = text("backups/default/nightly.yaml");

    assertThat(text).startsWith("# Backup default/nightly as fleet-backup last observed it")
        .contains("\napiVersion: backup.kurator.dev/v1alpha1\nkind: Backup\nmetadata:\n  name: nightly\n"
            + "  namespace: default\nstatus:\n  backupDetails:\n  - backupNameInCluster:")
        .contains("    status: \"False\"\n")
        .doesNotContain("null", "\t", "\r");
  }
}
