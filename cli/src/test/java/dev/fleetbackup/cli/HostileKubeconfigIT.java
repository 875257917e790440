package dev.fleetbackup.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fleetbackup.model.ClusterState;
import dev.fleetbackup.model.MemberFailure;
import dev.fleetbackup.report.StatusFiles;
import dev.fleetbackup.report.StatusReport;
import dev.fleetbackup.testkit.ConfigRemote;
import dev.fleetbackup.testkit.FleetRepo;
import dev.fleetbackup.testkit.Member;
import dev.fleetbackup.testkit.TestFleet;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 11: a member kubeconfig is data. On two real members, a kubeconfig that would run a
 * command, call an identity provider, read a local file or skip TLS verification is refused by
 * {@code diff}, {@code apply} and {@code run --in-cluster} with one line naming where it came from
 * and the field; no command runs (a marker file stays absent), the other member goes on, the exit
 * code is non-zero. The opt-in flags make such a kubeconfig work.
 */
class HostileKubeconfigIT {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String EXEC_API = "client.authentication.k8s.io/v1";
  private static final String TOKEN_LINE = "    token: ";

  @TempDir static Path dir;
  static TestFleet fleet;
  static Path repo;
  static Path secrets;
  static String kubeconfig2;
  static String token2;

  @BeforeAll
  static void startFleet() throws Exception {
    fleet = TestFleet.start(dir.resolve("f"), TestFleet.Options.members(2));
    fleet.installVeleroCrds(fleet.member("kurator-member1"));
    FleetRepo files = new FleetRepo(dir.resolve("repo"), fleet.s3()).remove("clusters/kurator-member3.yaml");
    files.write("fleet/quickstart.yaml", Files.readString(files.dir.resolve("fleet/quickstart.yaml"))
        .replace("    - name: kurator-member3\n      kind: AttachedCluster\n", ""));
    repo = files.dir;
    secrets = FleetRepo.writeSecrets(dir.resolve("secrets"), fleet);
    kubeconfig2 = Files.readString(fleet.member("kurator-member2").kubeconfig());
    token2 = kubeconfig2.lines().filter(l -> l.startsWith(TOKEN_LINE)).findFirst().orElseThrow().substring(TOKEN_LINE.length());
  }

  @AfterAll
  static void stopFleet() {
    if (fleet != null) {
      fleet.close();
    }
  }

  /** Member 2's real kubeconfig with a line added under its user or its cluster. */
  enum Hostile {
    EXEC("user", "exec: {apiVersion: " + EXEC_API + ", command: /bin/sh, args: [-c, \"touch MARKER\"]}",
        "users[0].user.exec would run a command; refused (--insecure-kubeconfig-exec allows it)"),
    AUTH_PROVIDER("user", "auth-provider: {name: oidc, config: {idp-issuer-url: \"https://127.0.0.1:1\", client-id: x, refresh-token: y}}",
        "users[0].user.auth-provider would call out to a plugin or an identity provider; refused (use token or client-certificate-data)"),
    CLIENT_CERTIFICATE_FILE("user", "client-certificate: /etc/passwd",
        "users[0].user.client-certificate names a file; refused (only client-certificate-data is accepted)"),
    INSECURE_SKIP_TLS_VERIFY("cluster", "insecure-skip-tls-verify: true",
        "clusters[0].cluster.insecure-skip-tls-verify turns off verification of the server's certificate; refused (--insecure-kubeconfig-tls allows it)");

    final String under;
    final String line;
    final String refusal;

    Hostile(String under, String line, String refusal) {
      this.under = under;
      this.line = line;
      this.refusal = refusal;
    }

    String kubeconfig(Path marker) {
      String anchor = under.equals("user") ? TOKEN_LINE : "    server: ";
      return insertAfter(kubeconfig2, anchor, "    " + line.replace("MARKER", marker.toString()));
    }
  }

  private static String insertAfter(String text, String linePrefix, String newLine) {
    List<String> lines = new ArrayList<>(text.lines().toList());
    int at = lines.indexOf(lines.stream().filter(l -> l.startsWith(linePrefix)).findFirst().orElseThrow());
    lines.add(at + 1, newLine);
    return String.join("\n", lines) + "\n";
  }

  private static Path kubeconfigFile2() {
    return secrets.resolve("kurator-member2/kurator-member2.config");
  }

