package dev.fleetbackup.validate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetbackup.model.AttachedCluster;
import dev.fleetbackup.model.SecretKeyRef;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CrossFileRulesTest {
  @TempDir
  Path dir;

  private ConfigRepo backup(String name, String specLines) {
    return ConfigRepo.sample(dir.resolve(name)).write("backups/" + name + ".yaml", """
        apiVersion: backup.kurator.dev/v1alpha1
        kind: Backup
        metadata:
          name: %s
        spec:
        %s""".formatted(name, specLines.stripIndent().indent(2)));
  }

  @Test
  void cronNeedsFiveFields() {
    ConfigRepo repo = backup("nightly2", """
        schedule: "0 2 * *"
        destination:
          fleet: quickstart
        """);

    assertThat(repo.problems()).containsExactly("backups/nightly2.yaml:6:13: error: schedule \"0 2 * *\": "
        + "a cron expression needs 5 fields (minute hour day-of-month month day-of-week), got 4");
  }

  @Test
  void cronFormsVeleroAcceptsAreValid() {
    String[] schedules = {"@every 6h", "@daily", "CRON_TZ=Europe/Berlin 0 2 * * *", "*/15 * * * 1-5", "0 2 * * SUN", "0 2 ? * *"};
    for (int i = 0; i < schedules.length; i++) {
      String schedule = schedules[i];
      ConfigRepo repo = backup("every" + i, "schedule: \"" + schedule + "\"\ndestination:\n  fleet: quickstart\n");
      assertThat(repo.problems()).as(schedule).isEmpty();
    }
  }

  @Test
  void sundayIsZeroAsVeleroReadsIt() {
    ConfigRepo repo = backup("sunday", """
        schedule: "0 2 * * 7"
        destination:
          fleet: quickstart
        """);

    assertThat(repo.problems()).containsExactly("backups/sunday.yaml:6:13: error: schedule \"0 2 * * 7\": "
        + "day-of-week \"7\": 7 is above the maximum, 6 (Sunday is 0)");
  }

  @Test
  void cronWithBadValuesOrZoneIsRejected() {
    assertThat(backup("b1", "schedule: \"61 2 * * *\"\ndestination:\n  fleet: quickstart\n").problems())
        .singleElement().asString().startsWith("backups/b1.yaml:6:13: error: schedule \"61 2 * * *\": ");
    assertThat(backup("b2", "schedule: \"CRON_TZ=Mars/Olympus 0 2 * * *\"\ndestination:\n  fleet: quickstart\n").problems())
        .containsExactly("backups/b2.yaml:6:13: error: schedule \"CRON_TZ=Mars/Olympus 0 2 * * *\": unknown time zone \"Mars/Olympus\"");
    assertThat(backup("b3", "schedule: \"@every soon\"\ndestination:\n  fleet: quickstart\n").problems())
        .singleElement().asString().contains("@every needs a Go duration");
  }

  @Test
  void ttlMustBeAGoDuration() {
    ConfigRepo repo = backup("ttl", """
        destination:
          fleet: quickstart
        policy:
          ttl: 30 days
        """);

    assertThat(repo.problems()).containsExactly(
        "backups/ttl.yaml:9:10: error: ttl \"30 days\": not a Go duration such as 720h or 72h30m");
  }

  @Test
  void destinationMustNameAFleetOfTheNamespace() {
    ConfigRepo repo = backup("lost", """
        destination:
          fleet: quickstrat
        """);

    assertThat(repo.problems()).containsExactly(
        "backups/lost.yaml:7:12: error: no Fleet \"quickstrat\" in namespace \"default\" (did you mean \"quickstart\"?)");
  }

  @Test
  void destinationClustersMustBelongToTheFleet() {
    ConfigRepo repo = backup("stray", """
        destination:
          fleet: quickstart
          clusters:
            - name: kurator-member9
              kind: AttachedCluster
        """);

    assertThat(repo.problems()).containsExactly(
        "backups/stray.yaml:9:15: error: cluster \"kurator-member9\" is not a member of fleet \"quickstart\" (did you mean \"kurator-member1\"?)");
  }

  @Test
  void fleetClustersNeedAnAttachedCluster() {
    ConfigRepo repo = ConfigRepo.sample(dir).delete("clusters/kurator-member3.yaml");

    assertThat(repo.problems()).contains(
        "fleet/quickstart.yaml:14:13: error: no AttachedCluster \"kurator-member3\" in namespace \"default\" (did you mean \"kurator-member1\"?)");
  }

  @Test
  void aMemberOfKindClusterIsAMemberReachedThroughClusterApisSecret() {
    ConfigRepo repo = ConfigRepo.sample(dir).write("fleet/network.yaml", """
        apiVersion: fleet.kurator.dev/v1alpha1
        kind: Fleet
        metadata:
          name: network
        spec:
          clusters:
            - name: quickstart
              kind: Cluster
            - name: kurator-member1
              kind: AttachedCluster
        """);

    ValidationReport report = repo.validate();
    assertThat(report.valid()).isTrue();
    assertThat(report.diagnostics()).isEmpty();
    assertThat(report.policies().attachedCluster("default", "quickstart")).get()
        .satisfies(c -> assertThat(c.spec().kubeconfig()).isEqualTo(new SecretKeyRef("quickstart-kubeconfig", "value")));
    assertThat(report.policies().clusters()).extracting(AttachedCluster::name)
        .containsExactly("kurator-member1", "kurator-member2", "kurator-member3", "quickstart");
  }

  @Test
  void aMemberOfKindClusterTakesNoNameAnotherMemberHas() {
    ConfigRepo repo = ConfigRepo.sample(dir).write("fleet/network.yaml", """
        apiVersion: fleet.kurator.dev/v1alpha1
        kind: Fleet
        metadata:
          name: network
        spec:
          clusters:
            - name: kurator-member1
              kind: Cluster
        """).write("fleet/other.yaml", """
        apiVersion: fleet.kurator.dev/v1alpha1
        kind: Fleet
        metadata:
          name: network
          namespace: other
        spec:
          clusters:
            - name: edge2
            - name: edge2
        """).write("fleet/third.yaml", """
        apiVersion: fleet.kurator.dev/v1alpha1
        kind: Fleet
        metadata:
          name: third
        spec:
          clusters:
            - name: edge2
        """);

    assertThat(repo.problems()).containsExactlyInAnyOrder(
        "fleet/network.yaml:7:13: error: cluster \"kurator-member1\" of kind Cluster has the name of AttachedCluster "
            + "\"default/kurator-member1\" at clusters/kurator-member1.yaml:6:9: cluster names are unique, as fleet-backup names each"
            + " cluster's Velero objects, status and metrics by it",
        "fleet/other.yaml:9:13: error: cluster \"edge2\" is listed twice",
        "fleet/other.yaml:8:13: error: cluster \"edge2\" of kind Cluster has the name of Cluster \"default/edge2\" at"
            + " fleet/third.yaml:7:13: cluster names are unique across namespaces, as fleet-backup names each cluster's Velero objects,"
            + " status and metrics by it");
  }

  @Test
  void aBackupSelectsAMemberOfKindClusterByItsKind() {
    ConfigRepo repo = ConfigRepo.sample(dir).write("fleet/quickstart.yaml", """
        apiVersion: fleet.kurator.dev/v1alpha1
        kind: Fleet
        metadata:
          name: quickstart
        spec:
          clusters:
            - name: kurator-member1
              kind: AttachedCluster
            - name: provisioned
          plugin:
            backup:
              storage:
                location: {bucket: velero, provider: aws, endpoint: "http://minio:9000"}
                secretName: minio-credentials
        """).write("backups/provisioned.yaml", """
        apiVersion: backup.kurator.dev/v1alpha1
        kind: Backup
        metadata:
          name: provisioned
        spec:
          destination:
            fleet: quickstart
            clusters:
              - name: provisioned
                kind: Cluster
        """).write("backups/mistaken.yaml", """
        apiVersion: backup.kurator.dev/v1alpha1
        kind: Backup
        metadata:
          name: mistaken
        spec:
          destination:
            fleet: quickstart
            clusters:
              - name: provisioned
                kind: AttachedCluster
              - name: kurator-member1
        """);

    assertThat(repo.problems()).as("the sample's other policies select every member of the fleet, the Cluster too")
        .filteredOn(p -> !p.startsWith("restores/") && !p.startsWith("migrations/") && !p.startsWith("backups/select-labels"))
        .containsExactly(
            "backups/mistaken.yaml:10:15: error: cluster \"provisioned\" is a member of kind \"Cluster\" of fleet \"quickstart\", not"
                + " \"AttachedCluster\"",
            "backups/mistaken.yaml:11:15: error: cluster \"kurator-member1\" is a member of kind \"AttachedCluster\" of fleet"
                + " \"quickstart\", not \"Cluster\" (no kind is Cluster, as in Kurator)");
  }

  @Test
  void providersWithoutAPluginAreNotSupportedYet() {
    ConfigRepo repo = ConfigRepo.sample(dir).write("fleet/quickstart.yaml", """
        apiVersion: fleet.kurator.dev/v1alpha1
        kind: Fleet
        metadata:
          name: quickstart
        spec:
          clusters:
            - {name: kurator-member1, kind: AttachedCluster}
          plugin:
            backup:
              storage:
                location:
                  bucket: velero
                  provider: gcp
                  endpoint: https://storage.googleapis.com
                secretName: gcp-credentials
        """);

    assertThat(repo.problems()).contains("fleet/quickstart.yaml:13:21: error: provider \"gcp\" is not supported yet: "
        + "fleet-backup installs Velero's AWS plugin, for providers aws (S3, MinIO) and huaweicloud (OBS)");
  }

  @Test
  void destinationFleetNeedsTheBackupPlugin() {
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
        """);

    assertThat(repo.problems()).contains("backups/nightly.yaml:11:12: error: fleet \"quickstart\" has no spec.plugin.backup, "
        + "so Velero is not installed on its clusters");
  }

  @Test
  void restoreMustNameABackup() {
    ConfigRepo repo = ConfigRepo.sample(dir).write("restores/shop.yaml", """
        apiVersion: backup.kurator.dev/v1alpha1
        kind: Restore
        metadata:
          name: shop
        spec:
          backupName: nightyl
        """);

    assertThat(repo.problems()).containsExactly("restores/shop.yaml:6:15: error: backupName \"nightyl\": "
        + "no Backup \"nightyl\" in namespace \"default\" (did you mean \"nightly\"?)");
  }

  @Test
  void restoreDestinationMustBeWithinTheBackup() {
    ConfigRepo repo = ConfigRepo.sample(dir).write("restores/elsewhere.yaml", """
        apiVersion: backup.kurator.dev/v1alpha1
        kind: Restore
        metadata:
          name: elsewhere
        spec:
          backupName: shop-pre-upgrade
          destination:
            fleet: quickstart
            clusters:
              - name: kurator-member2
                kind: AttachedCluster
        """);

    assertThat(repo.problems()).containsExactly("restores/elsewhere.yaml:10:15: error: cluster \"kurator-member2\" "
        + "is not backed up by backup \"shop-pre-upgrade\"; use a Migrate to restore into other clusters");
  }

  @Test
  void scopedFiltersInARestoreAreAcceptedWithAWarningThatVeleroIgnoresThem() {
    ConfigRepo repo = ConfigRepo.sample(dir).write("restores/scoped.yaml", """
        apiVersion: backup.kurator.dev/v1alpha1
        kind: Restore
        metadata:
          name: scoped
        spec:
          backupName: nightly
          policy:
            resourceFilter:
              includedNamespaceScopedResources: [configmaps]
        """);

    ValidationReport report = repo.validate();
    assertThat(report.valid()).isTrue();
    assertThat(report.diagnostics()).extracting(Object::toString).containsExactly(
        "restores/scoped.yaml:9:41: warning: includedNamespaceScopedResources has no effect in a restore: Velero's Restore ignores it "
            + "and filters with includedResources, excludedResources and includeClusterResources only (Kurator drops it without a word)");
  }

  private ConfigRepo migrate(String spec) {
    return ConfigRepo.sample(dir).write("migrations/shop-to-members.yaml", """
        apiVersion: backup.kurator.dev/v1alpha1
        kind: Migrate
        metadata:
          name: shop-to-members
        spec:
        %s""".formatted(spec.stripIndent().indent(2)));
  }

  @Test
  void migrationNeedsExactlyOneSource() {
    ConfigRepo repo = migrate("""
        sourceCluster:
          fleet: quickstart
          clusters:
            - {name: kurator-member1, kind: AttachedCluster}
            - {name: kurator-member2, kind: AttachedCluster}
        targetCluster:
          fleet: quickstart
          clusters:
            - {name: kurator-member3, kind: AttachedCluster}
        """);

    assertThat(repo.problems()).containsExactly(
        "migrations/shop-to-members.yaml:7:5: error: sourceCluster must select exactly one cluster, selects 2");
  }

  @Test
  void migrationSourceWithoutClustersSelectsTheWholeFleet() {
    ConfigRepo repo = migrate("""
        sourceCluster:
          fleet: quickstart
        targetCluster:
          fleet: quickstart
          clusters:
            - {name: kurator-member3, kind: AttachedCluster}
        """);

    assertThat(repo.problems()).containsExactly(
        "migrations/shop-to-members.yaml:7:5: error: sourceCluster must select exactly one cluster, selects 3");
  }

  @Test
  void migrationTargetIsNotTheSource() {
    ConfigRepo repo = migrate("""
        sourceCluster:
          fleet: quickstart
          clusters:
            - {name: kurator-member1, kind: AttachedCluster}
        targetCluster:
          fleet: quickstart
          clusters:
            - {name: kurator-member2, kind: AttachedCluster}
            - {name: kurator-member1, kind: AttachedCluster}
        """);

    assertThat(repo.problems()).containsExactly(
        "migrations/shop-to-members.yaml:14:16: error: target cluster \"kurator-member1\" is the source cluster");
  }

  @Test
  void scopedAndOldResourceFiltersDoNotMix() {
    ConfigRepo repo = backup("mixed", """
        destination:
          fleet: quickstart
        policy:
          resourceFilter:
            includedResources: [deployments]
            excludedClusterScopedResources: [storageclasses]
        """);

    assertThat(repo.problems()).singleElement().asString()
        .startsWith("backups/mixed.yaml:11:39: error: excludedClusterScopedResources cannot be combined with includedResources");
  }

  @Test
  void labelSelectorAndOrLabelSelectorsAreExclusive() {
    ConfigRepo repo = backup("labels", """
        destination:
          fleet: quickstart
        policy:
          resourceFilter:
            labelSelector:
              matchLabels: {app: shop}
            orLabelSelectors:
              - matchLabels: {app: cart}
        """);

    assertThat(repo.problems()).containsExactly("backups/labels.yaml:13:9: error: "
        + "labelSelector and orLabelSelectors cannot both be set: Velero takes one or the other");
  }

  @Test
  void aNamespaceIsNotBothIncludedAndExcluded() {
    ConfigRepo repo = backup("both", """
        destination:
          fleet: quickstart
        policy:
          resourceFilter:
            includedNamespaces: [shop, cart]
            excludedNamespaces: [cart]
        """);

    assertThat(repo.problems()).containsExactly(
        "backups/both.yaml:11:28: error: namespace \"cart\" is both included and excluded");
  }

  @Test
  void objectRulesStillRunWhenAnotherFileFailsTheSchema() {
    ConfigRepo repo = backup("nightly2", """
        schedule: "0 2 * *"
        destination:
          fleet: quickstart
        """).write("restores/broken.yaml", "apiVersion: backup.kurator.dev/v1alpha1\nkind: Restore\nmetadata: {name: broken}\nspec: {}\n");

    assertThat(repo.problems()).containsExactly(
        "backups/nightly2.yaml:6:13: error: schedule \"0 2 * *\": a cron expression needs 5 fields (minute hour day-of-month month day-of-week), got 4",
        "restores/broken.yaml:4:7: error: missing required field \"spec.backupName\"");
  }

  @Test
  void referencesAreCheckedWhenAnotherFileFailsTheSchema() {
    // before, one schema error hid every error across files: fixing it brought these to light
    ConfigRepo repo = ConfigRepo.sample(dir)
        .write("backups/typo.yaml", "apiVersion: backup.kurator.dev/v1alpha1\nkind: Backup\nmetadata: {name: typo}\n"
            + "spec:\n  destination: {fleet: quickstrat}\n")
        .write("restores/broken.yaml", "apiVersion: backup.kurator.dev/v1alpha1\nkind: Restore\nmetadata: {name: broken}\nspec: {}\n")
        .write("restores/typo.yaml", "apiVersion: backup.kurator.dev/v1alpha1\nkind: Restore\nmetadata: {name: typo}\n"
            + "spec: {backupName: nightlly}\n");

    assertThat(repo.problems()).containsExactly(
        "backups/typo.yaml:5:24: error: no Fleet \"quickstrat\" in namespace \"default\" (did you mean \"quickstart\"?)",
        "restores/broken.yaml:4:7: error: missing required field \"spec.backupName\"",
        "restores/typo.yaml:4:20: error: backupName \"nightlly\": no Backup \"nightlly\" in namespace \"default\" (did you mean \"nightly\"?)");
  }

  @Test
  void aReferenceToAnObjectThatFailedItsSchemaIsNotReportedMissing() {
    // the Fleet exists but fails its schema: its own error says so, not one per reference to it
    ConfigRepo repo = ConfigRepo.sample(dir).write("fleet/quickstart.yaml", """
        apiVersion: fleet.kurator.dev/v1alpha1
        kind: Fleet
        metadata:
          name: quickstart
          namespace: default
        spec:
          clustrs: []
        """);

    assertThat(repo.problems()).containsExactly("fleet/quickstart.yaml:7:3: error: unknown field \"spec.clustrs\"");
  }
}
