package dev.fleetbackup.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fleetbackup.testkit.FleetRepo;
import dev.fleetbackup.testkit.Member;
import dev.fleetbackup.testkit.TestFleet;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Issue 4's "done when", on three real member clusters (kube-apiserver + etcd each, Velero run by
 * the test kit's node, one S3 server), one fleet for the class. Each test stands alone: before it,
 * every API server is up and the baseline config repo is applied; what a test changes in Git or by
 * hand is undone by the next baseline apply. Velero runs are never pruned, so a test that expects
 * a new run counts from the runs it finds. The first apply of the class is kept for the test that
 * looks at it. Only the order of the removal test is fixed, last, because its undoing (reinstalling
 * Velero on three members) is the slow one.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetApplyIT {
  private static final String[] MEMBERS = {"kurator-member1", "kurator-member2", "kurator-member3"};
  private static final Duration VELERO_TIMEOUT = Duration.ofMinutes(3);
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final ResourceDefinitionContext BSLS = velero("backupstoragelocations", "BackupStorageLocation");
  private static final ResourceDefinitionContext SCHEDULES = velero("schedules", "Schedule");
  private static final ResourceDefinitionContext BACKUPS = velero("backups", "Backup");
  private static final String HAND_EDITED_CLOUD = "[default]\naws_access_key_id=HANDEDIT\naws_secret_access_key=hand-edited-secret\n";

  /** The fleet's own folder, as short as can be: Velero's plugin sockets live below it (108-byte limit). */
  @TempDir static Path fleetDir;
  @TempDir static Path dir;
  static TestFleet fleet;
  static FleetRepo repo;
  static Path secrets;
  /** The class's first apply, onto members that had nothing. */
  static Run firstApply;
  /** Everything fleet-backup printed in the current test, checked for Secret values after it. */
  static final List<String> outputs = new ArrayList<>();

  @BeforeAll
  static void startFleet() {
    fleet = TestFleet.start(fleetDir, TestFleet.Options.members(3).withVeleroNode());
    secrets = dir.resolve("secrets");
    FleetRepo.writeSecrets(secrets, fleet.s3());
    repo = new FleetRepo(dir.resolve("repo"), fleet.s3());
    baselineRepo();
    Instant start = Instant.now();
    firstApply = cli("apply", "-o", "json");
    System.out.printf("MEASURE first apply, 3 members: %d ms%n", Duration.between(start, Instant.now()).toMillis());
  }

  /** The fleet with Velero, a nightly schedule of namespace shop and an immediate backup of app: shop. */
  private static void baselineRepo() {
    repo.fleet(true).nightly("0 2 * * *", "shop").selectLabels("shop");
  }

  @BeforeEach
  void baselineApplied() {
    for (Member m : fleet.members()) {
      if (!m.isApiServerRunning()) {
        m.startApiServer();
      }
      awaitServesVeleroKinds(m);
    }
    baselineRepo();
    Run apply = cli("apply", "-o", "json");
    assertThat(apply.exit).as("the baseline applies: %s", apply.all()).isZero();
  }

  @AfterEach
  void noSecretValueWasPrinted() {
    assertNoSecretValueIn(outputs);
    outputs.clear();
  }

  @AfterAll
  static void stopFleet() {
    if (fleet != null) {
      fleet.close();
    }
  }

  @Test
  void firstApplyInstallsVeleroOnEveryMember() {
    Run apply = firstApply;
    assertThat(apply.exit).as(apply.all()).isZero();
    assertThat(apply.json().path("clusters")).extracting(c -> c.path("cluster").asString())
        .containsExactly(MEMBERS);
    for (JsonNode cluster : apply.json().path("clusters")) {
      assertThat(cluster.path("status").asString()).as(apply.all()).isEqualTo("ok");
      assertThat(cluster.path("inventoryWritten").asBoolean()).isTrue();
    }

    for (String name : MEMBERS) {
      KubernetesClient c = fleet.member(name).client();
      assertThat(c.namespaces().withName("velero").get()).isNotNull();
      assertThat(c.serviceAccounts().inNamespace("velero").withName("velero").get()).isNotNull();
      assertThat(c.rbac().clusterRoleBindings().withName("velero").get().getRoleRef().getName()).isEqualTo("cluster-admin");
      assertThat(c.secrets().inNamespace("velero").withName("quickstart-velero-s3").get().getData()).containsKey("cloud");
      Deployment velero = c.apps().deployments().inNamespace("velero").withName("velero").get();
      assertThat(velero.getSpec().getTemplate().getSpec().getInitContainers()).extracting("image")
          .containsExactly("velero/velero-plugin-for-aws:v1.14.2");
      assertThat(c.apps().daemonSets().inNamespace("velero").withName("node-agent").get()).isNotNull();
      assertThat(c.batch().v1().jobs().inNamespace("velero").withName("velero-upgrade-crds").get()).isNotNull();
      GenericKubernetesResource bsl = velero(c, BSLS, "default").orElseThrow();
      assertThat(spec(bsl, "objectStorage")).containsEntry("prefix", name).containsEntry("bucket", fleet.s3().bucket());
      assertThat(spec(bsl)).containsEntry("accessMode", "ReadWrite");
      GenericKubernetesResource schedule = velero(c, SCHEDULES, name + "-backup-default-nightly").orElseThrow();
      assertThat(schedule.getMetadata().getLabels())
          .containsEntry("kurator.dev/backup-name", "nightly")
          .containsEntry("fleet.kurator.dev/fleet-name", "quickstart")
          .containsEntry("fleet.kurator.dev/plugin", "backup")
          .containsEntry("app.kubernetes.io/managed-by", "fleet-backup");
      assertThat(velero(c, BACKUPS, name + "-backup-default-select-labels")).isPresent();
      assertThat(c.configMaps().inNamespace("kube-system").withName("fleet-backup-inventory").get().getData())
          .containsKey("inventory.json");
    }
    // The install works: each member's Velero (run by the node) reaches its own prefix and backs up.
    for (String name : MEMBERS) {
      KubernetesClient c = fleet.member(name).client();
      await(name + " velero ready").atMost(VELERO_TIMEOUT).until(() -> deploymentReady(c));
      await(name + " BSL Available").atMost(VELERO_TIMEOUT).until(() -> "Available".equals(phase(c, BSLS, "default")));
      await(name + " backup run Completed").atMost(VELERO_TIMEOUT)
          .until(() -> "Completed".equals(phase(c, BACKUPS, name + "-backup-default-select-labels")));
      assertThat(fleet.s3().listKeys(name + "/backups/" + name + "-backup-default-select-labels/")).isNotEmpty();
    }
  }

  @Test
  void secondApplyWritesNothing() {
    Instant start = Instant.now();
    Run apply = cli("apply", "-o", "json");
    long took = Duration.between(start, Instant.now()).toMillis();
    assertThat(apply.exit).as(apply.all()).isZero();
    for (JsonNode cluster : apply.json().path("clusters")) {
      assertThat(cluster.path("requests").path("writes").asInt()).as(apply.all()).isZero();
      assertThat(cluster.path("inventoryWritten").asBoolean()).isFalse();
      for (JsonNode o : cluster.path("objects")) {
        assertThat(o.path("action").asString()).as(o.toString()).isIn("unchanged", "skipped");
      }
      System.out.printf("MEASURE steady-state apply %s: %s requests (%d reads, %d dry runs, %d writes), %d objects%n",
          cluster.path("cluster").asString(), cluster.path("requests").path("reads").asInt()
              + cluster.path("requests").path("dryRuns").asInt(), cluster.path("requests").path("reads").asInt(),
          cluster.path("requests").path("dryRuns").asInt(), cluster.path("requests").path("writes").asInt(),
          cluster.path("objects").size());
    }
    System.out.printf("MEASURE steady-state apply, 3 members: %d ms%n", took);

    Run diff = cli("diff");
    assertThat(diff.exit).as(diff.all()).isZero();
    assertThat(diff.out).contains("no differences in 3 clusters").doesNotContain("@@");
  }

  @Test
  void policyChangeShowsExactlyTheExpectedDiffAndApplyMakesIt() {
    Map<String, String> current = new java.util.LinkedHashMap<>();
    Map<String, String> next = new java.util.LinkedHashMap<>();
    for (String name : MEMBERS) {
      int latest = latestRunNumber(fleet.member(name).client(), name + "-backup-default-select-labels");
      current.put(name, runName(name + "-backup-default-select-labels", latest));
      next.put(name, runName(name + "-backup-default-select-labels", latest + 1));
    }
    repo.nightly("0 3 * * *", "shop", "payments").selectLabels("web");
    Run diff = cli("diff");
    assertThat(diff.exit).as(diff.all()).isEqualTo(1);
    List<String> differing = diff.out.lines().filter(l -> l.matches("kurator-member\\d\\s+\\S+\\s+(created|changed|deleted)\\b.*")).toList();
    List<String> expected = new ArrayList<>();
    for (String name : MEMBERS) {
      expected.add(name + "  Schedule/velero/" + name + "-backup-default-nightly  changed");
      expected.add(name + "  Backup/velero/" + next.get(name) + "  created");
    }
    assertThat(differing).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(diff.out)
        .contains("--- kurator-member1 Schedule/velero/kurator-member1-backup-default-nightly (live)")
        .contains("-  schedule: 0 2 * * *\n+  schedule: 0 3 * * *\n")
        .contains("+    - payments\n")
        .contains("6 differences in 3 clusters");
    // Only the owned fields: nothing Velero or the apiserver wrote into the Schedule shows up.
    assertThat(diff.out).doesNotContain("managedFields").doesNotContain("skipImmediately").doesNotContain("status:");

    Run apply = cli("apply");
    assertThat(apply.exit).as(apply.all()).isZero();
    for (String name : MEMBERS) {
      KubernetesClient c = fleet.member(name).client();
      assertThat(spec(velero(c, SCHEDULES, name + "-backup-default-nightly").orElseThrow())).containsEntry("schedule", "0 3 * * *");
      assertThat(velero(c, BACKUPS, next.get(name))).isPresent();
      assertThat(velero(c, BACKUPS, current.get(name))).as("the earlier run is kept").isPresent();
    }
    assertThat(cli("diff").exit).isZero();
  }

  @Test
  void handMadeDriftIsFoundAndUndone() {
    KubernetesClient c = fleet.member(2).client();
    c.apps().deployments().inNamespace("velero").withName("velero").edit(d -> {
      d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("velero/velero:v1.17.0");
      d.getMetadata().getAnnotations().put("team.example.com/owner", "someone"); // not fleet-backup's: no difference
      return d;
    });
    handEditSecret(fleet.member(2));

    Run diff = cli("diff");
    assertThat(diff.exit).as(diff.all()).isEqualTo(1);
    assertThat(diff.out.lines().filter(l -> l.matches("kurator-member\\d\\s+\\S+\\s+(created|changed|deleted)\\b.*")))
        .containsExactlyInAnyOrder(
            "kurator-member2  Secret/velero/quickstart-velero-s3  changed",
            "kurator-member2  Deployment/velero/velero  changed");
    assertThat(diff.out)
        .contains("-        image: velero/velero:v1.17.0\n+        image: velero/velero:v1.18.1\n")
        .contains("-  cloud: '*** (before)'\n+  cloud: '*** (after)'\n")
        .doesNotContain("team.example.com/owner")
        .doesNotContain("hand-edited-secret").doesNotContain("HANDEDIT");

    Run apply = cli("apply");
    assertThat(apply.exit).as(apply.all()).isZero();
    assertThat(c.apps().deployments().inNamespace("velero").withName("velero").get().getSpec().getTemplate().getSpec()
        .getContainers().get(0).getImage()).isEqualTo("velero/velero:v1.18.1");
    assertThat(c.apps().deployments().inNamespace("velero").withName("velero").get().getMetadata().getAnnotations())
        .containsEntry("team.example.com/owner", "someone");
    assertThat(cli("diff").exit).isZero();
  }

  @Test
  void oneMemberDownLeavesTheOtherTwoAppliedAndReportsIt() {
    Member down = fleet.member(3);
    down.killApiServer();
    try {
      repo.nightly("0 4 * * *", "shop", "payments");
      Instant start = Instant.now();
      Run apply = cli("apply");
      long took = Duration.between(start, Instant.now()).toMillis();
      System.out.printf("MEASURE apply with one member down: %d ms%n", took);
      assertThat(apply.exit).as(apply.all()).isEqualTo(2);
      assertThat(apply.out).containsPattern("kurator-member3\\n  error +cannot reach https://127\\.0\\.0\\.1:\\d+");
      for (String name : List.of("kurator-member1", "kurator-member2")) {
        assertThat(spec(velero(fleet.member(name).client(), SCHEDULES, name + "-backup-default-nightly").orElseThrow()))
            .containsEntry("schedule", "0 4 * * *");
      }
      Run diff = cli("diff");
      assertThat(diff.exit).isEqualTo(2);
      assertThat(diff.out).contains("1 cluster failed");
    } finally {
      down.startApiServer();
    }
    awaitServesVeleroKinds(down);
    Run apply = cli("apply");
    assertThat(apply.exit).as(apply.all()).isZero();
    assertThat(spec(velero(down.client(), SCHEDULES, "kurator-member3-backup-default-nightly").orElseThrow()))
        .containsEntry("schedule", "0 4 * * *");
  }

  /**
   * Issue 12, item 5: an entry added to member1's inventory with kubectl's field manager, pointing at
   * a ConfigMap someone else made with fleet-backup's label copied onto it, is reported as an edit
   * and deletes nothing; the apply writes the inventory again without it, and the warning is gone.
   */
  @Test
  void anInventoryEditedByHandIsReportedAndNothingForeignIsPruned() {
    KubernetesClient c = fleet.member(1).client();
    assertThat(velero(c, BACKUPS, "kurator-member1-backup-default-select-labels").orElseThrow().getMetadata().getManagedFields())
        .as("a run fleet-backup created is fleet-backup's on the API server's record (its User-Agent)")
        .extracting(ManagedFieldsEntry::getManager).contains("fleet-backup");
    ConfigMap team = c.configMaps().inNamespace("velero").resource(new ConfigMapBuilder()
        .withNewMetadata().withName("team-settings").addToLabels("app.kubernetes.io/managed-by", "fleet-backup").endMetadata()
        .addToData("owner", "team").build()).create();
    try {
      ConfigMap inventory = c.configMaps().inNamespace("kube-system").withName("fleet-backup-inventory").get();
      ObjectNode json = (ObjectNode) JSON.readTree(inventory.getData().get("inventory.json"));
      json.withArray("objects").addObject().put("group", "").put("kind", "ConfigMap").put("namespace", "velero")
          .put("name", "team-settings").put("uid", team.getMetadata().getUid());
      ObjectNode patch = JSON.createObjectNode();
      patch.putObject("data").put("inventory.json", JSON.writeValueAsString(json));
      c.configMaps().inNamespace("kube-system").withName("fleet-backup-inventory").patch(new PatchContext.Builder()
          .withPatchType(PatchType.JSON_MERGE).withFieldManager("kubectl-edit").build(), JSON.writeValueAsString(patch));

      Run diff = cli("diff");
      assertThat(diff.exit).as(diff.all()).isZero();
      assertThat(diff.out).containsPattern("kurator-member1  warning    inventory kube-system/fleet-backup-inventory was edited"
          + " by kubectl-edit \\(Update\\) at \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ, not by fleet-backup: nothing is pruned in this"
          + " cluster on this pass")
          .contains("kurator-member1  ConfigMap/velero/team-settings  skipped  (no longer desired, but fleet-backup never"
              + " wrote it (no field of its field manager); not deleted)")
          .doesNotContain("kurator-member2  warning");

      Run apply = cli("apply", "-o", "json");
      assertThat(apply.exit).as(apply.all()).isZero();
      JsonNode member1 = apply.json().path("clusters").get(0);
      assertThat(member1.path("warnings").get(0).path("reason").asString()).as(apply.all()).isEqualTo("InventoryEdited");
      assertThat(member1.path("inventoryWritten").asBoolean()).isTrue();
      assertThat(c.configMaps().inNamespace("velero").withName("team-settings").get()).as("someone else's, kept").isNotNull();
      assertThat(c.configMaps().inNamespace("kube-system").withName("fleet-backup-inventory").get().getData()
          .get("inventory.json")).doesNotContain("team-settings");

      Run after = cli("diff");
      assertThat(after.exit).as(after.all()).isZero();
      assertThat(after.out).doesNotContain("warning").doesNotContain("team-settings");
    } finally {
      c.configMaps().inNamespace("velero").withName("team-settings").delete();
    }
  }

  @Test
  @Order(Order.DEFAULT + 1) // last: undoing it, the next baseline reinstalls Velero everywhere
  void removingTheBackupPluginRemovesTheInstall() {
    // The backups go with the plugin: validation rejects a Backup on a fleet without Velero.
    repo.fleet(false).remove("backups/nightly.yaml").remove("backups/select-labels.yaml");
    Run diff = cli("diff");
    assertThat(diff.exit).isEqualTo(1);
    assertThat(diff.out).contains("kurator-member1  Deployment/velero/velero  deleted");

    Run guarded = cli("apply");
    assertThat(guarded.exit).as(guarded.all()).isEqualTo(2);
    assertThat(guarded.out).contains("refused").contains("--allow-mass-delete");
    assertThat(fleet.member(1).client().apps().deployments().inNamespace("velero").withName("velero").get()).isNotNull();

    Run apply = cli("apply", "--allow-mass-delete");
    assertThat(apply.exit).as(apply.all()).isZero();
    for (String name : MEMBERS) {
      KubernetesClient c = fleet.member(name).client();
      assertThat(c.apps().deployments().inNamespace("velero").withName("velero").get()).isNull();
      assertThat(c.apps().daemonSets().inNamespace("velero").withName("node-agent").get()).isNull();
      assertThat(c.secrets().inNamespace("velero").withName("quickstart-velero-s3").get()).isNull();
      assertThat(c.rbac().clusterRoleBindings().withName("velero").get()).isNull();
      assertThat(c.batch().v1().jobs().inNamespace("velero").withName("velero-upgrade-crds").get()).isNull();
      assertThat(velero(c, BSLS, "default")).isEmpty();
      assertThat(velero(c, SCHEDULES, name + "-backup-default-nightly")).isEmpty();
      assertThat(velero(c, BACKUPS, name + "-backup-default-select-labels")).as("Backups are never pruned").isPresent();
      await(name + " velero server stopped").atMost(Duration.ofSeconds(60))
          .until(() -> !fleet.veleroNode(fleet.member(name)).isVeleroServerRunning());
    }
    Run again = cli("apply", "-o", "json");
    assertThat(again.exit).isZero();
    again.json().path("clusters").forEach(cl -> assertThat(cl.path("requests").path("writes").asInt()).isZero());
  }

  /**
   * A hand-changed credentials Secret goes through every output there is, text and JSON, diff and
   * apply, and its values through none (as every test's outputs, checked after each). That each
   * output names the Secret, and the diffs mask its value, shows they did cover it.
   */
  @Test
  void noSecretValueAppearsInAnyOutput() {
    Member m1 = fleet.member(1);
    List<Run> runs = new ArrayList<>();
    handEditSecret(m1);
    runs.add(cli("diff"));
    runs.add(cli("diff", "-o", "json"));
    runs.add(cli("apply", "-o", "json"));
    handEditSecret(m1);
    runs.add(cli("apply"));

    assertThat(runs).extracting(Run::exit).as("diffs find the change, applies undo it").containsExactly(1, 1, 0, 0);
    for (Run run : runs) {
      assertThat(run.out).as(run.all()).contains("quickstart-velero-s3");
    }
    assertThat(runs.get(0).out).contains("-  cloud: '*** (before)'\n+  cloud: '*** (after)'\n");
    assertThat(runs.get(1).out).contains("*** (before)");
    assertNoSecretValueIn(runs.stream().flatMap(r -> java.util.stream.Stream.of(r.out, r.err)).toList());
  }

  private static void handEditSecret(Member m) {
    m.client().secrets().inNamespace("velero").withName("quickstart-velero-s3").edit(s -> {
      s.getData().put("cloud", base64(HAND_EDITED_CLOUD));
      return s;
    });
  }

  // --- helpers -------------------------------------------------------------------------------

  private static void assertNoSecretValueIn(List<String> printed) {
    String cloud = "[default]\naws_access_key_id=" + fleet.s3().accessKey() + "\naws_secret_access_key=" + fleet.s3().secretKey() + "\n";
    for (String output : printed) {
      assertThat(output)
          .doesNotContain(fleet.s3().secretKey())
          .doesNotContain("aws_access_key_id")
          .doesNotContain(base64(cloud))
          .doesNotContain("hand-edited-secret")
          .doesNotContain(base64(HAND_EDITED_CLOUD));
    }
  }

  /** A restarted kube-apiserver answers 429 while its caches fill; wait until it serves Velero's kinds. */
  private static void awaitServesVeleroKinds(Member m) {
    await(m.name() + " serves schedules").atMost(Duration.ofSeconds(60)).ignoreExceptions()
        .until(() -> m.client().genericKubernetesResources(SCHEDULES).inNamespace("velero").list() != null);
  }

  /** The highest {@code fleet-backup.dev/run-number} of the Backups of a run base; 0 when there is none. */
  private static int latestRunNumber(KubernetesClient c, String base) {
    return c.genericKubernetesResources(BACKUPS).inNamespace("velero").list().getItems().stream()
        .filter(b -> b.getMetadata().getAnnotations() != null && base.equals(b.getMetadata().getAnnotations().get("fleet-backup.dev/run")))
        .mapToInt(b -> Integer.parseInt(b.getMetadata().getAnnotations().get("fleet-backup.dev/run-number")))
        .max().orElse(0);
  }

  /** Run 1 is the base itself, run n the base and {@code -n}. */
  private static String runName(String base, int number) {
    return number <= 1 ? base : base + "-" + number;
  }

  record Run(int exit, String out, String err) {
    String all() {
      return "exit " + exit + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
    }

    JsonNode json() {
      return JSON.readTree(out);
    }
  }

  static Run cli(String command, String... extra) {
    List<String> args = new ArrayList<>(List.of(command, "--repo", repo.dir.toString(),
        "--kubeconfig-dir", fleet.kubeconfigDir().toString(), "--secrets-dir", secrets.toString()));
    args.addAll(List.of(extra));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Main.run(args.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
    outputs.add(out.toString());
    outputs.add(err.toString());
    System.out.println("$ fleet-backup " + String.join(" ", args) + "  # exit " + exit + "\n" + out + err);
    return new Run(exit, out.toString(), err.toString());
  }

  private static ResourceDefinitionContext velero(String plural, String kind) {
    return new ResourceDefinitionContext.Builder()
        .withGroup("velero.io").withVersion("v1").withPlural(plural).withKind(kind).withNamespaced(true).build();
  }

  private static Optional<GenericKubernetesResource> velero(KubernetesClient c, ResourceDefinitionContext ctx, String name) {
    return Optional.ofNullable(c.genericKubernetesResources(ctx).inNamespace("velero").withName(name).get());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> spec(GenericKubernetesResource r, String... path) {
    Map<String, Object> node = (Map<String, Object>) r.getAdditionalProperties().get("spec");
    for (String p : path) {
      node = (Map<String, Object>) node.get(p);
    }
    return node;
  }

  private static String phase(KubernetesClient c, ResourceDefinitionContext ctx, String name) {
    return velero(c, ctx, name)
        .map(r -> r.getAdditionalProperties().get("status"))
        .filter(Map.class::isInstance)
        .map(s -> String.valueOf(((Map<?, ?>) s).get("phase")))
        .orElse("");
  }

  private static boolean deploymentReady(KubernetesClient c) {
    Deployment d = c.apps().deployments().inNamespace("velero").withName("velero").get();
    return d != null && d.getStatus() != null && Integer.valueOf(1).equals(d.getStatus().getReadyReplicas());
  }

  private static String base64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
