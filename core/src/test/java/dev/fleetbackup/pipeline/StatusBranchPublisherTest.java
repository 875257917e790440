package dev.fleetbackup.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fleetbackup.report.StatusFiles;
import dev.fleetbackup.report.StatusReport;
import dev.fleetbackup.source.GitCredentials;
import dev.fleetbackup.source.GitRemote;
import dev.fleetbackup.source.GitSource;
import dev.fleetbackup.testkit.ConfigRemote;
import dev.fleetbackup.testkit.HttpGitServer;
import dev.fleetbackup.validate.Validator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Git loop writing the status branch of a real (file://) config repo. */
class StatusBranchPublisherTest {
  static final String STATUS = "fleet-backup/status";

  @TempDir
  Path dir;

  @Test
  void commitsOnlyWhenTheReportChangesAndShowsARejectedCommit() throws Exception {
    try (ConfigRemote remote = ConfigRemote.create(dir)) {
      String good = remote.commitTree(Path.of("sample-repo"), "sample");
      GitSource source = GitSource.open(new GitRemote(remote.url(), GitCredentials.NONE, Duration.ofSeconds(10)), "main", "",
          dir.resolve("clone"));
      StatusBranchPublisher publisher = new StatusBranchPublisher(
          source.statusBranch(STATUS, "fleet-backup", "bot@example.com"), STATUS);
      GitOpsLoop loop = new GitOpsLoop(source, new Validator(), policies -> PassOutcome.NONE, publisher, Clock.systemUTC());

      loop.iterate();
      loop.iterate();
      assertThat(remote.log(STATUS)).as("a second pass with nothing new leaves no commit").hasSize(1);
      assertThat(remote.log(STATUS).get(0).getShortMessage()).isEqualTo("status of main@sha1:" + good.substring(0, 7) + ": 0 clusters");

      String broken = remote.commit(Map.of("backups/nightly.yaml", """
          apiVersion: backup.kurator.dev/v1alpha1
          kind: Backup
          metadata:
            name: nightly
          spec:
            schedule: "0 2 * *"
            destination:
              fleet: quickstart
          """), "break it");
      loop.iterate();

      assertThat(remote.log(STATUS)).hasSize(2);
      Map<String, String> files = remote.filesOf(STATUS);
      assertThat(files.get("README.md"))
          .contains(good.substring(0, 7))
          .contains(broken.substring(0, 7))
          .contains("backups/nightly.yaml:6:13");
      StatusReport parsed = new StatusFiles().parse(files.get("status.json").getBytes(StandardCharsets.UTF_8));
      assertThat(parsed.applied()).map(r -> r.sha()).contains(good);
      assertThat(parsed.rejected()).map(r -> r.revision().sha()).contains(broken);
    }
  }

  @Test
  void aSteadyFleetsPageIsRewrittenEveryOtherPassSoThatItNeverReadsAsStaleWhileTheReconcilerRuns() throws Exception {
    try (ConfigRemote remote = ConfigRemote.create(dir)) {
      remote.commitTree(Path.of("sample-repo"), "sample");
      GitSource source = GitSource.open(new GitRemote(remote.url(), GitCredentials.NONE, Duration.ofSeconds(10)), "main", "",
          dir.resolve("clone"));
      StatusBranchPublisher publisher = new StatusBranchPublisher(source.statusBranch(STATUS, "fleet-backup", "bot@example.com"),
          STATUS, Optional.of(Duration.ofMinutes(1)), Optional.empty());
      Instant start = Instant.parse("2026-11-25T14:00:00Z");

      for (int pass = 0; pass < 5; pass++) {
        publisher.publish(new StatusReport(start.plus(Duration.ofMinutes(pass)), Duration.ofSeconds(2), Optional.empty(),
            Optional.empty(), Optional.empty(), List.of(), List.of(), List.of(), List.of()));
      }

      assertThat(remote.log(STATUS)).as("passes 0, 2 and 4 of five that changed nothing").hasSize(3);
      StatusReport published = new StatusFiles().parse(remote.filesOf(STATUS).get("status.json").getBytes(StandardCharsets.UTF_8));
      assertThat(published.finishedAt()).isEqualTo(start.plus(Duration.ofMinutes(4)));
      assertThat(published.interval()).contains(Duration.ofMinutes(1));
      assertThat(published.staleAfter()).contains(start.plus(Duration.ofMinutes(7)));
      assertThat(remote.filesOf(STATUS).get("README.md")).contains("if it is now later than 2026-11-25 14:07:00 UTC");
    }
  }

  /**
   * One fetch per iteration: the followed branch and the status branch come in one upload-pack
   * exchange, which the publisher reuses; a pass that changed nothing pushes nothing. (The first
   * iteration, before the status branch exists, fetches the followed branch alone once more.)
   */
  @Test
  void anIterationFetchesTheRemoteOnceAndTheStatusPushReusesThatFetch() throws Exception {
    try (ConfigRemote remote = ConfigRemote.create(dir);
         HttpGitServer server = new HttpGitServer(remote.bare, "bot", "t0ken")) {
      GitRemote git = new GitRemote(server.url(), GitCredentials.from(Optional.of("bot"), Optional.empty(), Optional.empty(),
          Optional.empty(), Map.of("FLEET_BACKUP_GIT_PASSWORD", "t0ken")), Duration.ofSeconds(10));
      remote.commitTree(Path.of("sample-repo"), "sample");
      try (GitSource source = GitSource.open(git, "main", "", dir.resolve("clone"));
           GitSource alone = GitSource.open(git, "main", "", dir.resolve("alone"))) {
        GitOpsLoop loop = new GitOpsLoop(source, new Validator(), policies -> PassOutcome.NONE, new StatusBranchPublisher(
            source.statusBranch(STATUS, "fleet-backup", "bot@example.com"), STATUS), Clock.systemUTC());
        alone.fetch();
        List<String> oneFetch = requests(server, alone::fetch);

        List<String> first = requests(server, loop::iterate);
        List<String> steady = requests(server, loop::iterate);
        remote.commit(Map.of("README.md", "# a new commit\n"), "a new commit");
        List<String> newCommit = requests(server, loop::iterate);

        System.out.printf("MEASURE requests to the remote: one fetch of main %s; first iteration %s; steady %s; new commit %s%n",
            oneFetch, first, steady, newCommit);
        assertThat(steady).as("the steady iteration: one fetch of both branches, as many requests as one fetch of main, no push")
            .isEqualTo(oneFetch);
        assertThat(newCommit).as("a new commit: one fetch, its objects, one push")
            .containsSubsequence("FETCH OBJECTS", "PUSH OBJECTS").filteredOn(r -> r.equals("PUSH REFS")).hasSize(1);
        assertThat(newCommit.stream().filter(r -> r.startsWith("FETCH"))).hasSize(oneFetch.size() + 1);
        assertThat(remote.log(STATUS)).hasSize(2);
      }
    }
  }

  /** The requests {@code action} made to {@code server}, as "SERVICE STEP" in order, once the server has logged them all. */
  private static List<String> requests(HttpGitServer server, ThrowingRunnable action) throws Exception {
    int before = server.exchanges().size();
    action.run();
    // the server logs a request once its answer is out, possibly after the client has read it
    AtomicInteger seen = new AtomicInteger(-1);
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).during(Duration.ofMillis(300))
        .until(() -> seen.getAndSet(server.exchanges().size()) == server.exchanges().size());
    List<HttpGitServer.Exchange> all = server.exchanges();
    return all.subList(before, all.size()).stream().map(e -> e.service() + " " + e.step()).toList();
  }

  private interface ThrowingRunnable {
    void run() throws Exception;
  }

  /** Another writer's push lands between the publisher's fetch of the branch and its push. */
  @Test
  void aPushThatLosesTheRaceIsMadeAgainOnTopOfTheOtherWritersCommit() throws Exception {
    try (ConfigRemote remote = ConfigRemote.create(dir);
         HttpGitServer server = new HttpGitServer(remote.bare, "bot", "t0ken");
         GitSource source = GitSource.open(new GitRemote(server.url(), GitCredentials.from(Optional.of("bot"), Optional.empty(),
             Optional.empty(), Optional.empty(), Map.of("FLEET_BACKUP_GIT_PASSWORD", "t0ken")), Duration.ofSeconds(10)), "main", "",
             dir.resolve("clone"))) {
      remote.commitTree(Path.of("sample-repo"), "sample");
      StatusBranchPublisher publisher = new StatusBranchPublisher(
          source.statusBranch(STATUS, "fleet-backup", "bot@example.com"), STATUS);
      GitOpsLoop loop = new GitOpsLoop(source, new Validator(), policies -> PassOutcome.NONE, publisher, Clock.systemUTC());
      loop.iterate();
      String before = remote.log(STATUS).get(0).name();
      String[] theirs = new String[1];
      server.beforeNextAdvertisement(HttpGitServer.Service.PUSH, () -> theirs[0] = remote.commitOnto(STATUS,
          Map.of("README.md", "# another writer's\n"), "another writer"));

      String published = publisher.publish(new StatusReport(Instant.now(), Duration.ZERO, Optional.empty(), Optional.empty(),
          Optional.of("fetch failed"), List.of(), List.of(), List.of(), List.of()));

      assertThat(published).matches("status committed to fleet-backup/status \\([0-9a-f]{7}\\) on attempt 2, another writer pushed"
          + " first: 0 clusters");
      assertThat(remote.log(STATUS)).extracting(c -> c.name()).as("on top of theirs, never over it")
          .containsExactly(remote.log(STATUS).get(0).name(), theirs[0], before);
      assertThat(remote.filesOf(STATUS).get("README.md")).doesNotContain("another writer's").contains("fetch failed");
    }
  }

  /**
   * Two replicas under sharding, each with a clone of its own, publish their members' rows; the
   * second's push loses a race to the first's and is merged again on top of it: no row is lost.
   */
  @Test
  void replicasMergeTheirMembersIntoTheBranchAndNoneLosesAnothersRows() throws Exception {
    try (ConfigRemote remote = ConfigRemote.create(dir);
         HttpGitServer server = new HttpGitServer(remote.bare, "bot", "t0ken")) {
      remote.commitTree(Path.of("sample-repo"), "sample");
      List<String> members = List.of("m1", "m2", "m3", "m4");
      StatusPart[] partOfA = {new StatusPart(members, java.util.Set.of("m1", "m2"))};
      StatusPart[] partOfB = {new StatusPart(members, java.util.Set.of("m3", "m4"))};
      try (GitSource a = GitSource.open(new GitRemote(remote.url(), GitCredentials.NONE, Duration.ofSeconds(10)), "main", "",
               dir.resolve("a"));
           GitSource b = GitSource.open(new GitRemote(server.url(), GitCredentials.from(Optional.of("bot"), Optional.empty(),
               Optional.empty(), Optional.empty(), Map.of("FLEET_BACKUP_GIT_PASSWORD", "t0ken")), Duration.ofSeconds(10)), "main",
               "", dir.resolve("b"))) {
        StatusBranchPublisher replicaA = StatusBranchPublisher.merging(
            a.statusBranch(STATUS, "fleet-backup", "bot@example.com").committedBy("a"), STATUS, Optional.empty(), Optional.empty(),
            () -> Optional.of(partOfA[0]));
        StatusBranchPublisher replicaB = StatusBranchPublisher.merging(
            b.statusBranch(STATUS, "fleet-backup", "bot@example.com").committedBy("b"), STATUS, Optional.empty(), Optional.empty(),
            () -> Optional.of(partOfB[0]));

        replicaA.publish(report(row("m1", "v1"), row("m2", "v1")));
        replicaB.publish(report(row("m3", "v1"), row("m4", "v1")));
        assertThat(versions(remote)).containsExactly("m1=v1", "m2=v1", "m3=v1", "m4=v1");

        server.beforeNextAdvertisement(HttpGitServer.Service.PUSH, () -> {
          try {
            replicaA.publish(report(row("m1", "v2"), row("m2", "v1")));
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
        String published = replicaB.publish(report(row("m3", "v2"), row("m4", "v1")));
        assertThat(published).contains("on attempt 2, another writer pushed first: 4 clusters");
        assertThat(versions(remote)).as("a's new row and b's, merged").containsExactly("m1=v2", "m2=v1", "m3=v2", "m4=v1");
        assertThat(remote.log(STATUS)).extracting(c -> c.getCommitterIdent().getName())
            .containsExactly("fleet-backup (b)", "fleet-backup (a)", "fleet-backup (b)", "fleet-backup (a)");

        // b no longer holds m4 (it moved, and its new owner has not published yet); m3 left the config repo
        partOfB[0] = new StatusPart(List.of("m1", "m2", "m4"), java.util.Set.of());
        replicaB.publish(report());
        assertThat(versions(remote)).as("a row no replica reports keeps its last state").containsExactly("m1=v2", "m2=v1", "m4=v1");
        assertThat(replicaA.publish(report(row("m1", "v2"), row("m2", "v1")))).as("nothing new of a's")
            .isEqualTo("status unchanged on " + STATUS);
      }
    }
  }

  @Test
  void beforeItsFirstPassAReplicaPushesNothing() throws Exception {
    try (ConfigRemote remote = ConfigRemote.create(dir)) {
      remote.commitTree(Path.of("sample-repo"), "sample");
      try (GitSource a = GitSource.open(new GitRemote(remote.url(), GitCredentials.NONE, Duration.ofSeconds(10)), "main", "",
          dir.resolve("a"))) {
        StatusBranchPublisher replica = StatusBranchPublisher.merging(a.statusBranch(STATUS, "fleet-backup", "bot@example.com"),
            STATUS, Optional.empty(), Optional.empty(), Optional::empty);
        assertThat(replica.publish(report())).isEqualTo("status not pushed: this replica has taken no pass yet");
        assertThat(remote.log(STATUS)).isEmpty();
      }
    }
  }

  private static dev.fleetbackup.model.ClusterState row(String cluster, String version) {
    return new dev.fleetbackup.model.ClusterState(cluster, "default/quickstart", true, Optional.empty(), true, Optional.of(version),
        "Available", dev.fleetbackup.model.ClusterState.ApplySummary.NONE);
  }

  private static StatusReport report(dev.fleetbackup.model.ClusterState... rows) {
    return new StatusReport(Instant.now(), Duration.ZERO, Optional.empty(), Optional.empty(), Optional.empty(), List.of(rows),
        List.of(), List.of(), List.of());
  }

  private static List<String> versions(ConfigRemote remote) {
    return new StatusFiles().parse(remote.filesOf(STATUS).get("status.json").getBytes(StandardCharsets.UTF_8)).clusters().stream()
        .map(c -> c.cluster() + "=" + c.veleroVersion().orElse("")).toList();
  }
}
