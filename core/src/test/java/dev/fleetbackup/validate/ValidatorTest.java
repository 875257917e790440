package dev.fleetbackup.validate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidatorTest {
  @TempDir
  Path dir;

  @Test
  void sampleRepoIsValid() {
    ValidationReport report = ConfigRepo.sample(dir).validate();

    assertThat(report.diagnostics()).isEmpty();
    assertThat(report.policies().fleets()).hasSize(1);
    assertThat(report.policies().clusters()).hasSize(3);
    assertThat(report.policies().backups()).hasSize(3);
    assertThat(report.summary()).isEqualTo("validated 9 files, 9 objects: valid");
  }

  @Test
  void unknownFieldIsReportedOnItsKey() {
    ConfigRepo repo = ConfigRepo.sample(dir).write("backups/typo.yaml", """
        apiVersion: backup.kurator.dev/v1alpha1
        kind: Backup
        metadata:
          name: typo
        spec:
          destination:
            fleet: quickstart
          policy:
            tll: 720h
        """);

    assertThat(repo.problems()).containsExactly(
        "backups/typo.yaml:9:5: error: unknown field \"spec.policy.tll\"");
  }

  @Test
  void wrongTypeIsReportedOnTheValue() {
    ConfigRepo repo = ConfigRepo.sample(dir).write("backups/ttl.yaml", """
        apiVersion: backup.kurator.dev/v1alpha1
        kind: Backup
        metadata:
          name: ttl
        spec:
          destination:
            fleet: quickstart
          policy:
            ttl: 720
        """);

    assertThat(repo.problems()).singleElement().asString()
        .startsWith("backups/ttl.yaml:9:10: error: spec.policy.ttl: ")
        .contains("string");
  }

  @Test
  void missingFieldIsReportedOnItsParent() {
    ConfigRepo repo = ConfigRepo.sample(dir).write("restores/nobackup.yaml", """
        apiVersion: backup.kurator.dev/v1alpha1
        kind: Restore
        metadata:
          name: nobackup
        spec:
          destination:
            fleet: quickstart
        """);

    assertThat(repo.problems()).containsExactly(
        "restores/nobackup.yaml:6:3: error: missing required field \"spec.backupName\"");
  }

  @Test
  void anUnknownKindInOurGroupsIsAnError() {
    ConfigRepo repo = ConfigRepo.sample(dir).write("backups/typo.yaml", """
        apiVersion: backup.kurator.dev/v1alpha1
        kind: Bakup
        metadata:
          name: web
        """);

    ValidationReport report = repo.validate();
    assertThat(report.valid()).isFalse();
    assertThat(report.diagnostics()).extracting(Object::toString).containsExactly("backups/typo.yaml:1:13: error: unsupported object: "
        + "apiVersion \"backup.kurator.dev/v1alpha1\", kind \"Bakup\"; expected one of fleet.kurator.dev/v1alpha1 Fleet, "
        + "cluster.kurator.dev/v1alpha1 AttachedCluster, backup.kurator.dev/v1alpha1 Backup, backup.kurator.dev/v1alpha1 Restore, "
        + "backup.kurator.dev/v1alpha1 Migrate");
  }

  @Test
  void aKindFromAnotherApiIsSkippedWithANoticeAndTheRepoStaysValid() {
    ConfigRepo repo = ConfigRepo.sample(dir).write("apps/web.yaml", """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
        spec:
          replicas: "not checked"
        """);

    ValidationReport report = repo.validate();
    assertThat(report.valid()).isTrue();
    assertThat(report.diagnostics()).extracting(Object::toString).containsExactly(
        "apps/web.yaml:2:7: warning: skipped \"Deployment\" (\"apps/v1\"): not a kind fleet-backup manages");
    assertThat(report.summary()).isEqualTo("validated 10 files, 10 objects: 0 errors, 1 warning");
  }

  @Test
  void aSkippedDocumentDoesNotHideTheCrossFileRules() {
    ConfigRepo repo = ConfigRepo.sample(dir)
        .write("apps/app.yaml", "apiVersion: apps.kurator.dev/v1alpha1\nkind: Application\nmetadata: {name: app}\n")
        .write("restores/lost.yaml", """
            apiVersion: backup.kurator.dev/v1alpha1
            kind: Restore
            metadata:
              name: lost
            spec:
              backupName: nightlly
            """);

    assertThat(repo.problems()).containsExactly(
        "apps/app.yaml:2:7: warning: skipped \"Application\" (\"apps.kurator.dev/v1alpha1\"): not a kind fleet-backup manages",
        "restores/lost.yaml:6:15: error: backupName \"nightlly\": no Backup \"nightlly\" in namespace \"default\" (did you mean \"nightly\"?)");
  }

  @Test
  void kuratorsProvisionedClusterIsSkippedButAnotherKindInItsGroupIsNot() {
    ConfigRepo repo = ConfigRepo.sample(dir)
        .write("clusters/provisioned.yaml", "apiVersion: cluster.kurator.dev/v1alpha1\nkind: Cluster\nmetadata: {name: p}\nspec: {infraType: aws}\n")
        .write("clusters/custom.yaml", "apiVersion: cluster.kurator.dev/v1alpha1\nkind: CustomCluster\nmetadata: {name: c}\n");

    assertThat(repo.problems()).containsExactly(
        "clusters/custom.yaml:1:13: error: unsupported object: apiVersion \"cluster.kurator.dev/v1alpha1\", kind \"CustomCluster\"; "
            + "expected one of fleet.kurator.dev/v1alpha1 Fleet, cluster.kurator.dev/v1alpha1 AttachedCluster, "
            + "backup.kurator.dev/v1alpha1 Backup, backup.kurator.dev/v1alpha1 Restore, backup.kurator.dev/v1alpha1 Migrate",
        "clusters/provisioned.yaml:2:7: warning: skipped \"Cluster\" (\"cluster.kurator.dev/v1alpha1\"): not a kind fleet-backup manages");
  }

  @Test
  void kindWithWrongApiVersionNamesTheRightOne() {
    ConfigRepo repo = ConfigRepo.sample(dir).write("backups/old.yaml", """
        apiVersion: backup.kurator.dev/v1beta1
        kind: Backup
        metadata:
          name: old
        spec:
          destination:
            fleet: quickstart
        """);

    assertThat(repo.problems()).containsExactly(
        "backups/old.yaml:1:13: error: unsupported object: apiVersion \"backup.kurator.dev/v1beta1\", kind \"Backup\"; "
            + "Backup is backup.kurator.dev/v1alpha1");
  }

  @Test
  void everyDocumentOfAMultiDocumentFileIsRead() {
    ConfigRepo repo = ConfigRepo.sample(dir)
        .delete("clusters/kurator-member2.yaml")
        .delete("clusters/kurator-member3.yaml")
        .write("clusters/kurator-member1.yaml", """
            apiVersion: cluster.kurator.dev/v1alpha1
            kind: AttachedCluster
            metadata:
              name: kurator-member1
            spec:
              kubeconfig: {name: kurator-member1, key: kurator-member1.config}
            ---
            # comment-only documents are skipped
            ---
            apiVersion: cluster.kurator.dev/v1alpha1
            kind: AttachedCluster
            metadata:
              name: kurator-member2
            spec:
              kubeconfig: {name: kurator-member2}
            ---
            apiVersion: cluster.kurator.dev/v1alpha1
            kind: AttachedCluster
            metadata:
              name: kurator-member3
            spec:
              kubeconfig: {name: kurator-member3, key: config}
            """);

    ValidationReport report = repo.validate();

    assertThat(report.diagnostics()).isEmpty();
    assertThat(report.policies().clusters()).extracting(c -> c.spec().kubeconfig().key())
        .containsExactly("kurator-member1.config", "value", "config");
  }

  @Test
  void dotFoldersAreSkipped() {
    ConfigRepo repo = ConfigRepo.sample(dir).write(".github/workflows/ci.yaml", "on: push\njobs: {}\n");

    assertThat(repo.problems()).isEmpty();
  }

  @Test
  void theOtherFilesOfAConfigRepoAreSkipped() {
    ConfigRepo repo = ConfigRepo.sample(dir)
        .write("kustomization.yaml", "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [fleet/quickstart.yaml]\n")
        .write("backups/kustomization.yml", "resources: [nightly.yaml]\n")
        .write(".sops.yaml", "creation_rules:\n  - path_regex: .*\\.yaml\n")
        .write(".gitlab-ci.yml", "validate:\n  script: [fleet-backup validate]\n")
        .write("LICENSE", "Apache License 2.0\n")
        .write(".gitignore", "*.swp\n");

    ValidationReport report = repo.validate();

    assertThat(report.diagnostics()).isEmpty();
    assertThat(report.summary()).isEqualTo("validated 9 files, 9 objects: valid");
  }

  @Test
  void aFolderWithoutPoliciesIsAnError() {
    ValidationReport report = ConfigRepo.empty(dir).write("docs/notes.md", "# notes\n").write("kustomization.yaml", "resources: []\n")
        .validate();

    assertThat(report.valid()).isFalse();
    assertThat(report.diagnostics()).extracting(Object::toString).containsExactly(
        ".:1:1: error: no Fleet, AttachedCluster, Backup, Restore or Migrate found under \"" + dir + "\"");
    assertThat(report.summary()).isEqualTo("validated 0 files, 0 objects: 1 error");
  }

  @Test
  void aFileThatIsNotAPolicyIsReportedAsSuchNotAsAnEmptyRepo() {
    ConfigRepo repo = ConfigRepo.empty(dir).write("compose.yaml", "services: {}\n");

    assertThat(repo.problems()).containsExactly("compose.yaml:1:1: error: missing required field \"apiVersion\"");
  }

  @Test
  void problemsAreSortedByFileAndLine() {
    ConfigRepo repo = ConfigRepo.sample(dir)
        .write("b.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n")
        .write("a.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: Secret\n");

    assertThat(repo.problems()).extracting(p -> p.substring(0, p.indexOf(": ")))
        .containsExactly("a.yaml:2:7", "a.yaml:6:7", "b.yaml:2:7");
  }

  @Test
  void aDuplicateIsReportedOnTheLaterFileWithTheOtherLocation() {
    ConfigRepo repo = ConfigRepo.sample(dir).write("backups/nightly2.yaml", """
        apiVersion: backup.kurator.dev/v1alpha1
        kind: Backup
        metadata:
          name: nightly
          namespace: default
        spec:
          destination:
            fleet: quickstart
        """);

    assertThat(repo.problems()).containsExactly(
        "backups/nightly2.yaml:4:9: error: duplicate Backup \"default/nightly\": also defined at backups/nightly.yaml:6:9");
  }

  @Test
  void twoAttachedClustersOfOneNameInTwoNamespacesAreRefusedWithBothLocations() {
    ConfigRepo repo = ConfigRepo.sample(dir).write("team-b/member1.yaml", """
        apiVersion: cluster.kurator.dev/v1alpha1
        kind: AttachedCluster
        metadata:
          name: kurator-member1
          namespace: team-b
        spec:
          kubeconfig:
            name: team-b-member1
            key: value
        """);

    assertThat(repo.problems()).containsExactly("team-b/member1.yaml:4:9: error: AttachedCluster \"team-b/kurator-member1\""
        + " has the name of \"default/kurator-member1\" at clusters/kurator-member1.yaml:6:9: cluster names are unique across"
        + " namespaces, as fleet-backup names each cluster's Velero objects, status and metrics by it");
  }

  @Test
  void laterMeansLaterInPathOrderNotInTheFolderWalk() {
    // a.yaml sorts before the sample's backups/nightly.yaml, so the sample's file is the later one
    ConfigRepo repo = ConfigRepo.sample(dir).write("a.yaml", """
        apiVersion: backup.kurator.dev/v1alpha1
        kind: Backup
        metadata:
          name: nightly
        spec:
          destination:
            fleet: quickstart
        """);

    assertThat(repo.problems()).containsExactly(
        "backups/nightly.yaml:6:9: error: duplicate Backup \"default/nightly\": also defined at a.yaml:4:9");
  }

  @Test
  void aDuplicateOfAnObjectThatFailedItsSchemaIsStillADuplicate() {
    ConfigRepo repo = ConfigRepo.sample(dir).write("backups/nightly2.yaml", """
        apiVersion: backup.kurator.dev/v1alpha1
        kind: Backup
        metadata:
          name: nightly
        spec:
          destination:
            fleet: quickstart
          schedulle: "0 3 * * *"
        """);

    assertThat(repo.problems()).containsExactly(
        "backups/nightly2.yaml:4:9: error: duplicate Backup \"default/nightly\": also defined at backups/nightly.yaml:6:9",
        "backups/nightly2.yaml:8:3: error: unknown field \"spec.schedulle\"");
  }

  @Test
  void sameNameInAnotherKindOrNamespaceIsFine() {
    ConfigRepo repo = ConfigRepo.sample(dir).write("restores/nightly.yaml", """
        apiVersion: backup.kurator.dev/v1alpha1
        kind: Restore
        metadata:
          name: nightly
        spec:
          backupName: nightly
        """);

    assertThat(repo.problems()).isEmpty();
  }

  @Test
  void namesMustBeKubernetesNames() {
    ConfigRepo repo = ConfigRepo.sample(dir).write("backups/upper.yaml", """
        apiVersion: backup.kurator.dev/v1alpha1
        kind: Backup
        metadata:
          name: Nightly_Shop
        spec:
          destination:
            fleet: quickstart
        """);

    assertThat(repo.problems()).singleElement().asString()
        .startsWith("backups/upper.yaml:4:9: error: metadata.name");
  }
}
