package dev.fleetbackup.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fleetbackup.cluster.CredentialSource;
import dev.fleetbackup.model.ClusterRun;
import dev.fleetbackup.model.Condition;
import dev.fleetbackup.model.PolicySet;
import dev.fleetbackup.model.VeleroPhase;
import dev.fleetbackup.model.VeleroRun;
import dev.fleetbackup.model.WorkflowStatus;
import dev.fleetbackup.pipeline.FleetPass;
import dev.fleetbackup.pipeline.PassOutcome;
import dev.fleetbackup.report.StatusFiles;
import dev.fleetbackup.report.StatusReport;
import dev.fleetbackup.testkit.AdmissionGate;
import dev.fleetbackup.testkit.FleetRepo;
import dev.fleetbackup.testkit.Member;
import dev.fleetbackup.testkit.TestFleet;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6's "done when", on three real members with real Velero servers and one S3 server. One
 * fleet for the class: the config repo holds every workflow from the start, and each pass moves all
 * of them, so Velero's minute-long waits (schedule check, backup sync) overlap, and every test
 * passes whatever ran before it: it runs passes until what it checks has happened.
 *
 * <p>Velero checks its Schedules once a minute from its start (a constant of its schedule
 * controller) and runs one that is due then. The Schedule is created after the server has started
 * (a pass creates it once the storage location is Available), so {@code @every 1m} is not yet due
 * at the first check after its creation and runs first two checks later; {@code @every 30s} runs at
 * that first check, and at every check after it. That is a minute less for the schedule's test,
 * which waits for two completed runs (measured: 109 s then, 45 s now; the class 213 s, 161 s).
 *
 * <p>The fleet's first passes are made by a reconciler in a JVM of its own, which is killed
 * (SIGKILL) inside a pass (the first, unless that one could create no run), at a point the test
 * chooses and proves: member 1's API server holds, in an {@link AdmissionGate}, the first write
 * that follows the pass's first created run, and the reconciler is killed while it waits for that
 * write's answer. From then on the reconciler runs in
 * this JVM and is rebuilt from nothing (new pipeline, clients, status builder) every time the
 * migration's phase changes, as if it were killed and started again between passes.
 */
class WorkflowsIT {
  private static final String M1 = "kurator-member1";
  private static final String M2 = "kurator-member2";
  private static final String M3 = "kurator-member3";
  private static final Duration VELERO_TIMEOUT = Duration.ofMinutes(4);
  private static final Duration PAUSE = Duration.ofSeconds(2);
  private static final ResourceDefinitionContext BACKUPS = velero("backups", "Backup");
  private static final ResourceDefinitionContext RESTORES = velero("restores", "Restore");
  private static final String RUN = "fleet-backup.dev/run";
  private static final String RUN_NUMBER = "fleet-backup.dev/run-number";
  private static final List<String> MIGRATE_ORDER = List.of("Pending", "BackupInProgress", "RestoreInProgress", "Completed");

  /** Short: Velero's plugin sockets live below it (108-byte limit). */
  @TempDir static Path fleetDir;
  @TempDir static Path dir;
  static TestFleet fleet;
  static Path repo;
  static CredentialSource credentials;
  static KilledPass killed;
  static Reconciler reconciler;
  static Instant started;

  @BeforeAll
  static void startFleetAndKillAReconcilerMidPass() throws Exception {
    started = Instant.now();
    fleet = TestFleet.start(fleetDir, TestFleet.Options.members(3).withVeleroNode());
    System.out.printf("MEASURE fleet start: %d ms%n", fleet.startupTime().toMillis());
    Path secrets = Files.createDirectories(dir.resolve("secrets").resolve("minio-credentials"));
    Files.writeString(secrets.resolve("access-key"), fleet.s3().accessKey());
    Files.writeString(secrets.resolve("secret-key"), fleet.s3().secretKey());
    credentials = ReconcilerProcess.credentials(fleet.kubeconfigDir(), dir.resolve("secrets"));
    for (Member m : List.of(fleet.member(M1), fleet.member(M2))) {
      app(m.client(), "shop");
    }
    app(fleet.member(M1).client(), "moving");
    // Backup "doomed" cannot be stored: its folder in member3's prefix is taken by an object, so
    // Velero's upload fails and the run ends Failed with Velero's reason.
    fleet.s3().putObject(M3 + "/backups/" + M3 + "-backup-default-doomed", "in the way".getBytes(StandardCharsets.UTF_8));
    repo = dir.resolve("repo");
    writeRepo();
    killed = killAReconcilerMidPass();
    System.out.println("killed mid-pass: " + killed);
    reconciler = new Reconciler();
  }

