package dev.fleetbackup.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fleetbackup.model.Revision;
import dev.fleetbackup.report.StatusFiles;
import dev.fleetbackup.report.StatusReport;
import dev.fleetbackup.testkit.ConfigRemote;
import dev.fleetbackup.testkit.FleetRepo;
import dev.fleetbackup.testkit.HttpGitServer;
import dev.fleetbackup.testkit.Member;
import dev.fleetbackup.testkit.TestFleet;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fleet-backup run} as a user runs it: following a config repo over authenticated HTTP,
 * applying to three real members with Velero, taking each new commit the moment a signed GitHub
 * webhook says it was pushed (the interval is an hour), rejecting a broken commit while the last
 * good one stays applied, writing the status branch, and, restarted with a fresh work folder while
 * the head is broken, enforcing the commit the status branch shows applied.
 */
class RunCommandIT {
  private static final ResourceDefinitionContext SCHEDULES = new ResourceDefinitionContext.Builder()
      .withGroup("velero.io").withVersion("v1").withPlural("schedules").withKind("Schedule").withNamespaced(true).build();
  private static final String SCHEDULE = "kurator-member%d-backup-default-nightly";
  private static final String WEBHOOK_SECRET = "6f1e0c9a2b7d4e3f8a5c1b0d9e2f7a4c";
  private static final PushHook HOOK = new PushHook(WEBHOOK_SECRET);

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path dir;

  @Test
  void followsTheRepoAppliesNewCommitsAndRejectsBrokenOnes() throws Exception {
    try (TestFleet fleet = TestFleet.start(dir.resolve("f"), TestFleet.Options.members(3).withVeleroNode());
         ConfigRemote remote = ConfigRemote.create(dir.resolve("git"))) {
      FleetRepo policies = new FleetRepo(dir.resolve("policies"), fleet.s3()).nightly("0 2 * * *", "shop");
      remote.commitTree(policies.dir, "fleet and a nightly backup");
      Path secrets = FleetRepo.writeSecrets(dir.resolve("secrets"), fleet);
      Path password = Files.writeString(dir.resolve("token"), "t0ken");
      Path webhookSecret = Files.writeString(dir.resolve("webhook-secret"), WEBHOOK_SECRET + "\n");
      int ops = freePort();
      StringWriter out = new StringWriter();
      AtomicInteger exit = new AtomicInteger(-1);
      Map<String, String> commits = new HashMap<>();

      try (HttpGitServer server = new HttpGitServer(remote.bare, "bot", "t0ken")) {
        Thread run = new Thread(() -> exit.set(Main.run(new String[] {"run", "--repo", server.url(), "--git-username", "bot",
            "--git-password-file", password.toString(), "--secrets-dir", secrets.toString(), "--interval", "1h",
            "--ops-addr", "127.0.0.1:" + ops, "--webhook-secret-file", webhookSecret.toString(),
            "--work-dir", dir.resolve("work").toString()}, new PrintWriter(out), new PrintWriter(out))));
        run.start();
        try {
          await("the first commit applied").atMost(Duration.ofMinutes(3))
              .until(() -> fleet.members().stream().allMatch(m -> schedule(m, fleet).equals(Optional.of("0 2 * * *"))));
          // the status of the passes below says Velero is ready only once it is: a loaded machine starts it late
          await("Velero ready in every member").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
              .until(() -> fleet.members().stream().allMatch(Member::veleroAvailable));

          String good = remote.commit(Map.of("backups/nightly.yaml",
              Files.readString(policies.nightly("0 3 * * *", "shop").dir.resolve("backups/nightly.yaml"))), "nightly at three");
          Instant pushed = Instant.now();
          assertThat(HOOK.send(ops)).as("the hook's answer").isEqualTo(202);
          await("the new commit applied at the hook, not in an hour").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
              .until(() -> fleet.members().stream().allMatch(m -> schedule(m, fleet).equals(Optional.of("0 3 * * *"))));
          System.out.printf("MEASURE push to applied through the webhook (3 real members): %d ms%n",
              Duration.between(pushed, Instant.now()).toMillis());

          String broken = remote.commit(Map.of("backups/nightly.yaml",
              Files.readString(policies.nightly("0 4 * *", "shop").dir.resolve("backups/nightly.yaml"))), "broken cron");
          assertThat(HOOK.send(ops)).isEqualTo(202);
          await("the broken commit reported on the status branch").atMost(Duration.ofSeconds(60))
              .until(() -> status(remote).flatMap(StatusReport::rejected).map(r -> r.revision().sha()).equals(Optional.of(broken)));
          StatusReport report = status(remote).orElseThrow();
          assertThat(report.rejected().orElseThrow().errors()).singleElement().asString()
              .startsWith("backups/nightly.yaml:7:13: error: schedule \"0 4 * *\"");
          assertThat(report.clusters()).hasSize(3).allMatch(c -> c.reachable() && c.veleroReady());
          assertThat(fleet.members()).allMatch(m -> schedule(m, fleet).equals(Optional.of("0 3 * * *")));
          commits.put("good", good);
          commits.put("broken", broken);
        } finally {
          // an interrupt that lands inside a library's I/O can be lost there; the daemon's wait between passes takes the next
          for (Instant end = Instant.now().plusSeconds(60); run.isAlive() && Instant.now().isBefore(end); ) {
            run.interrupt();
            run.join(500);
          }
        }

        // A new pod, its work folder fresh, while the head is still broken: it enforces the commit the
        // status branch shows applied (a Schedule deleted by hand comes back), and the branch keeps naming it.
        Member first = fleet.members().get(0);
        first.client().genericKubernetesResources(SCHEDULES).inNamespace("velero").withName(SCHEDULE.formatted(1)).delete();
        await("the Schedule deleted by hand").atMost(Duration.ofSeconds(30)).until(() -> schedule(first, fleet).isEmpty());
        StringWriter restarted = new StringWriter();
        int once = Main.run(new String[] {"run", "--repo", server.url(), "--git-username", "bot", "--git-password-file",
            password.toString(), "--secrets-dir", secrets.toString(), "--once", "--work-dir", dir.resolve("work-2").toString()},
            new PrintWriter(restarted), new PrintWriter(restarted));
        assertThat(once).as(restarted.toString()).isZero();
        assertThat(schedule(first, fleet)).as("re-created from the last good commit").contains("0 3 * * *");
        StatusReport after = status(remote).orElseThrow();
        assertThat(after.applied()).map(Revision::sha).contains(commits.get("good"));
        assertThat(after.rejected()).map(r -> r.revision().sha()).contains(commits.get("broken"));
        assertThat(after.clusters()).hasSize(3);
      }
      assertThat(exit.get()).as(out.toString()).isZero();
      assertThat(out.toString()).doesNotContain("t0ken", fleet.s3().secretKey(), WEBHOOK_SECRET);
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static Optional<String> schedule(Member member, TestFleet fleet) {
    int index = fleet.members().indexOf(member) + 1;
    GenericKubernetesResource schedule = member.client().genericKubernetesResources(SCHEDULES)
        .inNamespace("velero").withName(SCHEDULE.formatted(index)).get();
    return Optional.ofNullable(schedule).map(s -> (String) ((Map<?, ?>) s.getAdditionalProperties().get("spec")).get("schedule"));
  }

  private static Optional<StatusReport> status(ConfigRemote remote) {
    String json = remote.filesOf("fleet-backup/status").get(StatusFiles.STATUS_JSON);
    return Optional.ofNullable(json).map(j -> new StatusFiles().parse(j.getBytes(StandardCharsets.UTF_8)));
  }
}
