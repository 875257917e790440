package dev.fleetbackup.controller;

import dev.fleetbackup.apply.Poller;
import dev.fleetbackup.pipeline.GitOpsLoop;
import dev.fleetbackup.pipeline.IntervalTrigger;
import dev.fleetbackup.report.StatusReport;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The wait between two iterations of {@code run}: the interval after a good one, and twice as long
 * after each further failed one in a row, up to {@link #MAX_BACKOFF} (never shorter than the
 * interval), back to the interval after the next good one. Touching the trigger file starts a
 * pass at once, backing off or not. Times are read from the injected clock.
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
  private static final Duration POLL = Duration.ofMillis(250);

  private final Duration interval;
  private final Optional<Path> triggerFile;
  private final Clock clock;
  private final Poller poller;
  private volatile Optional<StatusReport> lastReport = Optional.empty();
  private int failures;
  private Optional<FileTime> lastTouched;

  Pacing(Duration interval, Optional<Path> triggerFile, Clock clock, Poller poller) {
    this.interval = interval;
    this.triggerFile = triggerFile;
    this.clock = clock;
    this.poller = poller;
    this.lastTouched = IntervalTrigger.touched(triggerFile);
  }

  /** The report of the iteration that just ended (called before it is published). */
  void passed(StatusReport report) {
    lastReport = Optional.of(report);
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
    Duration wait = delay(failures);
    if (failures > 0) {
      logger.warn("{} failed iteration{} in a row; the next in {}s", failures, failures == 1 ? "" : "s", wait.toSeconds());
    }
    Instant deadline = clock.instant().plus(wait);
    for (Instant now = clock.instant(); now.isBefore(deadline); now = clock.instant()) {
      Optional<FileTime> touched = IntervalTrigger.touched(triggerFile);
      if (touched.isPresent() && !touched.equals(lastTouched)) {
        lastTouched = touched;
        return;
      }
      Duration left = Duration.between(now, deadline);
      poller.pause(left.compareTo(POLL) < 0 ? left : POLL);
    }
  }

  /** The interval, doubled for each failure in a row, up to the larger of the interval and {@link #MAX_BACKOFF}. */
  Duration delay(int failures) {
    Duration cap = interval.compareTo(MAX_BACKOFF) > 0 ? interval : MAX_BACKOFF;
    Duration delay = interval;
    for (int i = 0; i < failures && delay.compareTo(cap) < 0; i++) {
      delay = delay.multipliedBy(2);
    }
    return delay.compareTo(cap) > 0 ? cap : delay;
  }

  static boolean failed(StatusReport report) {
    return report.sourceProblem().isPresent();
  }
}
