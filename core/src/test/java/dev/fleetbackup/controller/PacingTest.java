package dev.fleetbackup.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fleetbackup.model.ClusterState;
import dev.fleetbackup.model.MemberFailure;
import dev.fleetbackup.report.StatusReport;
import dev.fleetbackup.testkit.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code run}'s wait between iterations: the interval, backing off exponentially on failures in a row, on the injected clock. */
class PacingTest {
  private static final Duration MINUTE = Duration.ofMinutes(1);

  private final ManualClock clock = new ManualClock(Instant.parse("2026-05-01T02:00:00Z"));
  private final List<Duration> waits = new ArrayList<>();

  @TempDir
  Path dir;

  /** Waits as long as the pacing says, on the fake clock, and records how long each wait took in all. */
  private Duration waitFor(Pacing pacing) throws InterruptedException {
    Instant before = clock.instant();
    pacing.awaitNext();
    Duration waited = Duration.between(before, clock.instant());
    waits.add(waited);
    return waited;
  }

  private Pacing pacing(Duration interval) {
    return new Pacing(interval, Optional.of(dir.resolve("trigger")), clock, clock::advance);
  }

  @Test
  void afterAGoodIterationItWaitsTheInterval() throws Exception {
    Pacing pacing = pacing(MINUTE);
    pacing.passed(report(Optional.empty(), cluster("m1", false), cluster("m2", false)));

    assertThat(waitFor(pacing)).isEqualTo(MINUTE);
    assertThat(pacing.failures()).isZero();
  }

  @Test
  void failedIterationsInARowDoubleTheWaitUpToFiveMinutesAndAGoodOneResetsIt() throws Exception {
    Pacing pacing = pacing(MINUTE);
    for (int i = 0; i < 5; i++) {
      pacing.passed(report(Optional.of("fetch file:///nope failed: not found")));
      waitFor(pacing);
    }
    pacing.passed(report(Optional.empty(), cluster("m1", false)));
    waitFor(pacing);

    assertThat(waits).containsExactly(Duration.ofMinutes(2), Duration.ofMinutes(4), Duration.ofMinutes(5), Duration.ofMinutes(5),
        Duration.ofMinutes(5), MINUTE);
  }

  @Test
  void anIterationThatPublishedNoReportFailedButFailingMembersAreNoFailureOfTheIteration() throws Exception {
    Pacing pacing = pacing(Duration.ofSeconds(5));

    assertThat(waitFor(pacing)).as("no report: the iteration threw").isEqualTo(Duration.ofSeconds(10));
    assertThat(waitFor(pacing)).as("again").isEqualTo(Duration.ofSeconds(20));
    pacing.passed(report(Optional.empty(), cluster("m1", true), cluster("m2", true)));
    assertThat(waitFor(pacing)).as("every member failed: each is tried again next pass, on time").isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void anIntervalLongerThanTheCapIsNeverShortened() throws Exception {
    Pacing pacing = pacing(Duration.ofMinutes(10));

    assertThat(waitFor(pacing)).isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void touchingTheTriggerFileStartsAPassAtOnceEvenWhileBackingOff() throws Exception {
    Path trigger = Files.writeString(dir.resolve("trigger"), "");
    Files.setLastModifiedTime(trigger, FileTime.from(Instant.parse("2026-01-01T00:00:00Z")));
    Pacing pacing = new Pacing(MINUTE, Optional.of(trigger), Clock.systemUTC(), interval -> Thread.sleep(interval.toMillis()));
    pacing.passed(report(Optional.of("fetch failed")));
    CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> {
      try {
        pacing.awaitNext();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });

    Files.setLastModifiedTime(trigger, FileTime.from(Instant.parse("2026-01-01T00:01:00Z")));

    await().atMost(Duration.ofSeconds(10)).until(waiting::isDone);
    assertThat(pacing.failures()).isEqualTo(1);
  }

  private static ClusterState cluster(String name, boolean failed) {
    return new ClusterState(name, "quickstart", !failed,
        failed ? Optional.of(new MemberFailure(MemberFailure.Reason.UNREACHABLE, "cannot reach " + name)) : Optional.empty(),
        true, Optional.empty(), "Available", ClusterState.ApplySummary.NONE);
  }

  private static StatusReport report(Optional<String> sourceProblem, ClusterState... clusters) {
    return new StatusReport(Instant.EPOCH, Duration.ZERO, Optional.empty(), Optional.empty(), sourceProblem, List.of(clusters),
        List.of(), List.of(), List.of());
  }

}
