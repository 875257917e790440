package dev.fleetbackup.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fleetbackup.testkit.AuditEvent;
import dev.fleetbackup.testkit.ConfigRemote;
import dev.fleetbackup.testkit.FleetRepo;
import dev.fleetbackup.testkit.Member;
import dev.fleetbackup.testkit.TestFleet;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon's watch cache on two real members, with an interval of an hour (passes start from the
 * trigger file, or from drift): a steady pass sends no dry run and no write, and about one request
 * per member; a Schedule deleted or edited by hand is put back within seconds; a member whose API
 * server stops is reported unreachable while the other goes on, and once it is back its watches are
 * too. One daemon and one fleet for the class, the tests in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WatchCacheIT {
  private static final ResourceDefinitionContext SCHEDULES = new ResourceDefinitionContext.Builder()
      .withGroup("velero.io").withVersion("v1").withPlural("schedules").withKind("Schedule").withNamespaced(true).build();
  private static final String SCHEDULE = "kurator-member%d-backup-default-nightly";
  private static final String M1 = "kurator-member1";
  private static final String M2 = "kurator-member2";

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  static Path dir;
  private static TestFleet fleet;
  private static ConfigRemote remote;
  private static FleetRepo policies;
  private static Path trigger;
  private static Path secrets;
  private static int ops;
  private static Thread daemon;
  private static final StringWriter out = new StringWriter();
  private static final AtomicInteger exit = new AtomicInteger(-1);

  @BeforeAll
  static void startTheDaemon() throws Exception {
    fleet = TestFleet.start(dir.resolve("f"), TestFleet.Options.members(2).withVeleroNode());
    remote = ConfigRemote.create(dir.resolve("git"));
    policies = new FleetRepo(dir.resolve("policies"), fleet.s3()).clusters(2).nightly("0 2 * * *", "shop");
    remote.commitTree(policies.dir, "fleet and a nightly backup");
    secrets = FleetRepo.writeSecrets(dir.resolve("secrets"), fleet);
    trigger = Files.writeString(dir.resolve("trigger"), "");
    startDaemon("work");
    await("the nightly Schedule applied in both members").atMost(Duration.ofMinutes(3))
        .until(() -> schedule(fleet.member(M1), 1).isPresent() && schedule(fleet.member(M2), 2).isPresent());
    // until Velero is up and has written what it writes on its own (a pass sends so little now that two quiet
    // ones can come before Velero's first look at the Schedule, whose write would start a pass of its own)
    await("Velero ready and the Schedules validated").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
        .until(() -> fleet.members().stream().allMatch(Member::veleroAvailable)
            && schedulePhase(fleet.member(M1), 1).equals("Enabled") && schedulePhase(fleet.member(M2), 2).equals("Enabled"));
    // and two passes in a row have nothing to do
    AtomicInteger quiet = new AtomicInteger();
    await("two passes in a row that send nothing but reads").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ZERO)
        .until(() -> {
          Map<String, Requests> sent = pass();
          boolean steady = sent.size() == 2 && sent.values().stream().allMatch(r -> r.writes() == 0 && r.dryRuns() == 0);
          return (steady ? quiet.incrementAndGet() : quiet.getAndSet(0) * 0) >= 2;
        });
  }

  /** A daemon with a work folder of its own, as a new pod has: nothing remembered of earlier passes. */
  private static void startDaemon(String workDir) throws Exception {
    ops = freePort();
    exit.set(-1);
    daemon = new Thread(() -> exit.set(Main.run(new String[] {"run", "--repo", remote.url(), "--secrets-dir", secrets.toString(),
        "--interval", "1h", "--trigger-file", trigger.toString(), "--ops-addr", "127.0.0.1:" + ops,
        "--work-dir", dir.resolve(workDir).toString()}, new PrintWriter(out, true), new PrintWriter(out, true))));
    daemon.start();
  }

  private static void stopDaemon() throws Exception {
    // an interrupt that lands inside a library's I/O can be lost there; the daemon's wait between passes takes the next
    for (Instant end = Instant.now().plusSeconds(60); daemon != null && daemon.isAlive() && Instant.now().isBefore(end); ) {
      daemon.interrupt();
      daemon.join(500);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    stopDaemon();
    if (remote != null) {
      remote.close();
    }
    if (fleet != null) {
      fleet.close();
    }
  }

  @Test
  @Order(1)
  void aSteadyPassSendsNoDryRunAndNoWrite() throws Exception {
    Instant since = Instant.now();
    String before = scrape();
    for (int i = 0; i < 5; i++) {
      pass();
    }
    String after = scrape();
    // the passes as the daemon counts them: one a watch asked for (Velero writing into a Schedule it has just
    // seen) can run between two of the test's, and its inventory read is among the reads below
    long passes = (long) (sum(after, "fleet_backup_pass_duration_seconds_count", "")
        - sum(before, "fleet_backup_pass_duration_seconds_count", ""));
    double mean = (sum(after, "fleet_backup_pass_duration_seconds_sum", "")
        - sum(before, "fleet_backup_pass_duration_seconds_sum", "")) / passes;

    Map<String, String> measured = new HashMap<>();
    for (String cluster : List.of(M1, M2)) {
      Requests r = requests(after, cluster).minus(requests(before, cluster));
      long reached = succeeded(after, cluster) - succeeded(before, cluster);
      assertThat(r.dryRuns() + r.writes()).as(cluster + ": dry runs and writes in " + reached + " steady passes: "
          + writesSince(fleet.member(cluster), since)).isZero();
      // the inventory, once a pass; fabric8 renews each watch every 5 to 10 minutes, and a pass that comes
      // while one is renewed reads that scope from the member (once: a scope is read with one list)
      assertThat(r.reads()).as(cluster + ": reads in " + reached + " steady passes (the inventory, once a pass; "
          + r.watches() + " watches renewed meanwhile)").isBetween(reached, reached + r.watches());
      measured.put(cluster, r.per(reached));
    }
    for (Member member : fleet.members()) {
      assertThat(writesSince(member, since)).as(member.name() + "'s audit log: no dry run or write of fleet-backup's").isEmpty();
    }
    System.out.printf("MEASURE daemon steady pass, 2 members: %s and %s requests per member per pass, mean pass %.3f s (%d passes)%n",
        measured.get(M1), measured.get(M2), mean, passes);

    // the same fleet, the cache-free path: what every steady pass sent before the cache
    StringWriter applied = new StringWriter();
    long started = System.nanoTime();
    int status = Main.run(new String[] {"apply", "--repo", policies.dir.toString(), "--secrets-dir", secrets.toString()},
        new PrintWriter(applied, true), new PrintWriter(applied, true));
    long took = (System.nanoTime() - started) / 1_000_000;
    assertThat(status).as(applied.toString()).isZero();
    Matcher m = Pattern.compile("; (\\d+ requests \\([^)]*\\))").matcher(applied.toString());
    List<String> counts = m.results().map(r -> r.group(1)).toList();
    System.out.printf("MEASURE apply --once on the same steady fleet (no cache): %s per member, %d ms%n", counts, took);
  }

  @Test
  @Order(2)
  void aScheduleDeletedOrEditedByHandIsPutBackWithinSeconds() {
    Member first = fleet.member(M1);
    Instant deleted = Instant.now();
    first.client().genericKubernetesResources(SCHEDULES).inNamespace("velero").withName(SCHEDULE.formatted(1)).delete();
    await("the deleted Schedule back, an hour before the interval").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
        .until(() -> schedule(first, 1).equals(Optional.of("0 2 * * *")));
    System.out.printf("MEASURE drift (a deleted Schedule) to correction: %d ms%n", Duration.between(deleted, Instant.now()).toMillis());

    Instant edited = Instant.now();
    first.client().genericKubernetesResources(SCHEDULES).inNamespace("velero").withName(SCHEDULE.formatted(1))
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"schedule\":\"*/5 * * * *\"}}");
    await("the edited Schedule put back").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
        .until(() -> schedule(first, 1).equals(Optional.of("0 2 * * *")));
    System.out.printf("MEASURE drift (an edited Schedule) to correction: %d ms%n", Duration.between(edited, Instant.now()).toMillis());

    assertThat(writesSince(fleet.member(M2), deleted)).as("the other member: nothing sent to it but reads").isEmpty();
  }

  @Test
  @Order(3)
  void aMemberWhoseApiServerRestartsIsReportedAndWatchedAgain() throws Exception {
    Member first = fleet.member(M1);
    first.stopApiServer();
    try {
      Map<String, Requests> down = pass();
      assertThat(failedPasses(M1)).as("reported as failed while its API server is down").isPositive();
      assertThat(down.get(M2)).as("the other member goes on, steady").matches(r -> r.dryRuns() + r.writes() == 0, "no dry run or write");
    } finally {
      first.startApiServer();
    }
    await("a pass that reaches it again").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ZERO)
        .until(() -> pass().containsKey(M1));

    // drift is seen again: its watches reconnected (and relisted, where their version was gone)
    Instant deleted = Instant.now();
    first.client().genericKubernetesResources(SCHEDULES).inNamespace("velero").withName(SCHEDULE.formatted(1)).delete();
    await("the deleted Schedule back after the restart").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
        .until(() -> schedule(first, 1).equals(Optional.of("0 2 * * *")));
    System.out.printf("MEASURE drift after an API server restart to correction: %d ms%n",
        Duration.between(deleted, Instant.now()).toMillis());
    // Velero writes into a Schedule it has not seen before, which reads as a change: a pass or two until it is done
    await("steady again: a pass with no dry run or write").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
        .until(() -> {
          Requests r = pass().get(M1);
          return r != null && r.dryRuns() + r.writes() == 0;
        });
    assertThat(exit.get()).as("the daemon still runs").isEqualTo(-1);
  }

  @Test
  @Order(4)
  void aDaemonStartedOnMembersThatHoldThePlanAlreadyStillPutsDriftBackWithinSeconds() throws Exception {
    stopDaemon();
    assertThat(exit.get()).as(out.toString()).isZero();
    startDaemon("work-2");
    Requests first = await("the new daemon's first pass").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
        .ignoreExceptions().until(() -> requests(scrape(), M2), r -> r.reads() > 0);
    System.out.printf("MEASURE a new daemon's first pass over a member that holds the plan: %s%n", first.per(1));

    Member second = fleet.member(M2);
    Instant deleted = Instant.now();
    second.client().genericKubernetesResources(SCHEDULES).inNamespace("velero").withName(SCHEDULE.formatted(2)).delete();
    await("the deleted Schedule back, though this daemon never wrote it").atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100)).until(() -> schedule(second, 2).equals(Optional.of("0 2 * * *")));
    System.out.printf("MEASURE drift to correction, the daemon new: %d ms%n", Duration.between(deleted, Instant.now()).toMillis());
  }

  /** Requests sent to a member, by type. */
  record Requests(long reads, long dryRuns, long writes, long watches) {
    Requests minus(Requests other) {
      return new Requests(reads - other.reads, dryRuns - other.dryRuns, writes - other.writes, watches - other.watches);
    }

    String per(long passes) {
      return String.format("%.1f", (reads + dryRuns + writes) / (double) passes) + " (" + reads + " reads, " + dryRuns
          + " dry runs, " + writes + " writes in " + passes + "; " + watches + " watches started or renewed)";
    }
  }

  /** Starts a pass with the trigger file and waits for it: the requests it sent to each member it reached. */
  private static Map<String, Requests> pass() throws Exception {
    String before = scrape();
    double passes = sum(before, "fleet_backup_pass_duration_seconds_count", "");
    Files.setLastModifiedTime(trigger, FileTime.from(Instant.now()));
    await("a pass").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(50))
        .until(() -> sum(scrape(), "fleet_backup_pass_duration_seconds_count", "") > passes);
    String after = scrape();
    Map<String, Requests> sent = new HashMap<>();
    for (String cluster : List.of(M1, M2)) {
      Requests r = requests(after, cluster).minus(requests(before, cluster));
      if (succeeded(after, cluster) > succeeded(before, cluster)) {
        sent.put(cluster, r);
      }
    }
    return sent;
  }

  /** The passes that reached {@code cluster} and succeeded there. */
  private static long succeeded(String metrics, String cluster) {
    return (long) sum(metrics, "fleet_backup_cluster_passes_total", "cluster=\"" + cluster + "\",.*result=\"succeeded\"");
  }

  private static long failedPasses(String cluster) throws Exception {
    return (long) sum(scrape(), "fleet_backup_cluster_passes_total", "cluster=\"" + cluster + "\",.*result=\"failed\"");
  }

  private static Requests requests(String metrics, String cluster) {
    String name = "fleet_backup_member_requests_total";
    return new Requests((long) sum(metrics, name, "cluster=\"" + cluster + "\",type=\"read\""),
        (long) sum(metrics, name, "cluster=\"" + cluster + "\",type=\"dry_run\""),
        (long) sum(metrics, name, "cluster=\"" + cluster + "\",type=\"write\""),
        (long) sum(metrics, name, "cluster=\"" + cluster + "\",type=\"watch\""));
  }

  /** The sum of the samples of {@code name} whose labels match {@code labels} (a regex; "" for any). */
  private static double sum(String metrics, String name, String labels) {
    Pattern sample = Pattern.compile("^" + name + "(\\{(.*)\\})? (\\S+)$", Pattern.MULTILINE);
    double total = 0;
    for (Matcher m = sample.matcher(metrics); m.find(); ) {
      String found = m.group(2) == null ? "" : m.group(2);
      if (labels.isEmpty() || Pattern.compile(labels).matcher(found).find()) {
        total += Double.parseDouble(m.group(3));
      }
    }
    return total;
  }

  private static String scrape() throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ops + "/metrics")).build();
    try {
      return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).body();
    } catch (java.net.ConnectException e) {
      return ""; // not serving yet
    }
  }

  /** The dry runs and writes fleet-backup sent to {@code member} since {@code since}, from its audit log. */
  private static List<AuditEvent> writesSince(Member member, Instant since) {
    return member.auditEvents().stream()
        .filter(e -> e.userAgent().startsWith("fleet-backup/") && !e.requestReceivedTimestamp().isBefore(since))
        .toList();
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static String schedulePhase(Member member, int index) {
    GenericKubernetesResource schedule = member.client().genericKubernetesResources(SCHEDULES)
        .inNamespace("velero").withName(SCHEDULE.formatted(index)).get();
    Object status = schedule == null ? null : schedule.getAdditionalProperties().get("status");
    return status instanceof Map<?, ?> map && map.get("phase") instanceof String phase ? phase : "";
  }

  private static Optional<String> schedule(Member member, int index) {
    GenericKubernetesResource schedule = member.client().genericKubernetesResources(SCHEDULES)
        .inNamespace("velero").withName(SCHEDULE.formatted(index)).get();
    return Optional.ofNullable(schedule).map(s -> (String) ((Map<?, ?>) s.getAdditionalProperties().get("spec")).get("schedule"));
  }
}