  /**
   * What a reconciler killed in the middle of a pass left: the run it had created first in that
   * pass, the write it was waiting on when it was killed (held by the gate, then refused), whether
   * it was alive then, its exit status, and the runs and inventory member 1 held afterwards.
   */
  record KilledPass(AdmissionGate.Request firstRun, AdmissionGate.Request held, boolean aliveWhileHeld, int exitStatus,
      List<String> runsOnM1, Optional<String> inventoryOnM1, String log) {
    @Override
    public String toString() {
      return "first run " + firstRun + ", held " + held + ", alive while held " + aliveWhileHeld + ", exit " + exitStatus
          + ", runs on " + M1 + " after: " + runsOnM1;
    }
  }

  /**
   * Starts the reconciler in a JVM of its own with a gate on member 1 that lets everything through
   * until the first run is created, then holds the next write of a run or of the inventory; kills
   * the reconciler while that write is held, records what member 1 holds, then refuses the write.
   */
  private static KilledPass killAReconcilerMidPass() throws Exception {
    AtomicReference<AdmissionGate.Request> firstRun = new AtomicReference<>();
    Member m1 = fleet.member(M1);
    Path log = dir.resolve("killed-reconciler.log");
    try (AdmissionGate gate = AdmissionGate.install(m1, dir.resolve("gate"),
        List.of(AdmissionGate.creates("velero.io", "backups", "restores"), AdmissionGate.writes("", "configmaps")),
        Map.of("app.kubernetes.io/managed-by", "fleet-backup"), request -> {
          if (request.dryRun()) {
            return AdmissionGate.Verdict.ALLOW;
          }
          if (firstRun.get() == null) {
            if (request.annotations().containsKey(RUN)) {
              firstRun.set(request);
            }
            return AdmissionGate.Verdict.ALLOW;
          }
          return AdmissionGate.Verdict.HOLD;
        })) {
      Process reconciler = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
          ReconcilerProcess.class.getName(), repo.toString(), fleet.kubeconfigDir().toString(), dir.resolve("secrets").toString())
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      try {
        await("the killed reconciler's write held on " + M1).atMost(VELERO_TIMEOUT).pollInterval(Duration.ofMillis(20))
            .until(() -> !gate.heldRequests().isEmpty() || !reconciler.isAlive());
        boolean alive = reconciler.isAlive();
        reconciler.destroyForcibly().waitFor();
        AdmissionGate.Request held = gate.heldRequests().isEmpty() ? null : gate.heldRequests().get(0);
        gate.release();
        ConfigMap inventory = m1.client().configMaps().inNamespace("kube-system").withName("fleet-backup-inventory").get();
        return new KilledPass(firstRun.get(), held, alive, reconciler.exitValue(), runNames(m1.client()),
            Optional.ofNullable(inventory).map(i -> String.valueOf(i.getData())), Files.readString(log));
      } finally {
        reconciler.destroyForcibly();
      }
    }
  }

  @AfterAll
  static void stopFleet() {
    if (reconciler != null) {
      reconciler.printMeasures();
    }
    if (fleet != null) {
      fleet.close();
    }
  }

  @Test
  void immediateBackupCompletesOnTwoClustersEachUnderItsOwnPrefix() {
    Instant t0 = Instant.now();
    PassOutcome result = reconciler.until("Backup shop-now Completed", r -> "Completed".equals(backup(r, "shop-now").phase()));
    System.out.printf("MEASURE immediate backup completed: %d ms after the first pass%n", Duration.between(t0, Instant.now()).toMillis());
    WorkflowStatus status = backup(result, "shop-now");
    assertThat(status.clusters()).extracting(ClusterRun::cluster).containsExactly(M1, M2);
    assertThat(status.clusters()).allSatisfy(c -> {
      assertThat(c.current()).map(VeleroRun::phase).contains(VeleroPhase.COMPLETED);
      assertThat(c.current().get().itemsDone()).as(c.toString()).isGreaterThanOrEqualTo(3);
      // the rest of Velero's BackupStatus, as the status branch shows it
      assertThat(c.current().get().counters().formatVersion()).as(c.toString()).isEqualTo("1.1.0");
    });
    assertThat(condition(status, Condition.READY)).satisfies(c -> {
      assertThat(c.status()).isEqualTo(Condition.Status.True);
      assertThat(c.reason()).isEqualTo("Succeeded");
    });
    for (String member : List.of(M1, M2)) {
      String name = member + "-backup-default-shop-now";
      assertThat(fleet.s3().listKeys(member + "/backups/" + name + "/")).contains(member + "/backups/" + name + "/velero-backup.json",
          member + "/backups/" + name + "/" + name + ".tar.gz");
    }
    assertThat(fleet.s3().listKeys(M3 + "/backups/" + M3 + "-backup-default-shop-now/")).isEmpty();
    assertThat(fleet.s3().listKeys(M1 + "/backups/" + M2 + "-backup-default-shop-now/")).isEmpty();
    assertThat(result.clusters()).extracting(c -> c.cluster() + " " + c.veleroReady() + " " + c.backupLocationPhase())
        .containsExactly(M1 + " true Available", M2 + " true Available", M3 + " true Available");
  }

  @Test
  void failingBackupIsFailedWithVelerosReasonAndNeverRetried() {
    PassOutcome result = reconciler.until("Backup doomed Failed", r -> "Failed".equals(backup(r, "doomed").phase()));
    WorkflowStatus status = backup(result, "doomed");
    VeleroRun run = status.clusters().get(0).current().orElseThrow();
    assertThat(run.phase()).isEqualTo(VeleroPhase.FAILED);
    assertThat(run.failureReason()).as("Velero's own reason").isPresent();
    System.out.println("Velero's reason: " + run.failureReason().get());
    assertThat(condition(status, Condition.STALLED).message()).contains(run.name() + " Failed in " + M3).contains("not retried");
    assertThat(condition(status, Condition.READY).reason()).isEqualTo("BackupFailed");

    for (int i = 0; i < 3; i++) {
      result = reconciler.pass();
    }
    assertThat(backup(result, "doomed").phase()).isEqualTo("Failed");
    assertThat(runs(fleet.member(M3).client(), BACKUPS, M3 + "-backup-default-doomed")).as("one run, never retried").hasSize(1);
    String readme = new String(new StatusFiles().render(reconciler.report(result)).get(StatusFiles.README), StandardCharsets.UTF_8);
    System.out.println(readme);
    assertThat(readme).contains("default/doomed").contains("Failed");
  }

  @Test
  void deletedObjectsComeBackWithARestore() {
    reconciler.until("Backup shop-now Completed", r -> "Completed".equals(backup(r, "shop-now").phase()));
    KubernetesClient c = fleet.member(M2).client();
    Map<String, Object> before = snapshot(c, "shop");
    c.configMaps().inNamespace("shop").withName("settings").delete();
    c.secrets().inNamespace("shop").withName("token").delete();
    c.services().inNamespace("shop").withName("web").delete();
    assertThat(snapshot(c, "shop")).isEmpty();

    write("restores/shop-restore.yaml", """
        apiVersion: backup.kurator.dev/v1alpha1
        kind: Restore
        metadata:
          name: shop-restore
          namespace: default
        spec:
          backupName: shop-now
          destination:
            fleet: quickstart
            clusters:
              - kind: AttachedCluster
                name: kurator-member2
        """);
    Instant t0 = Instant.now();
    PassOutcome result = reconciler.until("Restore shop-restore Completed", r -> "Completed".equals(restore(r, "shop-restore").phase()));
    System.out.printf("MEASURE restore completed: %d ms after it was committed%n", Duration.between(t0, Instant.now()).toMillis());
    assertThat(restore(result, "shop-restore").clusters()).singleElement().satisfies(run -> {
      assertThat(run.cluster()).isEqualTo(M2);
      assertThat(run.role()).isEqualTo("restore");
      assertThat(run.current()).map(VeleroRun::phase).contains(VeleroPhase.COMPLETED);
    });
    assertThat(snapshot(c, "shop")).isEqualTo(before);
  }

  @Test
  void migrationMovesTheApplicationIntoBothTargetsThroughItsPhasesInOrder() {
    Instant t0 = Instant.now();
    PassOutcome result = reconciler.until("Migrate shop-move Completed", r -> "Completed".equals(migration(r, "shop-move").phase()));
    System.out.printf("MEASURE migration completed: %d ms after test start (%d ms into this test)%n",
        Duration.between(started, Instant.now()).toMillis(), Duration.between(t0, Instant.now()).toMillis());
    List<String> phases = reconciler.phases("shop-move");
    System.out.println("Migrate phases observed: " + phases);
    assertThat(phases).contains("RestoreInProgress", "Completed");
    assertThat(phases).allMatch(MIGRATE_ORDER::contains);
    assertThat(phases).isSortedAccordingTo((a, b) -> Integer.compare(MIGRATE_ORDER.indexOf(a), MIGRATE_ORDER.indexOf(b)));

    WorkflowStatus status = migration(result, "shop-move");
    assertThat(status.clusters()).extracting(r -> r.cluster() + " " + r.role()).containsExactly(M1 + " source", M2 + " target", M3 + " target");
    assertThat(status.clusters()).allSatisfy(r -> assertThat(r.current()).map(VeleroRun::phase).contains(VeleroPhase.COMPLETED));
    Map<String, Object> source = snapshot(fleet.member(M1).client(), "moving");
    assertThat(source).hasSize(3);
    for (String target : List.of(M2, M3)) {
      assertThat(snapshot(fleet.member(target).client(), "moving")).as(target).isEqualTo(source);
    }
  }

  @Test
  void aReconcilerKilledMidPassLeavesNoStepDoneTwice() {
    // where the kill landed: in the killed JVM's pass, after it created a run, inside its next write
    assertThat(killed.firstRun()).as("a run created by the killed pass; log:%n%s", killed.log()).isNotNull();
    assertThat(killed.held()).as("a write the killed pass was waiting on; log:%n%s", killed.log()).isNotNull();
    assertThat(killed.aliveWhileHeld()).as("alive while its write was held").isTrue();
    assertThat(killed.exitStatus()).as("killed by SIGKILL").isEqualTo(128 + 9);
    assertThat(killed.runsOnM1()).as("what the kill left on %s", M1).contains(killed.firstRun().name())
        .doesNotContain(killed.held().name());
    killed.inventoryOnM1().ifPresent(inventory ->
        assertThat(inventory).as("the killed pass had not recorded its run").doesNotContain(killed.firstRun().name()));
    System.out.println("killed reconciler's log:\n" + killed.log());

    // every step once, after every pass of the restarted reconcilers until the migration is done
    PassOutcome result = reconciler.until("Migrate shop-move Completed and Backup shop-now Completed", r -> {
      assertEveryRunMadeOnce();
      return "Completed".equals(migration(r, "shop-move").phase()) && "Completed".equals(backup(r, "shop-now").phase());
    });
    assertEveryRunMadeOnce();
    List<String> made = runNames(fleet.member(M1).client());
    assertThat(made).as("the run the killed pass made, once").containsOnlyOnce(killed.firstRun().name());
    if (List.of("backups", "restores").contains(killed.held().resource())) {
      assertThat(made).as("the run it was killed making, made once by a later pass").containsOnlyOnce(killed.held().name());
    }
    String backup = M1 + "-migrate-default-shop-move";
    for (String target : List.of(M2, M3)) {
      KubernetesClient c = fleet.member(target).client();
      List<GenericKubernetesResource> restores = runs(c, RESTORES, target + "-migrate-default-shop-move");
      assertThat(restores).as(target + ": one restore").hasSize(1);
      assertThat(spec(restores.get(0))).containsEntry("backupName", backup);
      assertThat(c.genericKubernetesResources(BACKUPS).inNamespace("velero").withName(backup).get())
          .as(target + ": the source backup, synced").isNotNull();
    }
    assertThat(migration(result, "shop-move").clusters()).allSatisfy(r ->
        assertThat(r.current()).map(VeleroRun::phase).contains(VeleroPhase.COMPLETED));
    assertThat(reconciler.restarts).as("rebuilt from nothing while the migration was under way").isNotEmpty()
        .allMatch(p -> p.equals("BackupInProgress") || p.equals("RestoreInProgress") || p.equals("Pending"));
    System.out.println("reconciler rebuilt after phases: " + reconciler.restarts);
  }

  @Test
  void scheduleProducesRunsAndTheStatusShowsTheLastCompletedOne() {
    PassOutcome result = reconciler.until("a completed run of schedule shop-every-30s",
        r -> backup(r, "shop-every-30s").clusters().get(0).lastCompleted().isPresent());
    System.out.printf("MEASURE first completed scheduled run: %d ms after test start%n", Duration.between(started, Instant.now()).toMillis());
    WorkflowStatus status = backup(result, "shop-every-30s");
    assertThat(status.phase()).isEqualTo("Enabled");
    assertThat(status.schedule()).contains("@every 30s");
    assertThat(status.problems()).isEmpty();
    ClusterRun m1 = status.clusters().get(0);
    assertThat(m1.veleroName()).contains(M1 + "-backup-default-shop-every-30s");
    String first = m1.lastCompleted().orElseThrow().name();
    assertThat(first).startsWith(M1 + "-backup-default-shop-every-30s-");
    assertThat(condition(status, Condition.READY).status()).isEqualTo(Condition.Status.True);

    // The restore of the schedule waited for that run and said so; then it restored the newest completed run.
    assertThat(reconciler.sawWaiting).as("Restore every-30s-restore waited with reason WaitingForBackup").isTrue();
    result = reconciler.until("Restore every-30s-restore Completed",
        r -> "Completed".equals(restore(r, "every-30s-restore").phase()));
    List<GenericKubernetesResource> restores = runs(fleet.member(M1).client(), RESTORES, M1 + "-restore-default-every-30s-restore");
    assertThat(restores).hasSize(1);
    // It restored the newest run that had completed when the restore was created (which, as the
    // schedule runs at each of Velero's checks, need not be the run this test saw first).
    String used = (String) spec(restores.get(0)).get("backupName");
    Instant restoreCreated = Instant.parse(restores.get(0).getMetadata().getCreationTimestamp());
    assertThat(completedRuns(M1 + "-backup-default-shop-every-30s-", restoreCreated)).contains(used);
    // A run that completed while that pass was under way may be newer; one well before it may not.
    assertThat(completedRuns(M1 + "-backup-default-shop-every-30s-", restoreCreated.minusSeconds(10)))
        .allMatch(older -> older.compareTo(used) <= 0);

    // The schedule goes on: the next run completes and the status moves its last completed run on.
    result = reconciler.until("a second completed run of schedule shop-every-30s",
        r -> backup(r, "shop-every-30s").clusters().get(0).lastCompleted().filter(c -> !c.name().equals(first)).isPresent());
    System.out.printf("MEASURE second completed scheduled run: %d ms after test start%n", Duration.between(started, Instant.now()).toMillis());
    ClusterRun next = backup(result, "shop-every-30s").clusters().get(0);
    assertThat(next.lastCompleted().orElseThrow().name()).isGreaterThan(first);
    assertThat(next.current()).isPresent();
    assertThat(backup(result, "shop-every-30s").phase()).isEqualTo("Enabled");
    assertThat(runs(fleet.member(M1).client(), RESTORES, M1 + "-restore-default-every-30s-restore"))
        .as("the restore ran once, not again for the newer run").hasSize(1);
  }

  // --- the reconciler ------------------------------------------------------------------------

  /** Runs passes like the daemon, and rebuilds itself from nothing whenever the migration's phase changes. */
  static final class Reconciler {
    FleetPass pass = ReconcilerProcess.newPass(credentials);
    final List<String> restarts = new ArrayList<>();
    final Map<String, List<String>> phases = new TreeMap<>();
    final List<Long> passMillis = new ArrayList<>();
    boolean sawWaiting;
    private String migrationPhase = "";

    PassOutcome pass() {
      Instant t0 = Instant.now();
      PassOutcome result = pass.run(policies());
      passMillis.add(Duration.between(t0, Instant.now()).toMillis());
      for (WorkflowStatus w : result.migrations()) {
        record(w);
      }
      result.backups().forEach(this::record);
      result.restores().forEach(this::record);
      result.restores().stream().filter(r -> r.id().name().equals("every-30s-restore")).forEach(r -> {
        Condition ready = condition(r, Condition.READY);
        if ("WaitingForBackup".equals(ready.reason()) && ready.status() == Condition.Status.False
            && r.clusters().get(0).waitingFor().filter(w -> w.startsWith("a completed run of schedule")).isPresent()) {
          sawWaiting = true;
        }
      });
      String phase = result.migrations().stream().filter(m -> m.id().name().equals("shop-move")).findFirst()
          .map(WorkflowStatus::phase).orElse("");
      if (!phase.equals(migrationPhase) && !phase.equals("Completed")) {
        restarts.add(phase);
        pass = ReconcilerProcess.newPass(credentials); // the old one is dropped with everything it held
      }
      migrationPhase = phase;
      return result;
    }

    private void record(WorkflowStatus w) {
      List<String> seen = phases.computeIfAbsent(w.id().name(), n -> new ArrayList<>());
      if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(w.phase())) {
        seen.add(w.phase());
      }
    }

    List<String> phases(String name) {
      return phases.getOrDefault(name, List.of());
    }

    /** Passes, {@link #PAUSE} apart as a daemon's interval, until one satisfies {@code done}. */
    PassOutcome until(String what, Predicate<PassOutcome> done) {
      AtomicReference<PassOutcome> last = new AtomicReference<>();
      try {
        return await(what).atMost(VELERO_TIMEOUT).pollInSameThread().pollDelay(Duration.ZERO).pollInterval(PAUSE)
            .until(() -> {
              last.set(pass());
              return last.get();
            }, done);
      } catch (ConditionTimeoutException e) {
        throw new AssertionError("timed out after " + VELERO_TIMEOUT + " waiting for " + what + "; last pass:\n" + describe(last.get()), e);
      }
    }

    StatusReport report(PassOutcome r) {
      return new StatusReport(Instant.now(), Duration.ZERO, Optional.empty(), Optional.empty(), Optional.empty(),
          r.clusters(), r.backups(), r.restores(), r.migrations());
    }

    void printMeasures() {
      List<Long> sorted = passMillis.stream().sorted().toList();
      if (!sorted.isEmpty()) {
        System.out.printf("MEASURE %d passes: first %d ms, median %d ms, max %d ms%n", sorted.size(), passMillis.get(0),
            sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1));
      }
      System.out.println("phases observed: " + phases);
    }

    private static String describe(PassOutcome r) {
      if (r == null) {
        return "none";
      }
      StringBuilder s = new StringBuilder();
      r.clusters().forEach(c -> s.append("  ").append(c).append('\n'));
      for (List<WorkflowStatus> list : List.of(r.backups(), r.restores(), r.migrations())) {
        list.forEach(w -> s.append("  ").append(w).append('\n'));
      }
      return s.toString();
    }
  }

  private static PolicySet policies() {
    try {
      return ReconcilerProcess.policies(repo);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // --- the config repo -----------------------------------------------------------------------

  private static void writeRepo() {
    new FleetRepo(repo, fleet.s3()).migrate("shop-move", "moving");
    write("backups/shop-now.yaml", backup("shop-now", "", "[kurator-member1, kurator-member2]", """
              includedNamespaces: [shop]
              labelSelector:
                matchLabels:
                  app: shop"""));
    write("backups/shop-every-30s.yaml", backup("shop-every-30s", "  schedule: \"@every 30s\"\n", "[kurator-member1]", """
              includedNamespaces: [shop]"""));
    write("backups/doomed.yaml", backup("doomed", "", "[kurator-member3]", """
              includedNamespaces: [shop]"""));
    write("restores/every-30s-restore.yaml", """
        apiVersion: backup.kurator.dev/v1alpha1
        kind: Restore
        metadata:
          name: every-30s-restore
          namespace: default
        spec:
          backupName: shop-every-30s
        """);
  }

  private static String backup(String name, String schedule, String clusters, String filter) {
    String list = java.util.Arrays.stream(clusters.replaceAll("[\\[\\]]", "").split(",\\s*"))
        .map(c -> "      - {kind: AttachedCluster, name: " + c + "}").collect(Collectors.joining("\n"));
    return """
        apiVersion: backup.kurator.dev/v1alpha1
        kind: Backup
        metadata:
          name: %s
          namespace: default
        spec:
        %s  destination:
            fleet: quickstart
            clusters:
        %s
          policy:
            resourceFilter:
        %s
            ttl: 720h
        """.formatted(name, schedule, list, filter.stripIndent().indent(6).stripTrailing());
  }

  private static void write(String path, String text) {
    try {
      Path file = repo.resolve(path);
      Files.createDirectories(file.getParent());
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // --- the application and Velero's objects ---------------------------------------------------

  /** A namespace with a ConfigMap, a Secret and a Service, all labelled {@code app: <namespace>}. */
  private static void app(KubernetesClient c, String ns) {
    Map<String, String> labels = Map.of("app", ns, "tier", "web");
    c.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).withLabels(Map.of("app", ns)).endMetadata().build())
        .create();
    c.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata().withName("settings").withLabels(labels)
        .withAnnotations(Map.of("example.com/owner", "team-" + ns)).endMetadata()
        .withData(Map.of("mode", "production", "config.yaml", "replicas: 3\nfeatures:\n  - search\n  - cart\n")).build()).create();
    c.secrets().inNamespace(ns).resource(new SecretBuilder().withNewMetadata().withName("token").withLabels(labels).endMetadata()
        .withType("Opaque").withData(Map.of("token", Base64.getEncoder().encodeToString(("s3cr3t-" + ns).getBytes(StandardCharsets.UTF_8))))
        .build()).create();
    c.services().inNamespace(ns).resource(new ServiceBuilder().withNewMetadata().withName("web").withLabels(labels).endMetadata()
        .withNewSpec().withSelector(Map.of("app", ns)).addNewPort().withName("http").withPort(80)
        .withNewTargetPort(8080).withProtocol("TCP").endPort().endSpec().build()).create();
  }

  /** The fields that matter of the application's objects: names, labels (Velero's own left out), annotations, data, ports. */
  private static Map<String, Object> snapshot(KubernetesClient c, String ns) {
    Map<String, Object> out = new TreeMap<>();
    ConfigMap cm = c.configMaps().inNamespace(ns).withName("settings").get();
    if (cm != null) {
      out.put("ConfigMap/settings", List.of(labels(cm), annotations(cm), cm.getData()));
    }
    Secret secret = c.secrets().inNamespace(ns).withName("token").get();
    if (secret != null) {
      out.put("Secret/token", List.of(labels(secret), secret.getType(), secret.getData()));
    }
    Service svc = c.services().inNamespace(ns).withName("web").get();
    if (svc != null) {
      out.put("Service/web", List.of(labels(svc), svc.getSpec().getType(), svc.getSpec().getSelector(),
          svc.getSpec().getPorts().stream().map(p -> p.getName() + " " + p.getPort() + "->" + p.getTargetPort().getIntVal() + "/" + p.getProtocol()).toList()));
    }
    return out;
  }

  private static Map<String, String> labels(HasMetadata o) {
    return o.getMetadata().getLabels().entrySet().stream().filter(e -> !e.getKey().startsWith("velero.io/"))
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, TreeMap::new));
  }

  private static Map<String, String> annotations(HasMetadata o) {
    Map<String, String> a = o.getMetadata().getAnnotations() == null ? Map.of() : o.getMetadata().getAnnotations();
    return a.entrySet().stream().filter(e -> e.getKey().startsWith("example.com/"))
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (x, y) -> x, TreeMap::new));
  }

  /** The Velero objects fleet-backup created under a run base (annotation {@code fleet-backup.dev/run}), synced copies left out. */
  private static List<GenericKubernetesResource> runs(KubernetesClient c, ResourceDefinitionContext kind, String base) {
    return c.genericKubernetesResources(kind).inNamespace("velero").list().getItems().stream()
        .filter(r -> r.getMetadata().getAnnotations() != null && base.equals(r.getMetadata().getAnnotations().get("fleet-backup.dev/run")))
        .filter(r -> r.getMetadata().getLabels() == null || !r.getMetadata().getLabels().containsKey("velero.io/storage-location")
            || !r.getMetadata().getLabels().get("velero.io/storage-location").startsWith("readonly-"))
        .toList();
  }

  /** In every member, each run fleet-backup made (a Backup or Restore with a run annotation) exists once, as its run 1. */
  private static void assertEveryRunMadeOnce() {
    for (Member m : fleet.members()) {
      Map<String, List<String>> byRun = new TreeMap<>();
      for (ResourceDefinitionContext kind : List.of(BACKUPS, RESTORES)) {
        for (GenericKubernetesResource r : madeByFleetBackup(m.client(), kind)) {
          byRun.computeIfAbsent(r.getKind() + " " + r.getMetadata().getAnnotations().get(RUN), k -> new ArrayList<>())
              .add(r.getMetadata().getName() + " #" + r.getMetadata().getAnnotations().get(RUN_NUMBER));
        }
      }
      assertThat(byRun).as(m.name()).allSatisfy((run, objects) ->
          assertThat(objects).as("%s in %s", run, m.name()).singleElement().asString().endsWith(" #1"));
    }
  }

  /** Every Velero object of {@code kind} fleet-backup created (annotation {@code fleet-backup.dev/run}), synced copies and a Schedule's runs left out. */
  private static List<GenericKubernetesResource> madeByFleetBackup(KubernetesClient c, ResourceDefinitionContext kind) {
    return c.genericKubernetesResources(kind).inNamespace("velero").list().getItems().stream()
        .filter(r -> r.getMetadata().getAnnotations() != null && r.getMetadata().getAnnotations().containsKey(RUN))
        .filter(r -> r.getMetadata().getLabels() == null || !r.getMetadata().getLabels().containsKey("velero.io/schedule-name"))
        .filter(r -> r.getMetadata().getLabels() == null || !r.getMetadata().getLabels().getOrDefault("velero.io/storage-location", "")
            .startsWith("readonly-"))
        .toList();
  }

  /** The names of the Backups and Restores fleet-backup created in a member, in name order. */
  private static List<String> runNames(KubernetesClient c) {
    return java.util.stream.Stream.of(BACKUPS, RESTORES).flatMap(k -> madeByFleetBackup(c, k).stream())
        .map(r -> r.getMetadata().getName()).sorted().toList();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> spec(GenericKubernetesResource r) {
    return (Map<String, Object>) r.getAdditionalProperties().get("spec");
  }

  /** The Completed Velero Backups of member 1 whose name starts with {@code prefix}, completed by {@code by}. */
  private static List<String> completedRuns(String prefix, Instant by) {
    return fleet.member(M1).client().genericKubernetesResources(BACKUPS).inNamespace("velero").list().getItems().stream()
        .filter(b -> b.getMetadata().getName().startsWith(prefix))
        .filter(b -> "Completed".equals(status(b).get("phase")))
        .filter(b -> !Instant.parse((String) status(b).get("completionTimestamp")).isAfter(by))
        .map(b -> b.getMetadata().getName()).sorted().toList();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> status(GenericKubernetesResource r) {
    return (Map<String, Object>) r.getAdditionalProperties().getOrDefault("status", Map.of());
  }

  private static ResourceDefinitionContext velero(String plural, String kind) {
    return new ResourceDefinitionContext.Builder()
        .withGroup("velero.io").withVersion("v1").withPlural(plural).withKind(kind).withNamespaced(true).build();
  }

  // --- status lookups ------------------------------------------------------------------------

  static WorkflowStatus backup(PassOutcome r, String name) {
    return find(r.backups(), name);
  }

  static WorkflowStatus restore(PassOutcome r, String name) {
    return find(r.restores(), name);
  }

  static WorkflowStatus migration(PassOutcome r, String name) {
    return find(r.migrations(), name);
  }

  private static WorkflowStatus find(List<WorkflowStatus> list, String name) {
    return list.stream().filter(w -> w.id().name().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no status for " + name + " in " + list));
  }

  static Condition condition(WorkflowStatus w, String type) {
    return w.conditions().stream().filter(c -> c.type().equals(type)).findFirst()
        .orElseThrow(() -> new AssertionError("no condition " + type + " in " + w));
  }
}