  /** What a user sees: the exit code and what was printed. */
  private record Run(int exit, String out, String err) {
    String all() {
      return "exit " + exit + "\n" + out + "\n" + err;
    }
  }

  private static Run run(String... args) {
    Cli cli = new Cli();
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--repo", repo.toString(), "--secrets-dir", secrets.toString()));
    int exit = cli.run(all.toArray(String[]::new));
    return new Run(exit, cli.out.toString(), cli.err.toString());
  }

  @ParameterizedTest
  @EnumSource(Hostile.class)
  void diffAndApplyRefuseTheKubeconfigRunNothingAndGoOnWithTheOtherMember(Hostile hostile) throws Exception {
    Path marker = dir.resolve("marker-" + hostile);
    Files.writeString(kubeconfigFile2(), hostile.kubeconfig(marker));
    String refusal = "kubeconfig of cluster kurator-member2 (" + kubeconfigFile2() + "): " + hostile.refusal;
    Map<String, String> before = objects(fleet.member("kurator-member2"));

    Run diff = run("diff", "--show-unchanged"); // member1's lines say it was diffed, changed or not
    assertThat(diff.exit).as(diff.all()).isEqualTo(2);
    assertThat(diff.out.lines())
        .contains("kurator-member2  error      " + refusal)
        .anyMatch(l -> l.startsWith("kurator-member1  BackupStorageLocation/velero/default  "));

    Run apply = run("apply", "-o", "json");
    assertThat(apply.exit).as(apply.all()).isEqualTo(2);
    JsonNode clusters = JSON.readTree(apply.out).path("clusters");
    assertThat(clusters).hasSize(2);
    assertThat(clusters.get(0).path("cluster").asString()).isEqualTo("kurator-member1");
    assertThat(clusters.get(0).path("status").asString()).as(clusters.get(0).toString()).isEqualTo("ok");
    assertThat(clusters.get(1).path("status").asString()).isEqualTo("error");
    assertThat(clusters.get(1).path("reason").asString()).isEqualTo("KUBECONFIG_REFUSED");
    assertThat(clusters.get(1).path("retryable").asBoolean()).isFalse();
    assertThat(clusters.get(1).path("message").asString()).isEqualTo(refusal);

    assertThat(marker).doesNotExist();
    assertThat(diff.all() + apply.all()).doesNotContain(token2);
    assertThat(objects(fleet.member("kurator-member2"))).as("nothing was written to member 2").isEqualTo(before);
  }

  /**
   * What an apply writes in a member (namespaces, the objects in namespace velero, cluster role
   * bindings, the inventory), each with its resource version, which any write changes.
   */
  private static Map<String, String> objects(Member member) {
    var c = member.client();
    List<io.fabric8.kubernetes.api.model.HasMetadata> all = new ArrayList<>(c.namespaces().list().getItems());
    all.addAll(c.serviceAccounts().inNamespace("velero").list().getItems());
    all.addAll(c.secrets().inNamespace("velero").list().getItems());
    all.addAll(c.apps().deployments().inNamespace("velero").list().getItems());
    all.addAll(c.rbac().clusterRoleBindings().list().getItems());
    java.util.Optional.ofNullable(c.configMaps().inNamespace("kube-system").withName("fleet-backup-inventory").get()).ifPresent(all::add);
    Map<String, String> objects = new java.util.TreeMap<>();
    all.forEach(o -> objects.put(o.getKind() + "/" + o.getMetadata().getNamespace() + "/" + o.getMetadata().getName(),
        o.getMetadata().getResourceVersion()));
    return objects;
  }

  @Test
  void withTheExecFlagThePluginRunsAndItsCredentialReachesTheMember() throws Exception {
    Path marker = dir.resolve("marker-allowed");
    Path credential = Files.writeString(dir.resolve("exec-credential.json"),
        "{\"apiVersion\":\"" + EXEC_API + "\",\"kind\":\"ExecCredential\",\"status\":{\"token\":\"" + token2 + "\"}}");
    String withoutToken = kubeconfig2.replace(TOKEN_LINE + token2 + "\n", "");
    Files.writeString(kubeconfigFile2(), insertAfter(withoutToken, "  user:",
        "    exec: {apiVersion: " + EXEC_API + ", command: /bin/sh, args: [-c, \"touch " + marker + "; cat " + credential + "\"]}"));

    Run diff = run("diff", "--cluster", "kurator-member2", "--insecure-kubeconfig-exec");

    assertThat(diff.exit).as(diff.all()).isEqualTo(1);
    assertThat(marker).exists();
    assertThat(diff.out.lines()).anyMatch(l -> l.startsWith("kurator-member2  BackupStorageLocation/velero/default  created"));
  }

