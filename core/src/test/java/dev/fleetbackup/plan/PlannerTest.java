package dev.fleetbackup.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetbackup.model.PolicySet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class PlannerTest {
  private static final Path GOLDEN = Path.of("core/src/test/resources/fixtures/plan/sample-repo.txt");
  private static final PolicySet SAMPLE = Fixtures.policies(Fixtures.SAMPLE_REPO);
  private final Planner planner = new Planner(PlanSettings.DEFAULTS);

  private MemberPlan member(String name) {
    return planner.plan(SAMPLE, Fixtures.credentials(SAMPLE)).member(name).orElseThrow();
  }

  @Test
  void installsVeleroOnEveryMemberInStageOrder() {
    MemberPlan m1 = member("kurator-member1");
    assertThat(m1.refs()).extracting(ObjectRef::toString).containsExactly(
        "Namespace/velero",
        "ServiceAccount/velero/velero",
        "ServiceAccount/velero/velero-upgrade-crds",
        "ClusterRole/velero-upgrade-crds",
        "ClusterRoleBinding/velero",
        "ClusterRoleBinding/velero-upgrade-crds",
        "Secret/velero/quickstart-velero-s3",
        "Job/velero/velero-upgrade-crds",
        "Deployment/velero/velero",
        "DaemonSet/velero/node-agent",
        "BackupStorageLocation/velero/default",
        "Schedule/velero/kurator-member1-backup-default-nightly",
        "Backup/velero/kurator-member1-backup-default-select-labels",
        "Backup/velero/kurator-member1-backup-default-shop-pre-upgrade",
        "Backup/velero/kurator-member1-migrate-default-shop-to-members",
        "Restore/velero/kurator-member1-restore-default-shop-rollback");
    List<Stage> stages = m1.objects().stream().map(o -> o.ref().kind().stage()).toList();
    assertThat(stages).isSorted();
  }

  @Test
  void eachMemberWritesItsOwnPrefixAndReadsTheMigrationSourceReadOnly() {
    JsonNode own = spec(member("kurator-member2"), "BackupStorageLocation/velero/default");
    assertThat(own.path("objectStorage").path("prefix").asString()).isEqualTo("kurator-member2");
    assertThat(own.path("accessMode").asString()).isEqualTo("ReadWrite");
    assertThat(own.path("default").asBoolean()).isTrue();
    assertThat(own.path("provider").asString()).isEqualTo("aws");
    assertThat(own.path("config").path("s3Url").asString()).isEqualTo("http://minio.velero.svc:9000");
    assertThat(own.path("config").path("region").asString()).isEqualTo("minio");
    assertThat(own.path("config").path("s3ForcePathStyle").asString()).isEqualTo("true");

    JsonNode source = spec(member("kurator-member2"), "BackupStorageLocation/velero/readonly-kurator-member1");
    assertThat(source.path("objectStorage").path("prefix").asString()).isEqualTo("kurator-member1");
    assertThat(source.path("accessMode").asString()).isEqualTo("ReadOnly");
    assertThat(source.path("default").asBoolean()).isFalse();
    assertThat(member("kurator-member1").refs()).extracting(ObjectRef::name).doesNotContain("readonly-kurator-member1");
  }

  @Test
  void aMigrationsRestoreIsPlannedInEachTargetRestoringTheSourceForTheWorkflowsToName() {
    DesiredObject restore = member("kurator-member3")
        .object(ref(ManagedKind.RESTORE, "kurator-member3-migrate-default-shop-to-members")).orElseThrow();
    assertThat(restore.run().orElseThrow().restores()).hasValueSatisfying(of ->
        assertThat(of).isInstanceOfSatisfying(RestoreOf.FromMigration.class, m -> assertThat(m.source()).isEqualTo("kurator-member1")));
    assertThat(restore.manifest().path("spec").path("backupName").asString())
        .as("the source's base until the workflows name its run").isEqualTo("kurator-member1-migrate-default-shop-to-members");
    assertThat(member("kurator-member3").unrendered()).isEmpty();
  }

  @Test
  void velerObjectsCarryKuratorNamesAndLabels() {
    DesiredObject schedule = member("kurator-member1").object(ref(ManagedKind.SCHEDULE, "kurator-member1-backup-default-nightly")).orElseThrow();
    JsonNode m = schedule.manifest();
    assertThat(m.path("metadata").path("labels").properties()).extracting(Map.Entry::getKey).containsExactlyInAnyOrder(
        "kurator.dev/backup-name", "fleet.kurator.dev/fleet-name", "fleet.kurator.dev/plugin", "app.kubernetes.io/managed-by");
    assertThat(m.path("spec").path("schedule").asString()).isEqualTo("0 2 * * *");
    assertThat(m.path("spec").path("template").path("includedNamespaces").get(0).asString()).isEqualTo("shop");
    assertThat(m.path("spec").path("template").path("ttl").asString()).isEqualTo("168h");
    assertThat(m.path("spec").has("skipImmediately")).as("Velero owns skipImmediately").isFalse();

    DesiredObject backup = member("kurator-member1").object(ref(ManagedKind.BACKUP, "kurator-member1-backup-default-select-labels")).orElseThrow();
    assertThat(backup.manifest().path("spec").path("labelSelector").path("matchLabels").path("app").asString()).isEqualTo("shop");
    assertThat(backup.manifest().path("metadata").path("annotations").path(Conventions.SPEC_HASH).asString())
        .isEqualTo(backup.run().orElseThrow().specHash()).hasSize(16);
  }

  @Test
  void restoreNamesItsBackupRunAndPolicy() {
    DesiredObject restore = member("kurator-member1").object(ref(ManagedKind.RESTORE, "kurator-member1-restore-default-shop-rollback")).orElseThrow();
    assertThat(restore.run().orElseThrow().restores()).hasValueSatisfying(of -> assertThat(of)
        .isInstanceOfSatisfying(RestoreOf.FromBackup.class, b -> assertThat(b.backup().metadata().name()).isEqualTo("shop-pre-upgrade")));
    assertThat(restore.manifest().path("spec").path("backupName").asString()).isEqualTo("kurator-member1-backup-default-shop-pre-upgrade");
    assertThat(restore.manifest().path("spec").path("preserveNodePorts").asBoolean()).isTrue();
    assertThat(restore.manifest().path("metadata").path("labels").path(Conventions.RESTORE_NAME).asString()).isEqualTo("shop-rollback");
  }

  @Test
  void deploymentRunsTheVeleroServerWithTheAwsPluginAndTheFleetsCredentials() {
    JsonNode pod = member("kurator-member1").object(ref(ManagedKind.DEPLOYMENT, "velero")).orElseThrow()
        .manifest().path("spec").path("template").path("spec");
    JsonNode container = pod.path("containers").get(0);
    assertThat(container.path("image").asString()).isEqualTo("velero/velero:v1.18.1");
    assertThat(container.path("command").toString()).isEqualTo("[\"/velero\"]");
    assertThat(container.path("args").get(0).asString()).isEqualTo("server");
    assertThat(container.path("env").toString()).contains("AWS_SHARED_CREDENTIALS_FILE", "/credentials/cloud", "VELERO_NAMESPACE");
    assertThat(pod.path("initContainers").get(0).path("image").asString()).isEqualTo("velero/velero-plugin-for-aws:v1.14.2");
    assertThat(pod.path("volumes").toString()).contains("\"secretName\":\"quickstart-velero-s3\"");
  }

  @Test
  void credentialsSecretHoldsAnAwsSharedCredentialsFileAndNeverPrintsIt() {
    DesiredObject secret = member("kurator-member1").object(ref(ManagedKind.SECRET, "quickstart-velero-s3")).orElseThrow();
    String cloud = new String(java.util.Base64.getDecoder().decode(secret.manifest().path("data").path("cloud").asString()));
    assertThat(cloud).isEqualTo("[default]\naws_access_key_id=AKIDEXAMPLE\naws_secret_access_key=s3cr3t-Value-42\n");
    assertThat(secret.toString()).doesNotContain("s3cr3t").doesNotContain("AKIDEXAMPLE");
    assertThat(Fixtures.CREDENTIALS.toString()).doesNotContain("s3cr3t").doesNotContain("AKIDEXAMPLE");
  }

  @Test
  void theSameCommitAndCredentialsArePlannedOnceAndAChangedManifestStaysTheCallers() {
    FleetPlan first = planner.plan(SAMPLE, Fixtures.credentials(SAMPLE));
    DesiredObject schedule = first.member("kurator-member1").orElseThrow().objects().stream()
        .filter(o -> o.ref().toString().equals("Schedule/velero/kurator-member1-backup-default-nightly")).findFirst().orElseThrow();
    schedule.manifest().withObject("/spec").put("schedule", "* * * * *");

    FleetPlan again = planner.plan(SAMPLE, Fixtures.credentials(SAMPLE));
    assertThat(again).as("the daemon's next pass over the same commit").isSameAs(first);
    assertThat(schedule.manifest().at("/spec/schedule").asString()).isEqualTo("0 2 * * *");
    assertThat(planner.plan(SAMPLE, Map.of())).as("credentials changed: planned again").isNotSameAs(first)
        .isNotEqualTo(first);
  }

  @Test
  void missingCredentialsLeaveTheSecretUnrenderedNotPlannedAway() {
    MemberPlan m1 = planner.plan(SAMPLE, Map.of()).member("kurator-member1").orElseThrow();
    assertThat(m1.refs()).extracting(ObjectRef::toString).doesNotContain("Secret/velero/quickstart-velero-s3");
    assertThat(m1.unrendered()).extracting(u -> u.ref().toString(), Unrendered::reason)
        .contains(org.assertj.core.groups.Tuple.tuple("Secret/velero/quickstart-velero-s3", Unrendered.Reason.CREDENTIALS_UNAVAILABLE));
    assertThat(m1.unrendered()).extracting(Unrendered::message).allSatisfy(msg -> assertThat(msg).doesNotContain("s3cr3t"));
  }

  /**
   * The sample repo's plan, rendered whole by {@link PlanPrinter}, is the reviewed file byte for
   * byte: any change to what fleet-backup would apply shows in review. After an intended change:
   * {@code mvn -B -o -q test -pl core -am -Dtest=PlannerTest -Dsurefire.failIfNoSpecifiedTests=false
   * -Dplan.golden.update=true}, then {@code git diff core/src/test/resources/fixtures/plan}.
   */
  @Test
  void thePlanOfTheSampleRepoIsTheReviewedOneByteForByte() throws IOException {
    String plan = PlanPrinter.sampleRepoPlan();
    if (Boolean.getBoolean("plan.golden.update")) {
      Files.writeString(GOLDEN, plan, StandardCharsets.UTF_8);
    }

    assertThat(plan).as("%s (regenerate with -Dplan.golden.update=true)", GOLDEN)
        .isEqualTo(Files.readString(GOLDEN, StandardCharsets.UTF_8));
  }

  /**
   * Planning depends on nothing of the JVM it runs in: a JVM with a Turkish locale (where
   * {@code "I".toLowerCase()} is a dotless ı), a time zone 14 hours from UTC, Latin-1 as its
   * default charset and every identity hash code the same (so hash-ordered enums and objects come
   * out in another order) renders the same bytes as the reviewed file. (It found the labels and
   * resources of Velero's pods built with {@code Map.of}, whose order changes from JVM to JVM.)
   */
  @Test
  void aJvmWithAnotherLocaleTimeZoneCharsetAndHashCodesPlansTheSameBytes(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("plan.txt");
    Process jvm = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Duser.language=tr", "-Duser.country=TR", "-Duser.timezone=Pacific/Kiritimati", "-Dfile.encoding=ISO-8859-1",
        "-XX:+UnlockExperimentalVMOptions", "-XX:hashCode=2", "-Xshare:off", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"), PlanPrinter.class.getName(), out.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("jvm.log").toFile()).start();

    assertThat(jvm.waitFor(2, TimeUnit.MINUTES)).as("the other JVM finished").isTrue();
    assertThat(jvm.exitValue()).as(Files.readString(dir.resolve("jvm.log"))).isZero();
    assertThat(Files.readAllBytes(out)).as("the plan rendered in the other JVM").isEqualTo(Files.readAllBytes(GOLDEN));
  }

  private static ObjectRef ref(ManagedKind kind, String name) {
    return kind.namespaced() ? new ObjectRef(kind, "velero", name) : ObjectRef.clusterScoped(kind, name);
  }

  private static JsonNode spec(MemberPlan plan, String ref) {
    return plan.objects().stream().filter(o -> o.ref().toString().equals(ref)).findFirst().orElseThrow()
        .manifest().path("spec");
  }
}
