package dev.fleetbackup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetbackup.testkit.ConfigRemote;
import dev.fleetbackup.validate.Guardrails;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine;

class GuardrailOptionsTest {
  private static final String INTO_KUBE_SYSTEM = "restores/shop-rollback.yaml:22:13: error: namespaceMapping target \"kube-system\" "
      + "is a refused namespace (guardrail --refused-target-namespaces)";

  @TempDir
  Path dir;

  private final Cli cli = new Cli();

  @Command(name = "probe")
  static final class Probe {
    @Mixin
    GuardrailOptions guardrails = new GuardrailOptions();
  }

  private static Guardrails parse(String... args) {
    Probe probe = new Probe();
    new CommandLine(probe).parseArgs(args);
    return probe.guardrails.value();
  }

  /** The sample repo, its restore mapping shop into kube-system (line 22). */
  private Path repoRestoringIntoKubeSystem() throws IOException {
    Path repo = copyOfSample(dir.resolve("repo"));
    Path restore = repo.resolve("restores/shop-rollback.yaml");
    Files.writeString(restore, Files.readString(restore) + "    namespaceMapping:\n      shop: kube-system\n");
    return repo;
  }

  private static Path copyOfSample(Path target) throws IOException {
    Path sample = Path.of("sample-repo");
    try (Stream<Path> files = Files.walk(sample)) {
      for (Path source : files.filter(Files::isRegularFile).toList()) {
        Path file = target.resolve(sample.relativize(source).toString());
        Files.createDirectories(file.getParent());
        Files.copy(source, file);
      }
    }
    return target;
  }

  @Test
  void withoutFlagsTheGuardrailsAreTheDefaults() {
    assertThat(parse()).isEqualTo(Guardrails.DEFAULTS);
    assertThat(parse("--refused-target-namespaces=", "--allowed-storage-config-keys=region").refusedTargetNamespaces()).isEmpty();
  }

  @Test
  void validateRefusesARestoreIntoKubeSystemUnlessTheFlagAllowsIt() throws IOException {
    Path repo = repoRestoringIntoKubeSystem();
    assertThat(cli.run("validate", repo.toString())).isEqualTo(1);
    assertThat(cli.out.toString().lines()).containsExactly(INTO_KUBE_SYSTEM, "validated 9 files, 9 objects: 1 error");

    Cli allowing = new Cli();
    assertThat(allowing.run("validate", "--refused-target-namespaces=kube-public,kube-node-lease,velero", repo.toString())).isZero();
    assertThat(allowing.out.toString()).isEqualTo("validated 9 files, 9 objects: valid" + System.lineSeparator());
  }

  @Test
  void validateRefusesTheMetadataServiceUnlessAnAllowedHostNamesIt() throws IOException {
    Path repo = copyOfSample(dir.resolve("repo"));
    Path fleet = repo.resolve("fleet/quickstart.yaml");
    Files.writeString(fleet, Files.readString(fleet).replace("http://minio.velero.svc:9000", "http://169.254.169.254:80"));

    assertThat(cli.run("validate", "-o", "json", repo.toString())).isEqualTo(1);
    Map<?, ?> json = Json.MAPPER.readValue(cli.out.toString(), Map.class);
    assertThat((List<?>) json.get("diagnostics")).singleElement().asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
        .containsEntry("file", "fleet/quickstart.yaml").containsEntry("line", 22).containsEntry("column", 21)
        .extractingByKey("message").asString().endsWith("(guardrail --allowed-storage-hosts)");

    assertThat(new Cli().run("validate", "--allowed-storage-hosts=*,169.254.169.254", repo.toString())).isZero();
    Cli onlyMinio = new Cli();
    assertThat(onlyMinio.run("validate", "--allowed-storage-hosts", "minio.velero.svc", repo.toString())).isEqualTo(1);
    assertThat(onlyMinio.out.toString()).contains("fleet/quickstart.yaml:22:21: error: endpoint \"http://169.254.169.254:80\": host "
        + "\"169.254.169.254\" is a link-local address (169.254.0.0/16), where cloud metadata services answer (guardrail --allowed-storage-hosts)");
  }

  @Test
  void aGuardrailFlagThatMakesNoSenseIsAUsageError() {
    assertThat(cli.run("validate", "--allowed-storage-hosts=https://minio:9000", "sample-repo")).isEqualTo(2);
    assertThat(cli.err.toString()).contains("--allowed-storage-hosts: \"https://minio:9000\" is a URL or has a port");

    Cli empty = new Cli();
    assertThat(empty.run("validate", "--allowed-storage-hosts=", "sample-repo")).isEqualTo(2);
    assertThat(empty.err.toString()).contains("--allowed-storage-hosts needs at least one entry; * allows any host");

    Cli namespace = new Cli();
    assertThat(namespace.run("diff", "--refused-target-namespaces=Kube_System", "--repo", "sample-repo", "--kubeconfig-dir", dir.toString()))
        .isEqualTo(2);
    assertThat(namespace.err.toString()).contains("--refused-target-namespaces: namespace \"Kube_System\" must consist of lower case");
  }

