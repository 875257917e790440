package dev.fleetbackup.apply;

import java.time.Duration;

/** How a readiness wait passes the time between two looks; a test's poller advances a fake clock instead of sleeping. */
@FunctionalInterface
public interface Poller {
  /** Sleeps. */
  Poller SLEEPING = interval -> Thread.sleep(interval.toMillis());

  void pause(Duration interval) throws InterruptedException;
}
