package dev.fleetbackup.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetbackup.model.ClusterState;
import dev.fleetbackup.model.Diagnostic;
import dev.fleetbackup.model.PolicySet;
import dev.fleetbackup.model.Revision;
import dev.fleetbackup.report.StatusReport;
import dev.fleetbackup.source.GitCredentials;
import dev.fleetbackup.source.GitRemote;
import dev.fleetbackup.source.GitSource;
import dev.fleetbackup.testkit.ConfigRemote;
import dev.fleetbackup.testkit.HttpGitServer;
import dev.fleetbackup.validate.Validator;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The Git loop over real transports, with a pass that records what it was asked to apply. */
class GitOpsLoopTest {
  @TempDir
  Path dir;

  private static final String STATUS = "fleet-backup/status";
  private final List<PolicySet> passes = new ArrayList<>();
  private final List<StatusReport> published = new ArrayList<>();

  private GitOpsLoop loop(GitRemote remote) throws Exception {
    GitSource source = GitSource.open(remote, "main", "", dir.resolve("clone"));
    FleetPass pass = policies -> {
      passes.add(policies);
      return PassOutcome.NONE;
    };
    return new GitOpsLoop(source, new Validator(), pass, report -> {
      published.add(report);
      return "published";
    }, Clock.systemUTC());
  }

  /** A reconciler as a new pod starts it: a fresh clone, the status branch of the same remote. */
  private GitOpsLoop restartable(GitRemote remote, String pod) throws Exception {
    GitSource source = GitSource.open(remote, "main", "", dir.resolve(pod));
    return new GitOpsLoop(source, new Validator(), policies -> {
      passes.add(policies);
      return PassOutcome.NONE;
    }, statusBranch(source), Clock.systemUTC());
  }

  private static StatusBranchPublisher statusBranch(GitSource source) {
    return new StatusBranchPublisher(source.statusBranch(STATUS, "fleet-backup", "fleet-backup@example.com"), STATUS);
  }

  private static String brokenNightly() {
    return """
        apiVersion: backup.kurator.dev/v1alpha1
        kind: Backup
        metadata:
          name: nightly
        spec:
          schedule: "0 2 * *"
          destination:
            fleet: quickstart
        """;
  }

  @Test
  void appliesTheNewestValidCommitAndKeepsItWhileABrokenOneIsRejected() throws Exception {
    try (ConfigRemote remote = ConfigRemote.create(dir)) {
      String good = remote.commitTree(Path.of("sample-repo"), "sample");
      GitOpsLoop loop = loop(new GitRemote(remote.url(), GitCredentials.NONE, Duration.ofSeconds(10)));

      StatusReport first = loop.iterate().report();
      assertThat(first.applied()).map(Revision::sha).contains(good);
      assertThat(passes).last().extracting(p -> p.backups().size()).isEqualTo(3);

      String broken = remote.commit(Map.of("backups/nightly.yaml", brokenNightly()), "break the schedule");
      StatusReport second = loop.iterate().report();
      assertThat(second.applied()).map(Revision::sha).contains(good);
      assertThat(second.rejected()).hasValueSatisfying(rejection -> {
        assertThat(rejection.revision().sha()).isEqualTo(broken);
        assertThat(rejection.errors()).extracting(Diagnostic::toString).containsExactly(
            "backups/nightly.yaml:6:13: error: schedule \"0 2 * *\": a cron expression needs 5 fields (minute hour day-of-month month day-of-week), got 4");
      });
      assertThat(passes).as("the last good revision keeps being applied").hasSize(2);
      assertThat(passes.get(1).backups()).anyMatch(b -> b.spec().schedule().equals(Optional.of("0 2 * * *")));

      String fixed = remote.commit(Map.of("backups/nightly.yaml", brokenNightly().replace("0 2 * *", "0 3 * * *")), "fix");
      StatusReport third = loop.iterate().report();
      assertThat(third.applied()).map(Revision::sha).contains(fixed);
      assertThat(third.rejected()).isEmpty();
      assertThat(passes.get(2).backups()).anyMatch(b -> b.spec().schedule().equals(Optional.of("0 3 * * *")));
    }
  }

