package dev.fleetbackup.validate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Velero's Backup, Schedule and Restore fields in the policies, validated as Velero would: each rule with a good and a bad input. */
class VeleroPolicyFieldsTest {
  @TempDir
  Path dir;
  private int repos;

  /** The sample repo with a Backup {@code name} (scheduled when {@code schedule} is not empty) whose policy holds {@code policyLines}, from line 12, column 5. */
  private ConfigRepo backupWith(String schedule, String policyLines) {
    return ConfigRepo.sample(dir.resolve("repo-" + ++repos)).write("backups/extra.yaml", """
        apiVersion: backup.kurator.dev/v1alpha1
        kind: Backup
        metadata:
          name: extra
        spec:
          schedule: "%s"
          destination:
            fleet: quickstart
          policy:
            resourceFilter:
              includedNamespaces: [shop]
        %s""".formatted(schedule, policyLines.stripIndent().indent(4)));
  }

  /** The sample repo with a Restore of the sample's nightly Backup whose policy holds {@code policyLines}, from line 8, column 5. */
  private ConfigRepo restoreWith(String policyLines) {
    return ConfigRepo.sample(dir.resolve("repo-" + ++repos)).write("restores/extra.yaml", """
        apiVersion: backup.kurator.dev/v1alpha1
        kind: Restore
        metadata:
          name: extra
        spec:
          backupName: nightly
          policy:
        %s""".formatted(policyLines.stripIndent().indent(4)));
  }

  @Test
  void everyVeleroBackupAndScheduleFieldIsAccepted() {
    String backupFields = """
        snapshotVolumes: false
        defaultVolumesToFsBackup: true
        snapshotMoveData: true
        datamover: velero
        hooks:
          resources:
            - name: freeze
              includedNamespaces: [shop]
              labelSelector: {matchLabels: {app: db}}
              pre: [{exec: {container: db, command: [/bin/sh, -c, sync], onError: Fail, timeout: 30s}}]
              post: [{exec: {command: [/bin/true]}}]
        resourcePolicy: {kind: configmap, name: skip-logs}
        csiSnapshotTimeout: 10m
        itemOperationTimeout: 4h30m
        storageLocation: default
        """;
    assertThat(backupWith("", backupFields).problems()).isEmpty();
    assertThat(backupWith("@every 1h", backupFields + """
        paused: true
        skipImmediately: false
        useOwnerReferencesInBackup: true
        """).problems()).isEmpty();
  }

  @Test
  void durationsAreGoDurations() {
    ConfigRepo repo = backupWith("", """
        csiSnapshotTimeout: 10 minutes
        itemOperationTimeout: -1h
        hooks:
          resources:
            - name: freeze
              pre: [{exec: {command: [sync], timeout: "30"}}]
        """);

    assertThat(repo.problems()).containsExactly(
        "backups/extra.yaml:12:25: error: csiSnapshotTimeout \"10 minutes\": not a Go duration such as 10m, 1h30m or 4h",
        "backups/extra.yaml:13:27: error: itemOperationTimeout \"-1h\": not a Go duration such as 10m, 1h30m or 4h",
        "backups/extra.yaml:17:51: error: timeout \"30\": not a Go duration such as 10m, 1h30m or 4h");
  }

  @Test
  void aMisspeltHookFieldIsAnUnknownField() {
    ConfigRepo repo = backupWith("", """
        hooks:
          resources:
            - name: freeze
              includedNamespace: [shop]
              pre: [{exec: {commands: [sync]}}]
        """);

    assertThat(repo.problems()).contains(
        "backups/extra.yaml:15:11: error: unknown field \"spec.policy.hooks.resources[0].includedNamespace\"",
        "backups/extra.yaml:16:25: error: unknown field \"spec.policy.hooks.resources[0].pre[0].exec.commands\"");
  }

  @Test
  void scheduleFieldsNeedASchedule() {
    ConfigRepo repo = backupWith("", """
        paused: true
        useOwnerReferencesInBackup: false
        """);

    assertThat(repo.problems()).containsExactly(
        "backups/extra.yaml:12:13: error: paused is a field of Velero's Schedule: it applies to a scheduled Backup only, and this one has no schedule",
        "backups/extra.yaml:13:33: error: useOwnerReferencesInBackup is a field of Velero's Schedule: it applies to a scheduled Backup only,"
            + " and this one has no schedule");
  }

