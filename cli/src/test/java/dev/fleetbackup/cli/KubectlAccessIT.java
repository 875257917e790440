package dev.fleetbackup.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fleetbackup.testkit.AuditEvent;
import dev.fleetbackup.testkit.FleetRepo;
import dev.fleetbackup.testkit.Member;
import dev.fleetbackup.testkit.TestFleet;
import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Members reached as a kubectl user holds them, on two real members of the test kit: an
 * AttachedCluster and one of Kurator's cluster-api clusters ({@code kind: Cluster}, reached through
 * its {@code <name>-kubeconfig} Secret, or the context of its name). Every test diffs (a dry run
 * writes nothing), so they share one fleet in any order.
 */
class KubectlAccessIT {
  private static final String ATTACHED = "kurator-member1";
  private static final String PROVISIONED = "edge";

  @TempDir static Path fleetDir;
  @TempDir static Path dir;
  static TestFleet fleet;
  static FleetRepo repo;
  /** The storage credentials only. */
  static Path storage;

  @BeforeAll
  static void startFleet() {
    fleet = TestFleet.start(fleetDir, TestFleet.Options.members(List.of(ATTACHED, PROVISIONED)));
    storage = dir.resolve("storage");
    FleetRepo.writeSecrets(storage, fleet.s3());
    repo = new FleetRepo(dir.resolve("repo"), fleet.s3()).clusters(1);
    String fleetYaml = read(repo.dir.resolve("fleet/quickstart.yaml"));
    repo.write("fleet/quickstart.yaml", fleetYaml.replace("      kind: AttachedCluster\n",
        "      kind: AttachedCluster\n    - name: " + PROVISIONED + "\n      kind: Cluster\n"));
  }

  @AfterAll
  static void stopFleet() {
    if (fleet != null) {
      fleet.close();
    }
  }

  private static Path kubeconfig(String member) {
    return fleet.member(member).kubeconfig();
  }

  private record Run(int exit, String out, String err) {}

