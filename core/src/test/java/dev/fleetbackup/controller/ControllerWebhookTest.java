package dev.fleetbackup.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fleetbackup.apply.ApplyOptions;
import dev.fleetbackup.cluster.CredentialSource;
import dev.fleetbackup.cluster.InMemoryMember;
import dev.fleetbackup.cluster.Kubeconfig;
import dev.fleetbackup.cluster.KubeconfigPolicy;
import dev.fleetbackup.model.AttachedCluster;
import dev.fleetbackup.model.Fleet;
import dev.fleetbackup.ops.Hooks;
import dev.fleetbackup.ops.WebhookSecret;
import dev.fleetbackup.pipeline.FleetPass;
import dev.fleetbackup.pipeline.Pipeline;
import dev.fleetbackup.pipeline.Selection;
import dev.fleetbackup.plan.ManagedKind;
import dev.fleetbackup.plan.ObjectRef;
import dev.fleetbackup.plan.PlanSettings;
import dev.fleetbackup.plan.Planner;
import dev.fleetbackup.plan.SecretValue;
import dev.fleetbackup.plan.StorageCredentials;
import dev.fleetbackup.source.GitCredentials;
import dev.fleetbackup.source.GitRemote;
import dev.fleetbackup.testkit.ConfigRemote;
import dev.fleetbackup.validate.Guardrails;
import dev.fleetbackup.validate.Validator;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon end to end but for the members, which are held in memory: it follows a real (file://)
 * config repo with an interval of an hour, and a signed hook on its ops port makes it apply a
 * commit pushed a moment before; hooks that come while a pass runs are one more pass, not one each.
 */
class ControllerWebhookTest {
  private static final String SECRET = "6f1e0c9a2b7d4e3f8a5c1b0d9e2f7a4c";
  private static final List<String> MEMBERS = List.of("kurator-member1", "kurator-member2", "kurator-member3");
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir
  Path dir;

  private final Map<String, InMemoryMember> members = new LinkedHashMap<>();
  private final AtomicInteger passes = new AtomicInteger();
  /** When set, the next pass waits for it before it starts, with {@link #holding} true meanwhile. */
  private volatile CountDownLatch hold = new CountDownLatch(0);
  private final AtomicBoolean holding = new AtomicBoolean();

  @Test
  void aHookMakesTheDaemonApplyAPushedCommitWithoutWaitingForTheInterval() throws Exception {
    MEMBERS.forEach(m -> members.put(m, new InMemoryMember(m).installVeleroCrds()
        .controller(ManagedKind.BACKUP_STORAGE_LOCATION, location -> {
          location.withObject("/status").put("phase", "Available");
          return location;
        })));
    try (ConfigRemote remote = ConfigRemote.create(dir.resolve("git"))) {
      remote.commitTree(Path.of("sample-repo"), "sample");
      InetSocketAddress ops = new InetSocketAddress("127.0.0.1", freePort());
      Controller controller = new Controller(settings(remote, ops), RepoWorkload.opener(settings(remote, ops), new Validator(),
          counted(), Clock.systemUTC()), hook -> () -> { }, Clock.systemUTC());
      Thread daemon = new Thread(() -> {
        try {
          controller.run();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }, "daemon");
      daemon.start();
      try {
        URI base = URI.create("http://127.0.0.1:" + ops.getPort());
        await("the first pass").atMost(Duration.ofSeconds(60))
            .until(() -> passes.get() == 1 && get(base.resolve("/readyz")) == 200 && schedules().allMatch("0 2 * * *"::equals));

        remote.commit(Map.of("backups/nightly.yaml", Files.readString(Path.of("sample-repo/backups/nightly.yaml"))
            .replace("0 2 * * *", "0 3 * * *")), "nightly at three");
        Instant pushed = Instant.now();
        HttpResponse<String> answer = HTTP.send(Hooks.github(Hooks.url(base, SECRET), SECRET, "push", Hooks.push("refs/heads/main")),
            HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(202);
        await("the pushed commit applied").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10))
            .until(() -> schedules().allMatch("0 3 * * *"::equals));
        Duration pushToApplied = Duration.between(pushed, Instant.now());
        System.out.printf("MEASURE push to applied through the webhook (3 in-memory members, file:// remote): %d ms%n",
            pushToApplied.toMillis());
        await("the hook's pass counted").atMost(Duration.ofSeconds(30)).until(() -> passes.get() >= 2);
        assertThat(passes).as("the interval is an hour: the hook's pass alone").hasValue(2);

        // a pass held open by the test; ten hooks while it runs: one pass after it, not ten
        int before = passes.get();
        hold = new CountDownLatch(1);
        HTTP.send(Hooks.github(Hooks.url(base, SECRET), SECRET, "push", Hooks.push("refs/heads/main")),
            HttpResponse.BodyHandlers.ofString());
        await("a pass under way").atMost(Duration.ofSeconds(30)).until(() -> holding.get());
        for (int i = 0; i < 10; i++) {
          assertThat(HTTP.send(Hooks.github(Hooks.url(base, SECRET), SECRET, "push", Hooks.push("refs/heads/main")),
              HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(202);
        }
        hold.countDown();
        await("the held pass and the burst's").atMost(Duration.ofSeconds(30)).until(() -> passes.get() >= before + 2);
        AtomicInteger seen = new AtomicInteger(-1);
        await("no more passes").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).during(Duration.ofSeconds(1))
            .until(() -> seen.getAndSet(passes.get()) == passes.get());
        assertThat(passes.get() - before).as("the held pass, then one for the ten hooks that came during it").isEqualTo(2);
      } finally {
        daemon.interrupt();
        daemon.join(Duration.ofSeconds(30).toMillis());
      }
    }
  }

  private Controller.Settings settings(ConfigRemote remote, InetSocketAddress ops) {
    return new Controller.Settings(
        new Controller.Repo(new GitRemote(remote.url(), GitCredentials.NONE, Duration.ofSeconds(10)), "main", "", dir.resolve("work")),
        new Controller.StatusBranch("fleet-backup/status", "fleet-backup", "fleet-backup@localhost"),
        new Controller.Reconcile(new Controller.Local(new Credentials()), ApplyOptions.DEFAULTS, Guardrails.DEFAULTS),
        new Controller.Every(Duration.ofHours(1), Optional.empty(), Optional.of(WebhookSecret.of(SECRET))),
        Optional.of(ops), Optional.empty());
  }

  /** The daemon's real pass over the in-memory members, counted. */
  private FleetPass.Factory counted() {
    Pipeline pipeline = new Pipeline(new Validator(), new Planner(PlanSettings.DEFAULTS),
        (cluster, kubeconfig, budget) -> members.get(cluster), Duration.ofMinutes(1), Clock.systemUTC());
    return (credentials, options, guardrails, fence, instance, concurrency, timeouts) -> {
      Pipeline.Request request = new Pipeline.Request(credentials, Selection.ALL, new Pipeline.Apply(options, fence), concurrency, timeouts);
      FleetPass pass = policies -> pipeline.withGuardrails(guardrails).run(policies, request);
      return policies -> {
        try {
          CountDownLatch held = hold;
          holding.set(held.getCount() > 0);
          held.await(30, TimeUnit.SECONDS);
          holding.set(false);
          hold = new CountDownLatch(0);
          return pass.run(policies);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        } finally {
          passes.incrementAndGet();
        }
      };
    };
  }

  /** The schedule of the nightly backup's Velero Schedule in each member, "" where there is none. */
  private java.util.stream.Stream<String> schedules() {
    return members.entrySet().stream().map(e -> e.getValue()
        .object(new ObjectRef(ManagedKind.SCHEDULE, "velero", e.getKey() + "-backup-default-nightly"))
        .map(s -> s.path("spec").path("schedule").asString()).orElse(""));
  }

  private static int get(URI uri) {
    try {
      return HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static final class Credentials implements CredentialSource {
    @Override
    public Kubeconfig kubeconfig(AttachedCluster cluster) {
      return new Kubeconfig("memory", "", KubeconfigPolicy.STRICT);
    }

    @Override
    public StorageCredentials storage(Fleet fleet) {
      return new StorageCredentials(new SecretValue("AKID"), new SecretValue("secret-0123456789"));
    }
  }
}
