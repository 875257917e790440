package dev.fleetbackup.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fleetbackup.LogLines;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run}'s wait between iterations: an interval from the start of a good one (with jitter,
 * none when the pass overran it), backing off exponentially on failures in a row, on the injected
 * clock; a request or the trigger file ends it at once.
 */
class PacingTest {
  private static final Duration MINUTE = Duration.ofMinutes(1);

  private final ManualClock clock = new ManualClock(Instant.parse("2026-05-01T02:00:00Z"));
  private final List<Duration> waits = new ArrayList<>();
  private final AtomicInteger overruns = new AtomicInteger();
  /** Where each wait falls within the jitter: 0.5, none. */
  private double random = 0.5;

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
    return new Pacing(new Controller.Every(interval, Optional.of(dir.resolve("trigger"))), clock, (bell, d) -> clock.advance(d),
        () -> random, overruns::incrementAndGet);
  }

  @Test
  void afterAGoodIterationItWaitsTheInterval() throws Exception {
    Pacing pacing = pacing(MINUTE);
    pacing.passed(report(Optional.empty(), cluster("m1", false), cluster("m2", false)));

    assertThat(waitFor(pacing)).isEqualTo(MINUTE);
    assertThat(pacing.failures()).isZero();
  }

  @Test
  void theIntervalRunsFromTheStartOfThePassSoPassesStartOnePerInterval() throws Exception {
    Pacing pacing = pacing(MINUTE);
    pacing.passed(pass(Duration.ofSeconds(20)));

    assertThat(waitFor(pacing)).isEqualTo(Duration.ofSeconds(40));
    assertThat(overruns).hasValue(0);
  }

  @Test
  void theIntervalVariesByTenPercentEitherWayAsTheRandomNumberSays() throws Exception {
    Pacing pacing = pacing(MINUTE);
    for (double r : new double[] {0, 0.25, 0.999}) {
      random = r;
      pacing.passed(report(Optional.empty()));
      waitFor(pacing);
    }

    assertThat(waits).containsExactly(Duration.ofSeconds(54), Duration.ofSeconds(57), Duration.ofMillis(65_988));
  }

  @Test
  void aPassLongerThanTheIntervalSaysSoCountsItAndTheNextStartsAtOnce() throws Exception {
    Pacing pacing = pacing(MINUTE);
    try (LogLines log = LogLines.of(Pacing.class)) {
      pacing.passed(pass(Duration.ofSeconds(74)));

      assertThat(log.lines()).containsExactly("WARN pass took 74 s, longer than the 60 s interval; the next starts now");
    }
    assertThat(overruns).hasValue(1);
    assertThat(waitFor(pacing)).isZero();
    pacing.passed(pass(Duration.ofSeconds(59)));
    assertThat(overruns).as("within the interval").hasValue(1);
  }

  @Test
  void requestsEndTheWaitAtOnceAndThoseMadeDuringAPassAreOneNotAQueue() throws Exception {
    Pacing pacing = pacing(Duration.ofHours(1));
    pacing.passed(report(Optional.empty()));
    for (int i = 0; i < 5; i++) {
      pacing.request(); // a burst of webhooks while the pass runs
    }

    assertThat(waitFor(pacing)).as("the next pass at once").isZero();
    pacing.passed(report(Optional.empty()));
    assertThat(waitFor(pacing)).as("the burst was one request").isEqualTo(Duration.ofHours(1));
  }

  @Test
  void aRequestWakesAWaitUnderWayWithinMilliseconds() throws Exception {
    Pacing pacing = new Pacing(new Controller.Every(Duration.ofHours(1), Optional.empty()), Clock.systemUTC(),
        Pacing.Pause.WAITING, () -> 0.5, () -> { });
    pacing.passed(new StatusReport(Instant.now(), Duration.ZERO, Optional.empty(), Optional.empty(), Optional.empty(), List.of(),
        List.of(), List.of(), List.of()));
    CompletableFuture<Long> waited = new CompletableFuture<>();
    Thread waiting = new Thread(() -> {
      try {
        pacing.awaitNext();
        waited.complete(System.nanoTime());
      } catch (InterruptedException e) {
        waited.completeExceptionally(e);
      }
    }, "pacing-test-wait");
    waiting.start();
    await().atMost(Duration.ofSeconds(5)).until(() -> waiting.getState() == Thread.State.TIMED_WAITING);

    long requested = System.nanoTime();
    pacing.request();

    long woke = waited.get(5, TimeUnit.SECONDS);
    System.out.printf("MEASURE request to the end of the wait: %.2f ms%n", (woke - requested) / 1e6);
    assertThat(Duration.ofNanos(woke - requested)).as("woken, not polled").isLessThan(Duration.ofMillis(100));
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
    Pacing pacing = new Pacing(new Controller.Every(MINUTE, Optional.of(trigger)), Clock.systemUTC(), Pacing.Pause.WAITING,
        () -> 0.5, () -> { });
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

  /** The report of an iteration that finishes now, having taken no time. */
  private StatusReport report(Optional<String> sourceProblem, ClusterState... clusters) {
    return new StatusReport(clock.instant(), Duration.ZERO, Optional.empty(), Optional.empty(), sourceProblem, List.of(clusters),
        List.of(), List.of(), List.of());
  }

  /** A good pass that took {@code took} and finishes now. */
  private StatusReport pass(Duration took) {
    clock.advance(took);
    return new StatusReport(clock.instant(), took, Optional.empty(), Optional.empty(), Optional.empty(), List.of(), List.of(),
        List.of(), List.of());
  }

}