  @Test
  void aRestartedReconcilerWhoseHeadIsInvalidKeepsEnforcingTheRevisionTheStatusBranchShows() throws Exception {
    try (ConfigRemote remote = ConfigRemote.create(dir)) {
      String good = remote.commitTree(Path.of("sample-repo"), "sample");
      GitRemote git = new GitRemote(remote.url(), GitCredentials.NONE, Duration.ofSeconds(10));
      restartable(git, "pod-1").iterate();
      String broken = remote.commit(Map.of("backups/nightly.yaml", brokenNightly()), "break the schedule");
      passes.clear();

      StatusReport report = restartable(git, "pod-2").iterate().report();

      assertThat(passes).as("the new pod reconciles the fleet at once").hasSize(1);
      assertThat(passes.get(0).backups()).anyMatch(b -> b.spec().schedule().equals(Optional.of("0 2 * * *")));
      assertThat(report.applied()).map(Revision::sha).contains(good);
      assertThat(report.rejected()).map(r -> r.revision().sha()).contains(broken);
      try (GitSource reader = GitSource.open(git, "main", "", dir.resolve("reader"))) {
        assertThat(statusBranch(reader).lastPublished()).hasValueSatisfying(published -> {
          assertThat(published.applied()).map(Revision::sha).contains(good);
          assertThat(published.rejected()).map(r -> r.revision().sha()).contains(broken);
        });
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"0123456789abcdef0123456789abcdef01234567", "abcd"}) // gone from history; not a full id
  void aRestartThatCannotReadTheAppliedRevisionKeepsTheStatusBranchsViewRatherThanEmptyingIt(String sha) throws Exception {
    try (ConfigRemote remote = ConfigRemote.create(dir)) {
      remote.commitTree(Path.of("sample-repo"), "sample");
      String broken = remote.commit(Map.of("backups/nightly.yaml", brokenNightly()), "break the schedule");
      GitRemote git = new GitRemote(remote.url(), GitCredentials.NONE, Duration.ofSeconds(10));
      Revision rewritten = new Revision("main", sha, Instant.parse("2026-11-30T10:00:00Z"));
      ClusterState member = new ClusterState("kurator-member1", "default/quickstart", true, Optional.empty(), true,
          Optional.of("v1.18.1"), "Available", ClusterState.ApplySummary.NONE);
      try (GitSource seeder = GitSource.open(git, "main", "", dir.resolve("seeder"))) {
        statusBranch(seeder).publish(new StatusReport(Instant.parse("2026-11-30T10:05:00Z"), Duration.ofSeconds(2),
            Optional.of(rewritten), Optional.empty(), Optional.empty(), List.of(member), List.of(), List.of(), List.of()));
      }

      StatusReport report = restartable(git, "pod").iterate().report();

      assertThat(passes).as("a revision that is gone from the history is not applied").isEmpty();
      assertThat(report.clusters()).as("the clusters the status branch showed stay shown").containsExactly(member);
      assertThat(report.applied()).contains(rewritten);
      assertThat(report.rejected()).map(r -> r.revision().sha()).contains(broken);
    }
  }

  @Test
  void aForcePushBackToAnOlderCommitIsFollowedOrRefusedAsAHistoryRewriteWhenOnlyFastForwardsAreAllowed() throws Exception {
    try (ConfigRemote remote = ConfigRemote.create(dir)) {
      String first = remote.commitTree(Path.of("sample-repo"), "sample");
      String second = remote.commit(Map.of("README.md", "second\n"), "docs");
      GitRemote git = new GitRemote(remote.url(), GitCredentials.NONE, Duration.ofSeconds(10));
      GitOpsLoop following = loop(git);
      GitOpsLoop strict = new GitOpsLoop(GitSource.open(git, "main", "", dir.resolve("strict")), new Validator(),
          policies -> PassOutcome.NONE, report -> "published", Clock.systemUTC(), GitOpsLoop.History.FAST_FORWARD_ONLY);
      following.iterate();
      strict.iterate();

      remote.forcePush(first);
      StatusReport followed = following.iterate().report();
      StatusReport refused = strict.iterate().report();

      String moved = "main moved from " + second.substring(0, 7) + " to " + first.substring(0, 7) + ", which does not contain "
          + second.substring(0, 7) + " (history rewritten)";
      assertThat(followed.applied()).map(Revision::sha).as("followed, as Flux and Argo CD do").contains(first);
      assertThat(followed.sourceProblem()).as("the fetch went well").isEmpty();
      assertThat(refused.applied()).map(Revision::sha).as("the applied commit stays").contains(second);
      assertThat(refused.rejected()).hasValueSatisfying(r -> {
        assertThat(r.revision().sha()).isEqualTo(first);
        assertThat(r.errors()).extracting(Diagnostic::toString).containsExactly(".:1:1: error: " + moved
            + ": refused by --require-fast-forward, " + second.substring(0, 7) + " stays applied");
      });

      remote.forcePush(second);
      String third = remote.commit(Map.of("README.md", "third\n"), "docs again");
      assertThat(strict.iterate().report().rejected()).as("a fast-forward from the applied commit is taken again").isEmpty();
      assertThat(strict.appliedRevision()).map(Revision::sha).contains(third);
    }
  }

  @Test
  void aCommitThatTripsTheBudgetsIsRejectedWithAFewErrorsAndTheLastGoodOneStaysApplied() throws Exception {
    try (ConfigRemote remote = ConfigRemote.create(dir)) {
      String good = remote.commitTree(Path.of("sample-repo"), "sample");
      GitOpsLoop loop = loop(new GitRemote(remote.url(), GitCredentials.NONE, Duration.ofSeconds(10)));
      loop.iterate();

      Map<String, String> hostile = new java.util.TreeMap<>();
      for (int i = 1; i <= 6; i++) {
        hostile.put("many-" + i + ".yaml", "---\n1\n".repeat(170_000));
      }
      String bad = remote.commit(hostile, "170,000 documents, six times");
      StatusReport report = loop.iterate().report();

      assertThat(report.applied()).map(Revision::sha).contains(good);
      StatusReport.Rejection rejection = report.rejected().orElseThrow();
      assertThat(rejection.revision().sha()).isEqualTo(bad);
      assertThat(rejection.errorCount()).isEqualTo(6);
      assertThat(rejection.errors()).extracting(Diagnostic::toString).allMatch(e -> e.matches(
          "many-\\d\\.yaml:2001:1: error: more than 1000 YAML documents in this file; the file is refused"));
      assertThat(passes).as("the good commit applied again").hasSize(2);
    }
  }

  @Test
  void anIterationThatThrowsDoesNotStopTheLoop() throws Exception {
    try (ConfigRemote remote = ConfigRemote.create(dir)) {
      remote.commitTree(Path.of("sample-repo"), "sample");
      List<Throwable> failures = new ArrayList<>(List.of(new IllegalStateException("a bug"), new StackOverflowError()));
      GitOpsLoop loop = new GitOpsLoop(GitSource.open(new GitRemote(remote.url(), GitCredentials.NONE, Duration.ofSeconds(10)),
          "main", "", dir.resolve("clone")), new Validator(), policies -> {
            if (!failures.isEmpty()) {
              Throwable next = failures.remove(0);
              if (next instanceof Error error) {
                throw error;
              }
              throw (RuntimeException) next;
            }
            passes.add(policies);
            return PassOutcome.NONE;
          }, report -> {
            published.add(report);
            return "published";
          }, Clock.systemUTC());
      int[] iterations = {0};

      loop.run(() -> iterations[0]++, () -> iterations[0] == 3);

      assertThat(passes).as("the third iteration ran its pass").hasSize(1);
      assertThat(published).hasSize(1);
    }
  }

  @Test
  void theJvmFailingEndsTheLoop() throws Exception {
    try (ConfigRemote remote = ConfigRemote.create(dir)) {
      remote.commitTree(Path.of("sample-repo"), "sample");
      GitOpsLoop loop = new GitOpsLoop(GitSource.open(new GitRemote(remote.url(), GitCredentials.NONE, Duration.ofSeconds(10)),
          "main", "", dir.resolve("clone")), new Validator(), policies -> {
            throw new OutOfMemoryError("Java heap space");
          }, report -> "published", Clock.systemUTC());

      assertThatThrownBy(() -> loop.run(() -> { }, () -> false)).isInstanceOf(OutOfMemoryError.class);
    }
  }

  @Test
  void aPassRunsEveryIterationEvenWithoutANewCommit() throws Exception {
    try (ConfigRemote remote = ConfigRemote.create(dir)) {
      remote.commitTree(Path.of("sample-repo"), "sample");
      GitOpsLoop loop = loop(new GitRemote(remote.url(), GitCredentials.NONE, Duration.ofSeconds(10)));

      loop.iterate();
      loop.iterate();

      assertThat(passes).hasSize(2);
      assertThat(published).hasSize(2);
    }
  }

  @Test
  void survivesTheRemoteGoingAwayAndComingBack() throws Exception {
    try (ConfigRemote remote = ConfigRemote.create(dir);
         HttpGitServer server = new HttpGitServer(remote.bare, "bot", "token")) {
      String good = remote.commitTree(Path.of("sample-repo"), "sample");
      GitCredentials credentials = new GitCredentials(Optional.of("bot"), Optional.of(new GitCredentials.Secret("token")),
          Optional.empty(), Optional.empty());
      GitOpsLoop loop = loop(new GitRemote(server.url(), credentials, Duration.ofSeconds(5)));
      loop.iterate();

      server.stop();
      StatusReport down = loop.iterate().report();
      assertThat(down.sourceProblem()).hasValueSatisfying(p -> assertThat(p).startsWith("fetch " + server.url() + " failed"));
      assertThat(down.applied()).map(Revision::sha).contains(good);
      assertThat(passes).as("the fleet is still reconciled while the remote is down").hasSize(2);

      server.start();
      String next = remote.commit(Map.of("README.md", "moved on\n"), "docs");
      StatusReport back = loop.iterate().report();
      assertThat(back.sourceProblem()).isEmpty();
      assertThat(back.applied()).map(Revision::sha).contains(next);
    }
  }

  @Test
  @Timeout(30) // without the trigger the wait is an hour
  void triggerFileCutsTheWaitShort() throws Exception {
    Path trigger = dir.resolve("trigger");
    java.nio.file.Files.writeString(trigger, "");
    IntervalTrigger waiter = new IntervalTrigger(Duration.ofHours(1), Optional.of(trigger));
    Thread toucher = new Thread(() -> {
      try {
        java.nio.file.Files.setLastModifiedTime(trigger, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5_000));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    toucher.start();

    long start = System.nanoTime();
    waiter.awaitNext();

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMinutes(1));
  }
}
