package dev.fleetbackup.pipeline;

import dev.fleetbackup.report.StatusReport;
import java.util.Optional;

/** Where the report of each pass goes: the status branch, a terminal, a test. */
@FunctionalInterface
public interface StatusPublisher {
  /** @return one line saying what was published, for the log */
  String publish(StatusReport report) throws Exception;

  /**
   * The report published last, by this process or an earlier one: where a restarted reconciler
   * finds the revision that was applied. Empty when there is none, or it cannot be read.
   */
  default Optional<StatusReport> lastPublished() throws Exception {
    return Optional.empty();
  }
}
