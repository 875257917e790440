package dev.fleetbackup.cli;

import static org.awaitility.Awaitility.await;

import dev.fleetbackup.testkit.ConfigRemote;
import dev.fleetbackup.testkit.FleetRepo;
import dev.fleetbackup.testkit.HttpGitServer;
import dev.fleetbackup.testkit.Member;
import dev.fleetbackup.testkit.TestFleet;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * {@code make bench}: the daemon ({@code run}, the product jar in a JVM of its own) on N real
 * members of the test kit with Velero, each fleet holding {@value #POLICIES} scheduled Backups,
 * and beside it on the same members in the same run the peer a user would script: {@code kubectl
 * diff --server-side} over every member, one after another and {@value #PARALLEL} at a time.
 * Prints figures; asserts nothing. Arguments: the fleet sizes (default 1 5 10 20).
 */
public final class FleetBenchmark {
  static final int POLICIES = 20;
  static final int STEADY_PASSES = 10;
  static final int PARALLEL = 8;
  private static final String WEBHOOK_SECRET = "0c9a2b7d4e3f8a5c1b0d9e2f7a4c6f1e";
  private static final ResourceDefinitionContext SCHEDULES = new ResourceDefinitionContext.Builder()
      .withGroup("velero.io").withVersion("v1").withPlural("schedules").withKind("Schedule").withNamespaced(true).build();
  private static final Duration WITHIN = Duration.ofMinutes(10);

  /** One fleet size's figures, in seconds, requests and MiB. */
  record Row(int members, double firstPass, double steadyMedian, double steadyP95, double requestsPerMember, long heapMiB,
      double driftFixed, double pushApplied, double diff, double kubectlSequential, double kubectlParallel) {}

  private FleetBenchmark() {}

  public static void main(String[] args) throws Exception {
    List<Integer> sizes = args.length == 0 ? List.of(1, 5, 10, 20) : Arrays.stream(args).map(Integer::valueOf).toList();
    List<Row> rows = new ArrayList<>();
    for (int n : sizes) {
      rows.add(measure(n));
      print(rows);
    }
  }

  private static Row measure(int n) throws Exception {
    Path dir = Files.createTempDirectory("fb-bench-" + n + "-");
    try (TestFleet fleet = TestFleet.start(dir.resolve("f"), TestFleet.Options.members(n).withVeleroNode());
         ConfigRemote remote = ConfigRemote.create(dir.resolve("git"))) {
      System.out.printf("%n== %d member(s) up in %.1f s%n", n, fleet.startupTime().toMillis() / 1000.0);
      FleetRepo repo = new FleetRepo(dir.resolve("repo"), fleet.s3()).clusters(n);
      IntStream.range(0, POLICIES).forEach(p -> repo.scheduled(policy(p), "%d 2 * * *".formatted(p), "shop-" + p));
      remote.commitTree(repo.dir, POLICIES + " scheduled backups");
      Path secrets = FleetRepo.writeSecrets(dir.resolve("secrets"), fleet);
      Path password = Files.writeString(dir.resolve("token"), "t0ken");
      Path webhookSecret = Files.writeString(dir.resolve("webhook-secret"), WEBHOOK_SECRET);
      int ops = freePort();
      PushHook hook = new PushHook(WEBHOOK_SECRET);

      try (HttpGitServer git = new HttpGitServer(remote.bare, "bot", "t0ken")) {
        long started = System.nanoTime();
        Process daemon = java(dir.resolve("daemon.log"), "run", "--repo", git.url(), "--git-username", "bot",
            "--git-password-file", password.toString(), "--secrets-dir", secrets.toString(), "--interval", "1m",
            "--ops-addr", "127.0.0.1:" + ops, "--webhook-secret-file", webhookSecret.toString(),
            "--work-dir", dir.resolve("work").toString());
        try {
          Metrics first = await("the first pass").atMost(WITHIN).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
              .until(() -> Metrics.scrape(ops), m -> m.passes() >= 1);
          double firstPass = first.passSeconds();
          System.out.printf("first pass (installs Velero): %.2f s (%.1f s from the daemon's start)%n", firstPass,
              (System.nanoTime() - started) / 1e9);
          await("Velero ready in every member").atMost(WITHIN).pollInterval(Duration.ofSeconds(1))
              .until(() -> fleet.members().stream().allMatch(Member::veleroAvailable));
          settle(ops, hook);

          Metrics before = Metrics.scrape(ops);
          List<Double> passes = new ArrayList<>();
          Metrics last = before;
          for (int i = 0; i < STEADY_PASSES; i++) {
            Metrics from = last;
            hook.send(ops);
            last = await("a steady pass").atMost(WITHIN).pollInterval(Duration.ofMillis(50))
                .until(() -> Metrics.scrape(ops), m -> m.passes() > from.passes());
            passes.add((last.passSeconds() - from.passSeconds()) / (last.passes() - from.passes()));
          }
          double requests = (last.requests() - before.requests()) / (double) (last.passes() - before.passes()) / n;
          passes.sort(null);
          long heap = heapAfterGc(daemon.pid());
          System.out.printf("steady pass: median %.3f s, p95 %.3f s, %.2f requests per member per pass, heap after GC %d MiB%n",
              passes.get(passes.size() / 2), passes.get((int) Math.ceil(passes.size() * 0.95) - 1), requests, heap);

          double drift = driftToCorrection(fleet.members().get(0));
          double push = pushToApplied(remote, repo, fleet, hook, ops);
          System.out.printf("drift to correction: %.2f s, push to applied (%d members): %.2f s%n", drift, n, push);
          daemon.destroy();
          daemon.waitFor();

          // as a user runs it, bin/fleet-backup, whose first run writes the class archive the others start from
          String[] diffArgs = {"diff", "--repo", repo.dir.toString(), "--secrets-dir", secrets.toString()};
          launcher(dir.resolve("diff-first.log"), diffArgs).waitFor();
          double diff = seconds(() -> {
            int exit = launcher(dir.resolve("diff.log"), diffArgs).waitFor();
            if (exit > 1) {
              throw new IllegalStateException("fleet-backup diff exited " + exit + ": see " + dir.resolve("diff.log"));
            }
            return exit;
          });
          Map<Member, Path> manifests = manifests(fleet, repo, dir);
          double sequential = seconds(() -> {
            for (Member m : fleet.members()) {
              kubectlDiff(fleet, m, manifests.get(m));
            }
            return 0;
          });
          ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
          double parallel;
          try {
            parallel = seconds(() -> {
              List<Future<Integer>> all = new ArrayList<>();
              for (Member m : fleet.members()) {
                all.add(pool.submit(() -> kubectlDiff(fleet, m, manifests.get(m))));
              }
              for (Future<Integer> f : all) {
                f.get();
              }
              return 0;
            });
          } finally {
            pool.shutdownNow();
          }
          System.out.printf("diff: fleet-backup %.2f s, kubectl diff --server-side %.2f s one by one, %.2f s %d at a time%n",
              diff, sequential, parallel, PARALLEL);
          return new Row(n, firstPass, passes.get(passes.size() / 2), passes.get((int) Math.ceil(passes.size() * 0.95) - 1),
              requests, heap, drift, push, diff, sequential, parallel);
        } finally {
          daemon.destroyForcibly();
        }
      }
    }
  }

  /** Passes until two in a row write nothing: Velero's first writes to new Schedules are over. */
  private static void settle(int ops, PushHook hook) throws Exception {
    for (int quiet = 0, round = 0; quiet < 2 && round < 20; round++) {
      Metrics from = Metrics.scrape(ops);
      hook.send(ops);
      Metrics after = await("a pass").atMost(WITHIN).pollInterval(Duration.ofMillis(50))
          .until(() -> Metrics.scrape(ops), m -> m.passes() > from.passes());
      quiet = after.writes() == from.writes() ? quiet + 1 : 0;
    }
  }

  private static double driftToCorrection(Member member) {
    String name = member.name() + "-backup-default-" + policy(0);
    var schedule = member.client().genericKubernetesResources(SCHEDULES).inNamespace("velero").withName(name);
    String uid = schedule.get().getMetadata().getUid();
    long start = System.nanoTime();
    schedule.delete();
    await("the deleted Schedule back").atMost(WITHIN).pollInterval(Duration.ofMillis(50)).until(() ->
        Optional.ofNullable(schedule.get()).map(s -> !s.getMetadata().getUid().equals(uid)).orElse(false));
    return (System.nanoTime() - start) / 1e9;
  }

  private static double pushToApplied(ConfigRemote remote, FleetRepo repo, TestFleet fleet, PushHook hook, int ops)
      throws Exception {
    String file = "backups/" + policy(0) + ".yaml";
    repo.scheduled(policy(0), "0 3 * * *", "shop-0");
    remote.commit(Map.of(file, Files.readString(repo.dir.resolve(file))), "one backup at three");
    long start = System.nanoTime();
    hook.send(ops);
    await("the push applied in every member").atMost(WITHIN).pollInterval(Duration.ofMillis(50))
        .until(() -> fleet.members().stream().allMatch(m -> "0 3 * * *".equals(schedule(m))));
    return (System.nanoTime() - start) / 1e9;
  }

  private static String schedule(Member member) {
    GenericKubernetesResource s = member.client().genericKubernetesResources(SCHEDULES).inNamespace("velero")
        .withName(member.name() + "-backup-default-" + policy(0)).get();
    return s == null ? null : String.valueOf(((Map<?, ?>) s.getAdditionalProperties().get("spec")).get("schedule"));
  }

  /**
   * What {@code fleet-backup build} prints for each member, for kubectl: all of it but the storage
   * credentials' Secret, whose value build never shows.
   */
  private static Map<Member, Path> manifests(TestFleet fleet, FleetRepo repo, Path dir) throws IOException {
    Map<Member, Path> out = new java.util.LinkedHashMap<>();
    for (Member m : fleet.members()) {
      StringWriter yaml = new StringWriter();
      Main.run(new String[] {"build", "--repo", repo.dir.toString(), "--cluster", m.name()}, new PrintWriter(yaml),
          new PrintWriter(new StringWriter()));
      String objects = Arrays.stream(yaml.toString().split("\n---\n")).filter(d -> !d.contains("kind: \"Secret\""))
          .collect(Collectors.joining("\n---\n"));
      out.put(m, Files.writeString(dir.resolve(m.name() + ".yaml"), objects));
    }
    return out;
  }

  /**
   * kubectl's server-side diff as fleet-backup's field manager (as another manager it would stop at
   * the first field fleet-backup owns); an exit above 1 is an error, and ends the benchmark.
   */
  private static int kubectlDiff(TestFleet fleet, Member member, Path manifest) throws Exception {
    Process p = new ProcessBuilder(fleet.binaries().kubectl().toString(), "--kubeconfig", member.kubeconfig().toString(),
        "diff", "--server-side", "--field-manager=fleet-backup", "--force-conflicts", "-f", manifest.toString())
        .redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int exit = p.waitFor();
    if (exit > 1) {
      throw new IllegalStateException("kubectl diff on " + member.name() + " exited " + exit + ":\n" + output);
    }
    return exit;
  }

  /** The product jar in a JVM of its own, as the image runs it, its output to {@code log}. */
  private static Process java(Path log, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", ProductJar.path().toString()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  /** {@code bin/fleet-backup} of the checkout the product jar was built in. */
  private static Process launcher(Path log, String... args) throws IOException {
    Path checkout = ProductJar.path().toAbsolutePath().getParent().getParent().getParent();
    List<String> command = new ArrayList<>(List.of(checkout.resolve("bin/fleet-backup").toString()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  /** The daemon's heap after a full GC, as {@code jcmd GC.heap_info} reports it. */
  private static long heapAfterGc(long pid) throws Exception {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.run").redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    Process info = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.heap_info").start();
    String text = new String(info.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    info.waitFor();
    long kib = 0;
    Matcher m = Pattern.compile("(?m)^\\s*\\S.*(?:heap|generation)\\s+total \\d+K, used (\\d+)K").matcher(text);
    while (m.find()) {
      kib += Long.parseLong(m.group(1));
    }
    return kib >> 10;
  }

  private interface Timed {
    Object run() throws Exception;
  }

  private static double seconds(Timed timed) throws Exception {
    long start = System.nanoTime();
    timed.run();
    return (System.nanoTime() - start) / 1e9;
  }

  private static String policy(int p) {
    return "nightly-%02d".formatted(p);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static void print(List<Row> rows) {
    System.out.println();
    System.out.println("| members | first pass | steady pass median / p95 | requests per member per pass | heap after GC"
        + " | drift undone | push applied | `diff` | kubectl diff, one by one | kubectl diff, " + PARALLEL + " at a time"
        + " | kubectl (" + PARALLEL + ") / `diff` |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
    for (Row r : rows) {
      System.out.printf("| %d | %.2f s | %.3f / %.3f s | %.2f | %d MiB | %.2f s | %.2f s | %.2f s | %.2f s | %.2f s | %.2f× |%n",
          r.members(), r.firstPass(), r.steadyMedian(), r.steadyP95(), r.requestsPerMember(), r.heapMiB(), r.driftFixed(),
          r.pushApplied(), r.diff(), r.kubectlSequential(), r.kubectlParallel(), r.kubectlParallel() / r.diff());
    }
  }

  /** What the daemon's {@code /metrics} says: passes so far, their seconds, and requests to the members by kind. */
  record Metrics(long passes, double passSeconds, double requests, double writes) {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    static Metrics scrape(int port) throws Exception {
      String text = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      return new Metrics((long) sum(text, "fleet_backup_pass_duration_seconds_count", ""),
          sum(text, "fleet_backup_pass_duration_seconds_sum", ""), sum(text, "fleet_backup_member_requests_total", ""),
          sum(text, "fleet_backup_member_requests_total", "type=\"write\""));
    }

    private static double sum(String text, String name, String label) {
      double total = 0;
      for (String line : text.split("\n")) {
        if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
          if (line.contains(label)) {
            total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
          }
        }
      }
      return total;
    }
  }
}
