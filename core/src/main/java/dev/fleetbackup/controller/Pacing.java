package dev.fleetbackup.controller;

import dev.fleetbackup.pipeline.GitOpsLoop;
import dev.fleetbackup.pipeline.IntervalTrigger;
import dev.fleetbackup.report.StatusReport;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When the next iteration of {@code run} starts. After a good one: an interval after it started,
 * give or take {@link #JITTER} (so that reconcilers started together, and their requests to the
 * Git remote and the members, drift apart), at once when the pass took longer than that (logged
 * and counted as an overrun). After a failed one: twice as long as after the one before, from its
 * end, up to {@link #MAX_BACKOFF} (never shorter than the interval), back to the interval after
 * the next good one. Touching the trigger file or {@link #request}ing a pass (a webhook) starts one
 * at once, backing off or not; requests made while a pass runs are one request, never a queue.
 * Times are read from the injected clock.
 *
 * <p>An iteration failed when it published no report (it threw) or when the config repo could not
 * be fetched or read. Members that fail are not: each is reported with its reason and tried again
 * next pass, and backing off would also delay taking (or rejecting) the next commit, which the Git
 * side could serve. A rejected commit is not a failure either: the last good one stays applied on
 * schedule.
 */
final class Pacing implements GitOpsLoop.Trigger {
  private static final Logger logger = LoggerFactory.getLogger(Pacing.class);
  static final Duration MAX_BACKOFF = Duration.ofMinutes(5);
  /** The share of the interval the wait after a good iteration varies by, either way. */
  static final double JITTER = 0.1;
  private static final Duration POLL = Duration.ofMillis(250);

  /** How the wait passes the time between two looks; a test's advances a fake clock instead. */
  @FunctionalInterface
  interface Pause {
    /** Called holding {@code bell}'s monitor, which {@link #request} notifies: waits on it. */
    Pause WAITING = (bell, atMost) -> bell.wait(Math.max(1, atMost.toMillis()));

    void pause(Object bell, Duration atMost) throws InterruptedException;
  }

  private final Controller.Every schedule;
  private final Clock clock;
  private final Pause pause;
  private final DoubleSupplier random;
  private final Runnable overran;
  private final Object bell = new Object();
  private boolean requested; // guarded by bell
  private volatile Optional<StatusReport> lastReport = Optional.empty();
  private int failures;
  private Optional<FileTime> lastTouched;

  /**
   * @param random numbers in [0, 1) that place each wait within the jitter
   * @param overran told of each pass that took longer than the interval
   */
  Pacing(Controller.Every schedule, Clock clock, Pause pause, DoubleSupplier random, Runnable overran) {
    this.schedule = schedule;
    this.clock = clock;
    this.pause = pause;
    this.random = random;
    this.overran = overran;
    this.lastTouched = IntervalTrigger.touched(schedule.triggerFile());
  }

  /** The report of the iteration that just ended (called before it is published). */
  void passed(StatusReport report) {
    lastReport = Optional.of(report);
    Duration interval = schedule.interval();
    if (!failed(report) && report.took().compareTo(interval) > 0) {
      logger.warn("pass took {} s, longer than the {} s interval; the next starts now", seconds(report.took()), seconds(interval));
      overran.run();
    }
  }

  /** A pass is wanted now: the wait ends at once, or the next one does not begin. */
  void request() {
    synchronized (bell) {
      requested = true;
      bell.notifyAll();
    }
  }

  /** How many iterations in a row failed, as of the last wait. */
  int failures() {
    return failures;
  }

  @Override
  public void awaitNext() throws InterruptedException {
    Optional<StatusReport> report = lastReport;
    lastReport = Optional.empty();
    failures = report.isPresent() && !failed(report.get()) ? 0 : failures + 1;
    Instant deadline;
    if (failures > 0) {
      Duration wait = delay(failures);
      logger.warn("{} failed iteration{} in a row; the next in {}s", failures, failures == 1 ? "" : "s", wait.toSeconds());
      deadline = clock.instant().plus(wait);
    } else {
      StatusReport last = report.get();
      deadline = last.finishedAt().minus(last.took()).plus(jittered(schedule.interval()));
    }
    synchronized (bell) {
      try {
        for (Instant now = clock.instant(); now.isBefore(deadline) && !requested; now = clock.instant()) {
          Optional<FileTime> touched = IntervalTrigger.touched(schedule.triggerFile());
          if (touched.isPresent() && !touched.equals(lastTouched)) {
            lastTouched = touched;
            return;
          }
          Duration left = Duration.between(now, deadline);
          pause.pause(bell, left.compareTo(POLL) < 0 ? left : POLL);
        }
      } finally {
        requested = false; // the pass about to start answers every request made until now
      }
    }
  }

  /** The interval, doubled for each failure in a row, up to the larger of the interval and {@link #MAX_BACKOFF}. */
  Duration delay(int failures) {
    Duration interval = schedule.interval();
    Duration cap = interval.compareTo(MAX_BACKOFF) > 0 ? interval : MAX_BACKOFF;
    Duration delay = interval;
    for (int i = 0; i < failures && delay.compareTo(cap) < 0; i++) {
      delay = delay.multipliedBy(2);
    }
    return delay.compareTo(cap) > 0 ? cap : delay;
  }

  /** {@code interval} give or take {@link #JITTER} of it, as the random number says. */
  Duration jittered(Duration interval) {
    double factor = 1 + JITTER * (2 * random.getAsDouble() - 1);
    return Duration.ofMillis(Math.round(interval.toMillis() * factor));
  }

  static boolean failed(StatusReport report) {
    return report.sourceProblem().isPresent();
  }

  /** "74" or "4.5": seconds as a person reads them. */
  private static String seconds(Duration d) {
    double s = d.toMillis() / 1000.0;
    return s >= 10 || s == Math.rint(s) ? String.valueOf(Math.round(s)) : String.format(Locale.ROOT, "%.1f", s);
  }
}
