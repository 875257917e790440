package dev.fleetbackup.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetbackup.model.Migrate;
import dev.fleetbackup.model.PolicySet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The refused target namespaces at run time: what the rendered Velero Restore of a restore of every namespace excludes. */
class RefusedNamespacesTest {
  private static final String RESTORE = "kurator-member1-restore-default-shop-rollback";
  private static final List<String> REFUSED = List.of("kube-node-lease", "kube-public", "kube-system", "velero");

  @TempDir
  Path dir;

  private PolicySet sampleWith(String path, String yaml) throws IOException {
    try (Stream<Path> files = Files.walk(Fixtures.SAMPLE_REPO)) {
      for (Path source : files.filter(Files::isRegularFile).toList()) {
        Path target = dir.resolve(Fixtures.SAMPLE_REPO.relativize(source).toString());
        Files.createDirectories(target.getParent());
        Files.copy(source, target);
      }
    }
    Files.writeString(dir.resolve(path), yaml);
    return Fixtures.policies(dir);
  }

  /** The sample's restore of shop-pre-upgrade into kurator-member1, with this policy. */
  private PolicySet restoreWith(String policy) throws IOException {
    return sampleWith("restores/shop-rollback.yaml", """
        apiVersion: backup.kurator.dev/v1alpha1
        kind: Restore
        metadata:
          name: shop-rollback
          namespace: default
        spec:
          backupName: shop-pre-upgrade
        """ + policy);
  }

  private static DesiredObject restore(PlanSettings settings, PolicySet policies) {
    return new Planner(settings).plan(policies, Fixtures.credentials(policies)).member("kurator-member1").orElseThrow()
        .object(new ObjectRef(ManagedKind.RESTORE, "velero", RESTORE)).orElseThrow();
  }

  private static JsonNode spec(PolicySet policies) {
    return restore(PlanSettings.DEFAULTS, policies).manifest().path("spec");
  }

  private static List<String> excluded(JsonNode spec) {
    return spec.path("excludedNamespaces").valueStream().map(JsonNode::asString).toList();
  }

  @Test
  void aRestoreOfEveryNamespaceExcludesTheRefusedOnesAndStillRestoresClusterResources() throws IOException {
    JsonNode spec = spec(restoreWith(""));
    assertThat(excluded(spec)).containsExactlyElementsOf(REFUSED);
    assertThat(spec.path("includeClusterResources").asBoolean())
        .as("Velero restores cluster-scoped resources on its own only when no namespace is excluded").isTrue();
    assertThat(spec.has("includedNamespaces")).isFalse();
  }

  @Test
  void aRefusedNamespaceMappedElsewhereIsRestoredThere() throws IOException {
    JsonNode spec = spec(restoreWith("""
          policy:
            namespaceMapping:
              kube-system: kube-system-copy
        """));
    assertThat(excluded(spec)).containsExactly("kube-node-lease", "kube-public", "velero");
    assertThat(spec.path("namespaceMapping").path("kube-system").asString()).isEqualTo("kube-system-copy");
  }

  @Test
  void aPatternIsARestoreOfEveryNamespaceItMatches() throws IOException {
    JsonNode spec = spec(restoreWith("""
          policy:
            resourceFilter:
              includedNamespaces: ["kube-*", shop]
              excludedNamespaces: [kube-flannel]
        """));
    assertThat(excluded(spec)).containsExactly("kube-flannel", "kube-node-lease", "kube-public", "kube-system", "velero");
    assertThat(spec.has("includeClusterResources")).as("already only some namespaces: Velero's choice stays").isFalse();
  }

  @Test
  void aListOfNamespacesIsRenderedAsWritten() throws IOException {
    JsonNode spec = spec(Fixtures.policies(Fixtures.SAMPLE_REPO));
    assertThat(spec.path("includedNamespaces").toString()).isEqualTo("[\"shop\"]");
    assertThat(spec.has("excludedNamespaces")).isFalse();
    assertThat(spec.has("includeClusterResources")).isFalse();
  }

  @Test
  void theGuardrailIsNotPartOfTheSpecHashSoChangingItNeverMakesANewRun() throws IOException {
    PolicySet policies = restoreWith("");
    DesiredObject guarded = restore(PlanSettings.DEFAULTS, policies);
    DesiredObject unguarded = restore(PlanSettings.DEFAULTS.withRefusedTargetNamespaces(List.of()), policies);
    assertThat(unguarded.manifest().path("spec").has("excludedNamespaces")).isFalse();
    assertThat(guarded.run().orElseThrow().specHash()).isEqualTo(unguarded.run().orElseThrow().specHash());
    assertThat(guarded.manifest().path("metadata").path("annotations").path(Conventions.SPEC_HASH).asString())
        .isEqualTo(unguarded.run().orElseThrow().specHash());
  }

  @Test
  void aMigrationsRestoreOfEveryNamespaceExcludesThemToo() throws IOException {
    PolicySet policies = sampleWith("migrations/shop-to-members.yaml", """
        apiVersion: backup.kurator.dev/v1alpha1
        kind: Migrate
        metadata:
          name: shop-to-members
          namespace: default
        spec:
          sourceCluster:
            fleet: quickstart
            clusters: [{name: kurator-member1, kind: AttachedCluster}]
          targetCluster:
            fleet: quickstart
            clusters: [{name: kurator-member2, kind: AttachedCluster}]
        """);
    Migrate migrate = policies.migrates().get(0);
    DesiredObject restore = new Planner(PlanSettings.DEFAULTS.withRefusedTargetNamespaces(List.of("kube-system", "production")))
        .plan(policies, Fixtures.credentials(policies)).member("kurator-member2").orElseThrow()
        .object(new ObjectRef(ManagedKind.RESTORE, "velero", "kurator-member2-migrate-default-" + migrate.metadata().name()))
        .orElseThrow();
    assertThat(excluded(restore.manifest().path("spec"))).containsExactly("kube-system", "production");
  }
}