  @Test
  void diffAndApplyRefuseSuchAPolicyBeforeContactingAnyMember() throws Exception {
    Path repo = repoRestoringIntoKubeSystem();
    try (Members members = new Members(dir.resolve("kubeconfigs"))) {
      // an invalid repo: an error for diff (as kubectl diff, whose 1 means differences), a finding for apply
      for (Map.Entry<String, Integer> command : Map.of("diff", 2, "apply", 1).entrySet()) {
        Cli run = new Cli();
        assertThat(run.run(command.getKey(), "--repo", repo.toString(), "--kubeconfig-dir", members.kubeconfigs.toString()))
            .as(command.getKey()).isEqualTo(command.getValue());
        assertThat(run.out.toString()).as(command.getKey()).contains(INTO_KUBE_SYSTEM, "1 error");
      }
      assertThat(members.contacts()).as("connections to the members").isZero();

      // the same members are reached by a policy inside the guardrails: the count above could have been more than zero
      assertThat(new Cli().run("diff", "--repo", "sample-repo", "--kubeconfig-dir", members.kubeconfigs.toString())).isEqualTo(2);
      assertThat(members.contacts()).isPositive();
    }
  }

  @Test
  void runRejectsSuchACommitAndSaysWhyOnTheStatusBranch() throws Exception {
    try (ConfigRemote remote = ConfigRemote.create(dir.resolve("remote"))) {
      remote.commitTree(repoRestoringIntoKubeSystem(), "restore into kube-system");
      assertThat(cli.run("run", "--once", "--repo", remote.url(), "--work-dir", dir.resolve("work").toString(),
          "--kubeconfig-dir", dir.resolve("nowhere").toString())).isZero();

      Cli status = new Cli();
      status.run("status", "--repo", remote.url(), "--work-dir", dir.resolve("status-work").toString());
      assertThat(status.out.toString()).contains("rejected  restores/shop-rollback.yaml:22:13",
          "namespaceMapping target \"kube-system\" is a refused namespace (guardrail --refused-target-namespaces)");
    }
  }

  @Test
  void theDeploymentPassesEachGuardrailFromItsSettingsWithTheDefaults() {
    Map<String, String> settings = DeployFiles.settings(DeployFiles.BASE);
    String args = String.join(" ", DeployFiles.containerArgs());
    Map<String, String> flags = Map.of(
        "--allowed-storage-hosts", "FLEET_BACKUP_ALLOWED_STORAGE_HOSTS=" + GuardrailOptions.DEFAULT_ALLOWED_STORAGE_HOSTS,
        "--refused-target-namespaces", "FLEET_BACKUP_REFUSED_TARGET_NAMESPACES=" + GuardrailOptions.DEFAULT_REFUSED_TARGET_NAMESPACES,
        "--allowed-storage-config-keys", "FLEET_BACKUP_ALLOWED_STORAGE_CONFIG_KEYS=" + GuardrailOptions.DEFAULT_ALLOWED_STORAGE_CONFIG_KEYS);
    flags.forEach((flag, literal) -> {
      String key = literal.substring(0, literal.indexOf('='));
      assertThat(key + "=" + settings.get(key)).isEqualTo(literal);
      assertThat(args).contains(flag + "=$(" + key + ")");
    });
  }

  /** The sample's three members, all pointing at one local port that counts who connects (and hangs up on them). */
  private static final class Members implements AutoCloseable {
    final Path kubeconfigs;
    private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final AtomicInteger contacts = new AtomicInteger();
    private final Thread acceptor;

    Members(Path kubeconfigs) throws IOException {
      this.kubeconfigs = Files.createDirectories(kubeconfigs);
      for (int i = 1; i <= 3; i++) {
        Files.writeString(kubeconfigs.resolve("kurator-member" + i + ".config"), """
            apiVersion: v1
            kind: Config
            clusters: [{name: m, cluster: {server: "https://127.0.0.1:%d"}}]
            users: [{name: u, user: {token: not-a-token}}]
            contexts: [{name: c, context: {cluster: m, user: u}}]
            current-context: c
            """.formatted(server.getLocalPort()));
      }
      acceptor = new Thread(() -> {
        while (!server.isClosed()) {
          try (Socket socket = server.accept()) {
            contacts.incrementAndGet();
          } catch (IOException e) {
            // closed
          }
        }
      }, "members");
      acceptor.start();
    }

    int contacts() {
      return contacts.get();
    }

    @Override
    public void close() throws Exception {
      server.close();
      acceptor.join();
    }
  }
}