  @Test
  void skipImmediatelyTrueIsRefusedWithTheServerFlagInstead() {
    assertThat(backupWith("@daily", "skipImmediately: true").problems()).containsExactly(
        "backups/extra.yaml:12:22: error: skipImmediately: true is refused: Velero sets it back to false once it has skipped the first run,"
            + " and fleet-backup, applying the policy every pass, would set it again and skip every run; give the Velero server"
            + " --schedule-skip-immediately=true in the fleet's extraArgs.configuration.extraArgs instead");
  }

  @Test
  void volumeSnapshotLocationsNeedTheFleetsSnapshots() {
    assertThat(backupWith("", "volumeSnapshotLocations: [default]").problems()).containsExactly(
        "backups/extra.yaml:12:30: error: fleet \"quickstart\" gives its members no volume snapshot location: set"
            + " extraArgs.snapshotsEnabled: true in its backup plugin");
    ConfigRepo withSnapshots = backupWith("", "volumeSnapshotLocations: [default]");
    withSnapshots.write("fleet/quickstart.yaml", ConfigRepo.read(withSnapshots.root.resolve("fleet/quickstart.yaml"))
        + "      extraArgs: {snapshotsEnabled: true}\n");
    assertThat(withSnapshots.problems()).isEmpty();
    assertThat(backupWith("", "volumeSnapshotLocations: [aws-east]").problems()).singleElement().asString()
        .startsWith("backups/extra.yaml:12:31: error: spec.policy.volumeSnapshotLocations[0]: ");
  }

  @Test
  void referencesAndLocationsAreVelerosKinds() {
    assertThat(backupWith("", """
        resourcePolicy: {kind: Secret, name: x}
        storageLocation: elsewhere
        """).problems()).extracting(p -> p.substring(0, p.indexOf(": error:"))).containsExactly(
        "backups/extra.yaml:12:28", "backups/extra.yaml:13:22");
  }

  @Test
  void aDatamoverWithoutSnapshotMoveDataIsAWarning() {
    assertThat(backupWith("", "datamover: velero").problems()).containsExactly(
        "backups/extra.yaml:12:16: warning: datamover has no effect without snapshotMoveData: true");
  }

  @Test
  void everyVeleroRestoreFieldIsAccepted() {
    assertThat(restoreWith("""
        existingResourcePolicy: update
        restorePVs: false
        resourceModifier: {kind: ConfigMap, name: relabel}
        itemOperationTimeout: 1h
        hooks:
          resources:
            - name: warm
              includedNamespaces: [shop]
              postHooks:
                - exec: {container: web, command: [/bin/warm], execTimeout: 1m, waitTimeout: 5m, waitForReady: true, onError: Continue}
                - init: {initContainers: [{name: seed, image: "busybox:1.36", command: [sh, -c, "echo seeded"]}], timeout: 2m}
        """).problems()).isEmpty();
  }

  @Test
  void restoreFieldsAreCheckedAsVeleroChecksThem() {
    ConfigRepo repo = restoreWith("""
        existingResourcePolicy: overwrite
        """);
    assertThat(repo.problems()).singleElement().asString().startsWith("restores/extra.yaml:8:29: error: spec.policy.existingResourcePolicy: ");

    assertThat(restoreWith("""
        itemOperationTimeout: soon
        hooks:
          resources:
            - name: warm
              postHooks:
                - exec: {command: [x], execTimeout: 1m, waitTimeout: forever}
                - init: {initContainers: [{name: seed, image: "Busy Box"}], timeout: 2m}
        scheduleName: kurator-member1-backup-default-nightly
        """).problems()).containsExactly(
        "restores/extra.yaml:8:27: error: itemOperationTimeout \"soon\": not a Go duration such as 10m, 1h30m or 4h",
        "restores/extra.yaml:13:66: error: waitTimeout \"forever\": not a Go duration such as 10m, 1h30m or 4h",
        "restores/extra.yaml:14:59: error: image \"Busy Box\" is not an image reference such as velero/velero-plugin-for-gcp:v1.14.0"
            + " ([registry[:port]/]path[:tag][@sha256:digest])",
        "restores/extra.yaml:15:19: error: scheduleName is refused: backupName of a scheduled Backup already restores the newest"
            + " Completed run of its Schedule in each cluster, as Velero's scheduleName does, and Velero takes one of backupName and"
            + " scheduleName, never both");
  }
}
