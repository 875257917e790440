package dev.fleetbackup.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fleetbackup.model.MemberFailure;
import dev.fleetbackup.model.Revision;
import dev.fleetbackup.report.StatusFiles;
import dev.fleetbackup.report.StatusReport;
import dev.fleetbackup.testkit.AdmissionGate;
import dev.fleetbackup.testkit.ConfigRemote;
import dev.fleetbackup.testkit.FleetRepo;
import dev.fleetbackup.testkit.HttpGitServer;
import dev.fleetbackup.testkit.HttpGitServer.Exchange;
import dev.fleetbackup.testkit.HttpGitServer.Fault;
import dev.fleetbackup.testkit.HttpGitServer.Service;
import dev.fleetbackup.testkit.HttpGitServer.Step;
import dev.fleetbackup.testkit.Member;
import dev.fleetbackup.testkit.TestFleet;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Faults injected with real processes into one small fleet (two members with Velero, one S3
 * server) for the class: a member's API server SIGKILLed in the middle of an apply, the Git remote
 * failing half-way through fetches and pushes, another writer winning the race to the status
 * branch, and the reconciler ({@code run}, the product jar in a JVM of its own) SIGKILLed in the
 * middle of a pass. Each checks what a user would: the other member applied and reported, the
 * failure with its word, convergence on the next pass, every Velero Backup and Restore once, the
 * status branch's history, nothing pruned that was not fleet-backup's.
 *
 * <p>The tests run in order on one evolving config repo, each leaving the fleet converged: the
 * folder {@link #repo} is what {@code apply} reads, and its commits on {@link #remote} (served by
 * {@link #server}) what {@code run} follows.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultRecoveryIT {
  private static final String M1 = "kurator-member1";
  private static final String M2 = "kurator-member2";
  private static final String STATUS = RunCommand.DEFAULT_STATUS_BRANCH;
  private static final String RUN = "fleet-backup.dev/run";
  private static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  private static final Duration INTERVAL = Duration.ofSeconds(5);
  private static final Duration VELERO_TIMEOUT = Duration.ofMinutes(3);
  private static final Duration PASS_TIMEOUT = Duration.ofSeconds(60);
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final ResourceDefinitionContext BSLS = velero("backupstoragelocations", "BackupStorageLocation");
  private static final ResourceDefinitionContext SCHEDULES = velero("schedules", "Schedule");
  private static final ResourceDefinitionContext BACKUPS = velero("backups", "Backup");
  private static final ResourceDefinitionContext RESTORES = velero("restores", "Restore");

  /** The fleet's own folder, as short as can be: Velero's plugin sockets live below it (108-byte limit). */
  @TempDir static Path fleetDir;
  @TempDir static Path dir;
  static TestFleet fleet;
  static FleetRepo repo;
  static ConfigRemote remote;
  static HttpGitServer server;
  static Path secrets;
  static Path password;
  static Path trigger;
  /** The reconciler the daemon tests share, started by the first that needs it. */
  static Daemon daemon;
  static final List<Daemon> daemons = new CopyOnWriteArrayList<>();
  static final Map<String, Long> durations = new LinkedHashMap<>();
  static Instant classStarted;
  static Instant testStarted;
  /** Should this JVM be stopped before {@link #stopFleet} runs, the reconcilers go with it. */
  static final Thread hook = new Thread(() -> daemons.forEach(d -> d.process().destroyForcibly()), "fault-recovery-daemons");

  @BeforeAll
  static void startFleetAndInstallVelero() throws Exception {
    classStarted = Instant.now();
    Runtime.getRuntime().addShutdownHook(hook);
    fleet = TestFleet.start(fleetDir, TestFleet.Options.members(2).withVeleroNode());
    durations.put("fleet start", fleet.startupTime().toMillis());
    for (Member m : fleet.members()) {
      shop(m.client());
    }
    secrets = dir.resolve("secrets");
    FleetRepo.writeSecrets(secrets, fleet.s3());
    password = Files.writeString(dir.resolve("token"), "t0ken");
    trigger = Files.writeString(dir.resolve("trigger"), "");
    repo = new FleetRepo(dir.resolve("repo"), fleet.s3()).clusters(2).nightly("0 2 * * *", "shop");
    remote = ConfigRemote.create(dir.resolve("git"));
    server = new HttpGitServer(remote.bare, "bot", "t0ken");

    Instant t0 = Instant.now();
    Run install = cli("apply");
    assertThat(install.exit).as(install.all()).isZero();
    for (Member m : fleet.members()) {
      await(m.name() + " BSL Available").atMost(VELERO_TIMEOUT).pollInterval(Duration.ofMillis(500))
          .until(() -> "Available".equals(phase(m.client(), BSLS, "default")));
    }
    durations.put("Velero installed, locations Available", Duration.between(t0, Instant.now()).toMillis());
  }

  @BeforeEach
  void everyApiServerUp() {
    testStarted = Instant.now();
    for (Member m : fleet.members()) {
      if (!m.isApiServerRunning()) {
        m.startApiServer();
      }
      awaitServesVeleroKinds(m);
    }
  }

  @AfterEach
  void healTheRemote(TestInfo test) {
    server.heal();
    durations.put(test.getTestMethod().orElseThrow().getName(), Duration.between(testStarted, Instant.now()).toMillis());
  }

  @AfterAll
  static void stopFleet() throws Exception {
    try {
      for (Daemon d : daemons) {
        d.stop();
      }
      if (server != null) {
        server.close();
      }
      if (remote != null) {
        remote.close();
      }
      if (fleet != null) {
        fleet.close();
      }
    } finally {
      Runtime.getRuntime().removeShutdownHook(hook);
      durations.put("class", Duration.between(classStarted, Instant.now()).toMillis());
      durations.forEach((what, ms) -> System.out.printf("MEASURE %s: %d ms%n", what, ms));
    }
  }

  // --- 1. a member's API server killed mid-apply -------------------------------------------------

  /**
   * Member 2's API server holds the write that follows the apply's creation of a Backup run there
   * (the inventory's), and is SIGKILLed while it does: the run landed, the inventory did not.
   */
  @Test
  @Order(1)
  void aMemberApiServerKilledMidApplyIsUnreachableTheOtherIsAppliedAndTheNextPassConverges() throws Exception {
    Member killed = fleet.member(M2);
    String run = M2 + "-backup-default-select-labels";
    repo.selectLabels("shop"); // an immediate backup: one run in each member
    AtomicReference<AdmissionGate.Request> created = new AtomicReference<>();
    Run apply;
    long reportedAfterKill;
    try (AdmissionGate gate = AdmissionGate.install(killed, dir.resolve("gate-1"),
        List.of(AdmissionGate.creates("velero.io", "backups"), AdmissionGate.writes("", "configmaps")),
        Map.of(MANAGED_BY, "fleet-backup"), request -> {
          if (request.dryRun() || !sentByFleetBackup(request)) {
            return AdmissionGate.Verdict.ALLOW;
          }
          if (created.get() == null) {
            if (request.resource().equals("backups")) {
              created.set(request);
            }
            return AdmissionGate.Verdict.ALLOW;
          }
          return AdmissionGate.Verdict.HOLD;
        })) {
      CompletableFuture<Run> pass = CompletableFuture.supplyAsync(() -> cli("apply", "-o", "json"));
      await("a write after the run held on " + M2).atMost(PASS_TIMEOUT).pollInterval(Duration.ofMillis(20))
          .until(() -> !gate.heldRequests().isEmpty() || pass.isDone());
      assertThat(pass).as("the apply waits on its held write").isNotDone();
      assertThat(created.get()).as("the run created first").isNotNull();
      assertThat(created.get().name()).isEqualTo(run);
      long killedAt = System.nanoTime();
      killed.killApiServer();
      apply = pass.get(3, TimeUnit.MINUTES);
      reportedAfterKill = Duration.ofNanos(System.nanoTime() - killedAt).toMillis();
      System.out.println("held: " + gate.heldRequests());
      gate.release();
      killed.startApiServer();
      awaitServesVeleroKinds(killed);
    }
    durations.put("API server killed -> apply reported it", reportedAfterKill);

    assertThat(apply.exit).as(apply.all()).isEqualTo(2);
    JsonNode one = cluster(apply, M1);
    assertThat(one.path("status").asString()).as(apply.all()).isEqualTo("ok");
    assertThat(one.path("objects")).anySatisfy(o -> {
      assertThat(o.path("name").asString()).isEqualTo(M1 + "-backup-default-select-labels");
      assertThat(o.path("action").asString()).isEqualTo("created");
    });
    JsonNode two = cluster(apply, M2);
    assertThat(two.path("status").asString()).as(apply.all()).isEqualTo("error");
    assertThat(two.path("reason").asString()).as(apply.all()).isEqualTo(MemberFailure.Reason.UNREACHABLE.name());
    assertThat(two.path("retryable").asBoolean()).isTrue();
    assertThat(two.path("message").asString()).startsWith("cannot reach " + killed.apiServerUrl());
    assertThat(reportedAfterKill).as("the member is given up at once, not retried write after write")
        .isLessThan(15_000);

    Run again = cli("apply", "-o", "json");
    assertThat(again.exit).as(again.all()).isZero();
    assertThat(cluster(again, M2).path("objects")).anySatisfy(o -> {
      assertThat(o.path("name").asString()).isEqualTo(run);
      assertThat(o.path("action").asString()).as("found, not created again").isEqualTo("unchanged");
    });
    assertThat(cluster(again, M2).path("inventoryWritten").asBoolean()).as("the run recorded now").isTrue();
    for (Member m : fleet.members()) {
      assertThat(fleetBackupRuns(m)).as(m.name()).containsExactly("Backup " + m.name() + "-backup-default-select-labels");
      assertInventoryMatchesTheMember(m);
    }
  }

  // --- 2. the Git remote failing mid-fetch and mid-push ------------------------------------------

  /**
   * The daemon follows the remote over HTTP while it refuses the objects of a fetch (the refs are
   * listed), then the objects of a push, then takes a push and loses its answer.
   */
  @Test
  @Order(2)
  void theGitRemoteFailingMidFetchAndMidPushKeepsTheAppliedCommitBacksOffAndLosesNoStatus() throws Exception {
    String applied = remote.commitTree(repo.dir, "the fleet, a nightly backup, an immediate one");
    Daemon run = daemon();
    awaitStatus("the daemon's first status", s -> applied(s).equals(applied) && s.sourceProblem().isEmpty());

    // Velero's first look at a new Schedule writes into it, and the watch asks for a pass, which would end a
    // backoff at once: behind us before the remote fails
    await("Velero's Schedules validated").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
        .until(() -> fleet.members().stream()
            .allMatch(m -> phase(m.client(), SCHEDULES, m.name() + "-backup-default-nightly").equals("Enabled")));

    // mid-fetch: the refs are listed, the objects of the new commit refused; the next interval's pass meets it
    // (a touch could race a pass already under way, and then end the backoff after it at once)
    server.inject(Service.FETCH, Fault.REFUSE);
    String unfetched = commitNightly("0 5 * * *");
    await("two fetches refused").atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(100))
        .until(() -> refused(Service.FETCH).size() >= 2);
    List<Exchange> refused = refused(Service.FETCH);
    Duration backoff = Duration.between(refused.get(0).at(), refused.get(1).at());
    durations.put("first refused fetch -> second (interval 5 s)", backoff.toMillis());
    assertThat(backoff).as("twice the interval after one failure").isBetween(INTERVAL.multipliedBy(2), INTERVAL.multipliedBy(4));
    await("the backoff logged").atMost(Duration.ofSeconds(5))
        .until(() -> run.lines("2 failed iterations in a row; the next in 20s").size() == 1);
    assertThat(run.lines("1 failed iteration in a row; the next in 10s")).hasSize(1);
    List<String> failed = run.lines("fetch " + server.url() + " failed");
    assertThat(failed).as(run.output()).hasSizeGreaterThanOrEqualTo(2).allSatisfy(line -> {
      assertThat(occurrences(line, server.url())).as(line).isEqualTo(1);
      assertThat(line).contains("; keeping main@sha1:" + applied.substring(0, 7));
    });
    StatusReport during = awaitStatus("the fetch failure on the status branch", s -> s.sourceProblem().isPresent());
    assertThat(applied(during)).isEqualTo(applied);
    assertThat(occurrences(during.sourceProblem().orElseThrow(), server.url())).as(during.sourceProblem().get()).isEqualTo(1);
    assertThat(nightly()).as("the applied commit stays in force").containsOnly("0 2 * * *");

    server.heal();
    Instant healed = Instant.now();
    touch();
    awaitStatus("the new commit applied", s -> applied(s).equals(unfetched) && s.sourceProblem().isEmpty());
    durations.put("remote back -> new commit applied and reported", Duration.between(healed, Instant.now()).toMillis());
    assertThat(nightly()).containsOnly("0 5 * * *");

    // mid-push, refused: the status of the pass is pushed by the next one
    server.inject(Service.PUSH, Fault.REFUSE);
    long notPublished = run.lines("status not published").size();
    String unpublished = commitNightly("0 6 * * *");
    touch();
    await("a status push refused").atMost(PASS_TIMEOUT).until(() -> run.lines("status not published").size() > notPublished);
    assertThat(run.lines("status not published").get((int) notPublished))
        .contains("push to " + STATUS + " of " + server.url() + " failed");
    assertThat(nightly()).as("applied all the same").containsOnly("0 6 * * *");
    assertThat(applied(status().orElseThrow())).isEqualTo(unfetched);
    server.heal();
    touch();
    awaitStatus("the refused status pushed by the next pass", s -> applied(s).equals(unpublished));

    // mid-push, answer lost: the commit landed, the daemon was told it failed; the next pass finds it there
    server.inject(Service.PUSH, Fault.LOSE_ANSWER);
    long lost = run.lines("status not published").size();
    String broken = remote.commit(Map.of("backups/nightly.yaml", nightlyYaml("0 7 * *")), "a broken cron");
    touch();
    await("a status push whose answer was lost").atMost(PASS_TIMEOUT).until(() -> run.lines("status not published").size() > lost);
    assertThat(status().orElseThrow().rejected()).as("it landed").map(r -> r.revision().sha()).contains(broken);
    server.heal();
    long published = published(run);
    touch();
    await("the next pass publishes").atMost(PASS_TIMEOUT).until(() -> published(run) > published);
    System.out.println("after the lost answer: " + run.lines("status ").get(run.lines("status ").size() - 1));

    List<RevCommit> history = remote.log(STATUS);
    assertThat(history).as("one line of history, never force-pushed").allMatch(c -> c.getParentCount() <= 1);
    List<String> digests = history.stream().map(c -> c.getFullMessage().lines().filter(l -> l.startsWith("Status-Digest: "))
        .findFirst().orElseThrow()).toList();
    for (int i = 1; i < digests.size(); i++) {
      assertThat(digests.get(i)).as("no commit repeats its parent's content").isNotEqualTo(digests.get(i - 1));
    }
    commitNightly("0 6 * * *");
    touch();
    awaitStatus("the repaired commit applied", s -> s.rejected().isEmpty() && s.sourceProblem().isEmpty());
  }

  // --- 3. another writer wins the race to the status branch -------------------------------------

  @Test
  @Order(3)
  void aStatusPushThatLosesTheRaceLandsOnTopOfTheOtherWritersCommit() throws Exception {
    Daemon run = daemon();
    awaitStatus("a converged status", s -> s.rejected().isEmpty() && s.sourceProblem().isEmpty()
        && applied(s).equals(remote.log("main").get(0).name()));
    String before = remote.log(STATUS).get(0).name();
    AtomicReference<String> theirs = new AtomicReference<>();
    // between the daemon's fetch of the status branch and its push, another writer's push lands
    server.beforeNextAdvertisement(Service.PUSH, () -> theirs.set(remote.commitOnto(STATUS,
        Map.of(StatusFiles.README, "# Written by another writer\n"), "another writer's status")));
    int pushes = pushAdvertisements();
    String next = commitNightly("0 8 * * *");
    touch();
    StatusReport after = awaitStatus("the pass's status", s -> applied(s).equals(next));

    assertThat(theirs.get()).as("the other writer pushed").isNotNull();
    List<String> history = remote.log(STATUS).stream().map(RevCommit::name).toList();
    assertThat(remote.log(STATUS)).as("one line of history").allMatch(c -> c.getParentCount() == 1 || c.getParentCount() == 0);
    int their = history.indexOf(theirs.get());
    assertThat(their).as("the other writer's commit is kept in the history").isPositive();
    assertThat(history.indexOf(before)).as("on top of what was there").isGreaterThan(their);
    RevCommit onTop = remote.log(STATUS).get(their - 1);
    assertThat(onTop.getParent(0).name()).as("fleet-backup's commit on top of the other").isEqualTo(theirs.get());
    assertThat(onTop.getAuthorIdent().getName()).isEqualTo("fleet-backup");
    assertThat(remote.filesOf(STATUS).get(StatusFiles.README)).doesNotContain("another writer").contains(next.substring(0, 7));
    assertThat(after.clusters()).hasSize(2).allMatch(c -> c.failure().isEmpty());
    assertThat(pushAdvertisements() - pushes).as("pushed twice: refused, then on the new tip").isGreaterThanOrEqualTo(2);
    List<String> committed = run.lines("status committed to " + STATUS);
    assertThat(committed).as(run.output()).anyMatch(l -> l.contains("another writer pushed first"));
  }

  // --- 4. the reconciler killed mid-pass ---------------------------------------------------------

  /**
   * A commit adds a scheduled Backup and a Restore; member 1's API server holds fleet-backup's
   * write that follows the new Schedule's creation, and the daemon is SIGKILLed while it waits.
   * The Schedule exists, the pass's last inventory write never came. The next commit takes the
   * scheduled Backup back, and a new daemon (a new pod: fresh work folder) applies it.
   */
  @Test
  @Order(4)
  void aReconcilerKilledMidPassLeavesNothingOrphanedAndNothingTwice() throws Exception {
    Daemon first = daemon();
    awaitStatus("a converged status", s -> s.rejected().isEmpty() && applied(s).equals(remote.log("main").get(0).name()));
    Member m1 = fleet.member(M1);
    await(M1 + "'s immediate backup Completed, for the restore").atMost(VELERO_TIMEOUT).pollInterval(Duration.ofMillis(500))
        .until(() -> "Completed".equals(phase(m1.client(), BACKUPS, M1 + "-backup-default-select-labels")));
    // not fleet-backup's: a team's own Schedule, paused
    m1.client().genericKubernetesResources(SCHEDULES).inNamespace("velero").resource(new GenericKubernetesResourceBuilder()
        .withApiVersion("velero.io/v1").withKind("Schedule").withNewMetadata().withName("team-weekly").withNamespace("velero")
        .endMetadata().addToAdditionalProperties("spec", Map.of("schedule", "0 1 * * 0", "paused", true,
            "template", Map.of("includedNamespaces", List.of("shop")))).build()).create();
    String weekly = M1 + "-backup-default-weekly";

    AtomicReference<AdmissionGate.Request> schedule = new AtomicReference<>();
    Optional<String> inventoryAfterKill;
    int exit;
    String killedLog;
    try (AdmissionGate gate = AdmissionGate.install(m1, dir.resolve("gate-4"),
        List.of(AdmissionGate.writes("velero.io", "schedules"), AdmissionGate.creates("velero.io", "backups", "restores"),
            AdmissionGate.writes("", "configmaps")),
        Map.of(MANAGED_BY, "fleet-backup"), request -> {
          if (request.dryRun()) {
            return AdmissionGate.Verdict.ALLOW;
          }
          if (schedule.get() == null) {
            if (request.operation().equals("CREATE") && request.resource().equals("schedules") && request.name().equals(weekly)) {
              schedule.set(request);
            }
            return AdmissionGate.Verdict.ALLOW;
          }
          return sentByFleetBackup(request) ? AdmissionGate.Verdict.HOLD : AdmissionGate.Verdict.ALLOW;
        })) {
      repo.write("backups/weekly.yaml", """
          apiVersion: backup.kurator.dev/v1alpha1
          kind: Backup
          metadata:
            name: weekly
            namespace: default
          spec:
            schedule: "0 4 * * 0"
            destination:
              fleet: quickstart
            policy:
              resourceFilter:
                includedNamespaces: [shop]
              ttl: 168h
          """).write("restores/shop-restore.yaml", """
          apiVersion: backup.kurator.dev/v1alpha1
          kind: Restore
          metadata:
            name: shop-restore
            namespace: default
          spec:
            backupName: select-labels
            destination:
              fleet: quickstart
              clusters:
                - kind: AttachedCluster
                  name: kurator-member1
          """);
      remote.commitTree(repo.dir, "a weekly backup and a restore");
      touch();
      await("the write after the new Schedule held on " + M1).atMost(PASS_TIMEOUT).pollInterval(Duration.ofMillis(20))
          .until(() -> !gate.heldRequests().isEmpty() || !first.process().isAlive());
      assertThat(first.process().isAlive()).as("the reconciler waits on its held write, see " + first.log()).isTrue();
      assertThat(gate.heldRequests()).first().as("fleet-backup's write after the Schedule: a Restore run, the inventory")
          .matches(r -> r.resource().equals("restores") || r.resource().equals("configmaps"), "a Restore or the inventory");
      System.out.println("held: " + gate.heldRequests());
      first.process().destroyForcibly().waitFor();
      exit = first.process().exitValue();
      killedLog = first.output();
      gate.release();
      inventoryAfterKill = Optional.ofNullable(inventory(m1));
    }
    assertThat(exit).as("killed by SIGKILL").isEqualTo(128 + 9);
    assertThat(velero(m1.client(), SCHEDULES, weekly)).as("what the kill left on " + M1 + ": the new Schedule").isPresent();
    assertThat(inventoryAfterKill).as("the inventory listed the Schedule before it was made")
        .hasValueSatisfying(i -> assertThat(i).contains("\"name\":\"" + weekly + "\""));

    // the scheduled backup is taken back before any reconciler ran again
    repo.remove("backups/weekly.yaml");
    String withoutWeekly = remote.commit(Collections.singletonMap("backups/weekly.yaml", null),
        "no weekly backup after all");
    Instant restarted = Instant.now();
    daemon();
    StatusReport converged = awaitStatus("the new daemon converged", s -> applied(s).equals(withoutWeekly)
        && s.clusters().stream().allMatch(c -> c.failure().isEmpty())
        && s.restores().stream().anyMatch(r -> r.clusters().stream().anyMatch(c -> c.current().isPresent())));
    durations.put("new daemon started -> converged", Duration.between(restarted, Instant.now()).toMillis());
    assertThat(converged.clusters()).hasSize(2);

    for (Member m : fleet.members()) {
      assertThat(velero(m.client(), SCHEDULES, m.name() + "-backup-default-weekly")).as(m.name() + ": the Schedule taken back is pruned")
          .isEmpty();
      assertThat(velero(m.client(), SCHEDULES, m.name() + "-backup-default-nightly")).as(m.name()).isPresent();
      assertInventoryMatchesTheMember(m);
    }
    assertThat(velero(m1.client(), SCHEDULES, "team-weekly")).as("not fleet-backup's: kept").isPresent();
    assertThat(fleetBackupRuns(m1)).as(M1 + ", killed log:%n%s", killedLog)
        .containsExactlyInAnyOrder("Backup " + M1 + "-backup-default-select-labels", "Restore " + M1 + "-restore-default-shop-restore");
    assertThat(fleetBackupRuns(fleet.member(M2))).containsExactly("Backup " + M2 + "-backup-default-select-labels");
  }

  // --- the reconciler ------------------------------------------------------------------------------

  /** {@code fleet-backup run} from the product jar in a JVM of its own, its log in {@code <dir>/run-<n>.log}. */
  record Daemon(Process process, Path log) {
    static Daemon start(int n) throws IOException {
      Path log = dir.resolve("run-" + n + ".log");
      Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", ProductJar.path().toString(),
          "run", "--repo", server.url(), "--git-username", "bot", "--git-password-file", password.toString(),
          "--kubeconfig-dir", fleet.kubeconfigDir().toString(), "--secrets-dir", secrets.toString(),
          "--interval", INTERVAL.toSeconds() + "s", "--trigger-file", trigger.toString(),
          "--work-dir", dir.resolve("work-" + n).toString())
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      System.out.println("reconciler " + n + " logs to " + log);
      return new Daemon(process, log);
    }

    String output() {
      try {
        return Files.readString(log);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    List<String> lines(String containing) {
      return output().lines().filter(l -> l.contains(containing)).toList();
    }

    void stop() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
      output().lines().filter(l -> l.contains("WARN") || l.contains("ERROR")).forEach(l -> System.out.println(log.getFileName() + ": " + l));
    }
  }

  /** The running reconciler, or a new one (a new pod: a work folder of its own) when there is none. */
  private static Daemon daemon() throws IOException {
    if (daemon == null || !daemon.process().isAlive()) {
      daemon = Daemon.start(daemons.size() + 1);
      daemons.add(daemon);
    }
    return daemon;
  }

  /**
   * Whether a write the gates see is one fleet-backup sends after it created an object: the
   * inventory, a Restore, a Backup run. Velero writes too: its Schedules' Backups (which carry
   * their Schedule's labels, not a run's annotation) and its updates of a new Schedule.
   */
  private static boolean sentByFleetBackup(AdmissionGate.Request request) {
    return switch (request.resource()) {
      case "configmaps", "restores" -> true;
      case "backups" -> request.annotations().containsKey(RUN);
      default -> false;
    };
  }

  /** Starts a pass now, whatever the daemon waits for. */
  private static void touch() throws IOException {
    Files.setLastModifiedTime(trigger, FileTime.from(Instant.now()));
  }

  private static String commitNightly(String schedule) {
    repo.nightly(schedule, "shop");
    return remote.commit(Map.of("backups/nightly.yaml", nightlyYaml(schedule)), "nightly at " + schedule);
  }

  private static String nightlyYaml(String schedule) {
    Path scratch = dir.resolve("scratch");
    try {
      return Files.readString(new FleetRepo(scratch, fleet.s3()).nightly(schedule, "shop").dir.resolve("backups/nightly.yaml"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** How many passes published their status, with a commit or without one (nothing changed). */
  private static long published(Daemon run) {
    return run.lines("status committed to " + STATUS).size() + run.lines("status unchanged on " + STATUS).size();
  }

  /** The requests of the exchange of objects of {@code service} the server refused. */
  private static List<Exchange> refused(Service service) {
    return server.exchanges().stream().filter(e -> e.service() == service && e.step() == Step.OBJECTS && e.status() == 503).toList();
  }

  private static int pushAdvertisements() {
    return (int) server.exchanges().stream().filter(e -> e.service() == Service.PUSH && e.step() == Step.REFS).count();
  }

  // --- the status branch -----------------------------------------------------------------------

  private static Optional<StatusReport> status() {
    String json = remote.filesOf(STATUS).get(StatusFiles.STATUS_JSON);
    return Optional.ofNullable(json).map(j -> new StatusFiles().parse(j.getBytes(StandardCharsets.UTF_8)));
  }

  private static StatusReport awaitStatus(String what, java.util.function.Predicate<StatusReport> until) {
    AtomicReference<StatusReport> seen = new AtomicReference<>();
    await(what).atMost(PASS_TIMEOUT).pollInterval(Duration.ofMillis(250)).until(() -> {
      Optional<StatusReport> s = status();
      s.ifPresent(seen::set);
      return s.isPresent() && until.test(s.get());
    });
    return seen.get();
  }

  private static String applied(StatusReport report) {
    return report.applied().map(Revision::sha).orElse("");
  }

  // --- the members ------------------------------------------------------------------------------

  /** Namespace shop with a ConfigMap, labelled app: shop, for the backups to hold something. */
  private static void shop(KubernetesClient c) {
    Map<String, String> labels = Map.of("app", "shop");
    c.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("shop").withLabels(labels).endMetadata().build()).create();
    c.configMaps().inNamespace("shop").resource(new ConfigMapBuilder().withNewMetadata().withName("settings").withLabels(labels)
        .endMetadata().withData(Map.of("mode", "production")).build()).create();
  }

  /** The Schedule of the nightly backup in each member. */
  private static List<String> nightly() {
    return fleet.members().stream().map(m -> velero(m.client(), SCHEDULES, m.name() + "-backup-default-nightly")
        .map(s -> String.valueOf(spec(s).get("schedule"))).orElse("none")).distinct().toList();
  }

  /** Every Velero Backup and Restore fleet-backup created in a member (those carrying its run annotation), sorted. */
  private static List<String> fleetBackupRuns(Member m) {
    List<String> runs = new ArrayList<>();
    for (ResourceDefinitionContext kind : List.of(BACKUPS, RESTORES)) {
      m.client().genericKubernetesResources(kind).inNamespace("velero").list().getItems().stream()
          .filter(r -> annotations(r).containsKey(RUN))
          .forEach(r -> runs.add(kind.getKind() + " " + r.getMetadata().getName()));
    }
    return runs.stream().sorted().toList();
  }

  /**
   * The member's inventory and the member agree: each entry but tombstones names a live object of
   * its uid, so a prune finds it; each Schedule, storage location and run fleet-backup made is an entry.
   */
  private static void assertInventoryMatchesTheMember(Member m) {
    String json = inventory(m);
    assertThat(json).as(m.name() + " has an inventory").isNotNull();
    Map<String, String> entries = new HashMap<>();
    for (JsonNode o : JSON.readTree(json).path("objects")) {
      if (o.path("tombstone").asBoolean(false)) {
        continue;
      }
      String group = o.path("group").asString("");
      String kind = o.path("kind").asString();
      String namespace = o.path("namespace").asString("");
      String name = o.path("name").asString();
      entries.put(kind + "/" + name, o.path("uid").asString(""));
      var resources = m.client().genericKubernetesResources(group.isEmpty() ? "v1" : group + "/v1", kind);
      GenericKubernetesResource live = namespace.isEmpty() ? resources.withName(name).get()
          : resources.inNamespace(namespace).withName(name).get();
      assertThat(live).as(m.name() + ": inventory entry " + kind + "/" + namespace + "/" + name + " exists").isNotNull();
      assertThat(live.getMetadata().getUid()).as(m.name() + ": the uid of " + kind + "/" + name).isEqualTo(o.path("uid").asString());
    }
    for (ResourceDefinitionContext kind : List.of(SCHEDULES, BSLS, BACKUPS, RESTORES)) {
      for (GenericKubernetesResource r : m.client().genericKubernetesResources(kind).inNamespace("velero")
          .withLabel(MANAGED_BY, "fleet-backup").list().getItems()) {
        if (kind == BACKUPS && !annotations(r).containsKey(RUN)) {
          continue; // a Velero Schedule's backup, which carries its Schedule's labels
        }
        assertThat(entries).as(m.name() + ": " + kind.getKind() + " " + r.getMetadata().getName() + " is in the inventory")
            .containsEntry(kind.getKind() + "/" + r.getMetadata().getName(), r.getMetadata().getUid());
      }
    }
  }

  private static String inventory(Member m) {
    ConfigMap c = m.client().configMaps().inNamespace("kube-system").withName("fleet-backup-inventory").get();
    return c == null ? null : c.getData().get("inventory.json");
  }

  /** A restarted kube-apiserver answers 429 while its caches fill; wait until it serves Velero's kinds. */
  private static void awaitServesVeleroKinds(Member m) {
    await(m.name() + " serves schedules").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
        .until(() -> m.client().genericKubernetesResources(SCHEDULES).inNamespace("velero").list() != null);
  }

  private static ResourceDefinitionContext velero(String plural, String kind) {
    return new ResourceDefinitionContext.Builder()
        .withGroup("velero.io").withVersion("v1").withPlural(plural).withKind(kind).withNamespaced(true).build();
  }

  private static Optional<GenericKubernetesResource> velero(KubernetesClient c, ResourceDefinitionContext kind, String name) {
    return Optional.ofNullable(c.genericKubernetesResources(kind).inNamespace("velero").withName(name).get());
  }

  private static String phase(KubernetesClient c, ResourceDefinitionContext kind, String name) {
    return velero(c, kind, name).map(r -> r.getAdditionalProperties().get("status")).filter(Map.class::isInstance)
        .map(s -> String.valueOf(((Map<?, ?>) s).get("phase"))).orElse("");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> spec(GenericKubernetesResource r) {
    return (Map<String, Object>) r.getAdditionalProperties().get("spec");
  }

  private static Map<String, String> annotations(GenericKubernetesResource r) {
    return r.getMetadata().getAnnotations() == null ? Map.of() : r.getMetadata().getAnnotations();
  }

  private static int occurrences(String text, String part) {
    return text.split(Pattern.quote(part), -1).length - 1;
  }

  // --- the command line in this JVM -------------------------------------------------------------

  record Run(int exit, String out, String err) {
    String all() {
      return "exit " + exit + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
    }
  }

  static Run cli(String command, String... extra) {
    List<String> args = new ArrayList<>(List.of(command, "--repo", repo.dir.toString(),
        "--kubeconfig-dir", fleet.kubeconfigDir().toString(), "--secrets-dir", secrets.toString()));
    args.addAll(List.of(extra));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Main.run(args.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
    System.out.println("$ fleet-backup " + String.join(" ", args) + "  # exit " + exit + "\n" + out + err);
    return new Run(exit, out.toString(), err.toString());
  }

  private static JsonNode cluster(Run run, String name) {
    for (JsonNode c : JSON.readTree(run.out()).path("clusters")) {
      if (c.path("cluster").asString().equals(name)) {
        return c;
      }
    }
    throw new AssertionError("no cluster " + name + " in " + run.all());
  }
}