  @Test
  void withTheTlsFlagAKubeconfigThatSkipsVerificationReachesTheMember() throws Exception {
    Files.writeString(kubeconfigFile2(), Hostile.INSECURE_SKIP_TLS_VERIFY.kubeconfig(dir));

    Run diff = run("diff", "--cluster", "kurator-member2", "--insecure-kubeconfig-tls");

    assertThat(diff.exit).as(diff.all()).isEqualTo(1);
    assertThat(diff.out.lines()).anyMatch(l -> l.startsWith("kurator-member2  BackupStorageLocation/velero/default  created"));
  }

  /**
   * {@code run --in-cluster}, as the built jar runs in a Pod: member 1's API server stands for the
   * management cluster and holds the Secrets; member 2's kubeconfig Secret has an exec plugin.
   */
  @Test
  void runInClusterRefusesTheSameWayAndHonoursTheFlag() throws Exception {
    Member management = fleet.member("kurator-member1");
    Path marker = dir.resolve("marker-in-cluster");
    secret(management, "kurator-member1", Map.of("kurator-member1.config", Files.readString(management.kubeconfig())));
    secret(management, "kurator-member2", Map.of("kurator-member2.config", Hostile.EXEC.kubeconfig(marker)));
    secret(management, "minio-credentials", Map.of("access-key", fleet.s3().accessKey(), "secret-key", fleet.s3().secretKey()));
    try (ConfigRemote remote = ConfigRemote.create(dir.resolve("git"))) {
      remote.commitTree(repo, "two members");

      Process refused = jar(management, remote, "run-refused");
      if (!refused.waitFor(3, TimeUnit.MINUTES)) {
        refused.destroyForcibly();
        throw new AssertionError("run did not finish: " + Files.readString(dir.resolve("run-refused.log")));
      }
      assertThat(refused.exitValue()).isEqualTo(2);
      assertThat(marker).doesNotExist();
      ClusterState member2 = status(remote).clusters().stream().filter(c -> c.cluster().equals("kurator-member2")).findFirst().orElseThrow();
      assertThat(member2.failure()).contains(new MemberFailure(MemberFailure.Reason.KUBECONFIG_REFUSED, "kubeconfig of cluster kurator-member2 (Secret default/kurator-member2 key kurator-member2.config): "
          + Hostile.EXEC.refusal));
      assertThat(member2.reachable()).isFalse();

      // member 2 is then reached and applied; its Velero CRDs never come (no node), so stop once the plugin ran
      Process allowed = jar(management, remote, "run-allowed", "--insecure-kubeconfig-exec");
      try {
        await("the exec plugin ran").atMost(Duration.ofMinutes(2)).until(() -> Files.exists(marker));
      } finally {
        allowed.destroyForcibly().waitFor();
      }
    }
  }

  private static void secret(Member management, String name, Map<String, String> values) {
    management.client().secrets().inNamespace("default").resource(new SecretBuilder().withNewMetadata().withName(name).endMetadata()
        .withStringData(values).build()).create();
  }

  /** Starts {@code java -jar cli/target/fleet-backup.jar run --in-cluster --once}, its management cluster from $KUBECONFIG. */
  private static Process jar(Member management, ConfigRemote remote, String name, String... flags) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
        ProductJar.path().toString(), "run", "--repo", remote.url(), "--in-cluster", "--once",
        "--work-dir", dir.resolve(name).toString()));
    command.addAll(List.of(flags));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile());
    builder.environment().put("KUBECONFIG", management.kubeconfig().toString());
    builder.environment().put("HOME", dir.toString());
    return builder.start();
  }

  private static StatusReport status(ConfigRemote remote) {
    String json = remote.filesOf(RunCommand.DEFAULT_STATUS_BRANCH).get(StatusFiles.STATUS_JSON);
    return new StatusFiles().parse(json.getBytes(StandardCharsets.UTF_8));
  }
}