  private static Run cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    System.out.println("$ fleet-backup " + String.join(" ", args) + "  # exit " + exit + "\n" + out + err);
    return new Run(exit, out.toString(), err.toString());
  }

  /** {@code java -jar fleet-backup.jar ARGS} with {@code environment} added, as an operator's shell runs it. */
  private static Run jar(Map<String, String> environment, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
        ProductJar.path().toString()));
    command.addAll(List.of(args));
    Path log = Files.createTempFile(dir, "jar", ".log");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().remove("KUBECONFIG");
    builder.environment().putAll(environment);
    int exit = builder.start().waitFor();
    String out = read(log);
    System.out.println("$ " + environment + " fleet-backup " + String.join(" ", args) + "  # exit " + exit + "\n" + out);
    return new Run(exit, out, "");
  }

  /** Both members were diffed: their Velero install shows as to be created, and neither failed. */
  private static void assertBothReached(Run run, Instant since) {
    assertThat(run.exit()).as("differences: nothing is installed yet").isEqualTo(1);
    assertThat(run.out()).contains(ATTACHED + "  Namespace/velero  created", PROVISIONED + "             Namespace/velero  created")
        .doesNotContain(" error ");
    for (String member : List.of(ATTACHED, PROVISIONED)) {
      Member m = fleet.member(member);
      await(member + "'s own log shows fleet-backup's dry run").atMost(Duration.ofSeconds(20)).until(() -> m.auditEvents().stream()
          .filter(e -> e.requestReceivedTimestamp().isAfter(since))
          .anyMatch(KubectlAccessIT::fleetBackupsDryRun));
    }
  }

  private static boolean fleetBackupsDryRun(AuditEvent e) {
    return e.userAgent().startsWith("fleet-backup/") && e.requestURI().contains("dryRun=All");
  }

  @Test
  void mergedKubeconfigFilesReachEachMemberThroughTheContextOfItsName() {
    Instant since = Instant.now().minusSeconds(1);

    Run run = cli("diff", "--repo", repo.dir.toString(), "--kubeconfig", kubeconfig(ATTACHED).toString(),
        "--kubeconfig", kubeconfig(PROVISIONED).toString(), "--secrets-dir", storage.toString());

    assertBothReached(run, since);
  }

  @Test
  void kubeconfigTheEnvironmentVariableIsReadAsKubectlReadsIt() throws Exception {
    Instant since = Instant.now().minusSeconds(1);
    String list = String.join(File.pathSeparator, kubeconfig(ATTACHED).toString(), dir.resolve("gone.config").toString(),
        kubeconfig(PROVISIONED).toString());

    Run run = jar(Map.of("KUBECONFIG", list), "diff", "--repo", repo.dir.toString());

    assertBothReached(run, since);
    assertThat(run.out()).as("no --secrets-dir, no storage credentials: the Secret is not rendered")
        .contains("storage credentials of fleet quickstart (Secret minio-credentials) are not available");
  }

  @Test
  void aClusterMemberIsReachedThroughItsClusterApiKubeconfigSecret() throws Exception {
    Path secrets = dir.resolve("secrets");
    FleetRepo.writeSecrets(secrets, fleet.s3());
    copy(kubeconfig(ATTACHED), secrets.resolve(ATTACHED).resolve(ATTACHED + ".config"));
    copy(kubeconfig(PROVISIONED), secrets.resolve(PROVISIONED + "-kubeconfig").resolve("value"));
    Instant since = Instant.now().minusSeconds(1);

    Run run = cli("diff", "--repo", repo.dir.toString(), "--secrets-dir", secrets.toString());

    assertBothReached(run, since);

    Files.delete(secrets.resolve(PROVISIONED + "-kubeconfig").resolve("value"));
    Run without = cli("diff", "--repo", repo.dir.toString(), "--secrets-dir", secrets.toString());
    assertThat(without.out()).contains(PROVISIONED + "             error      kubeconfig of cluster " + PROVISIONED + ": no file "
        + secrets.resolve(PROVISIONED + "-kubeconfig").resolve("value"));
    assertThat(without.out()).as("the other member goes on").contains(ATTACHED + "  Namespace/velero  created");
  }

  @Test
  void kubectlExternalDiffGetsTheTwoFoldersWithSecretValuesMasked() throws Exception {
    Path record = Files.createDirectories(dir.resolve("record"));
    Path script = dir.resolve("record-diff");
    Files.writeString(script, """
        #!/bin/sh
        printf '%%s\\n' "$@" > "%1$s/argv"
        for a; do live="$merged"; merged="$a"; done
        cp -R "$live" "%1$s/live"
        cp -R "$merged" "%1$s/merged"
        echo "recorded by the external diff"
        exit 1
        """.formatted(record));
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));

    Run run = jar(Map.of("KUBECTL_EXTERNAL_DIFF", script + " -u -N"), "diff", "--repo", repo.dir.toString(),
        "--kubeconfig", kubeconfig(ATTACHED).toString(), "--kubeconfig", kubeconfig(PROVISIONED).toString(),
        "--secrets-dir", storage.toString());

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out()).contains("recorded by the external diff").doesNotContain("(after apply)");
    assertThat(Files.readAllLines(record.resolve("argv"))).startsWith("-u", "-N").hasSize(4);
    List<Path> files;
    try (Stream<Path> walk = Files.walk(record)) {
      files = walk.filter(Files::isRegularFile).toList();
    }
    assertThat(files).extracting(p -> record.relativize(p).toString())
        .contains("merged/" + ATTACHED + "/Namespace.velero.yaml", "merged/" + PROVISIONED + "/Namespace.velero.yaml");
    List<Path> secretFiles = files.stream().filter(p -> p.getFileName().toString().startsWith("Secret.velero.")).toList();
    assertThat(secretFiles).as("the storage credentials Secret of each member").hasSize(2);
    assertThat(read(secretFiles.get(0))).contains("***");
    for (Path file : files) {
      assertThat(read(file)).doesNotContain(fleet.s3().secretKey()).doesNotContain(fleet.s3().accessKey());
    }
    assertThat(run.out()).doesNotContain(fleet.s3().secretKey());
  }

  private static void copy(Path from, Path to) throws Exception {
    Files.createDirectories(to.getParent());
    Files.copy(from, to);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
