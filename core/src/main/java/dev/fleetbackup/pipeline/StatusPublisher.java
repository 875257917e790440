package dev.fleetbackup.pipeline;

import dev.fleetbackup.report.StatusReport;

/** Where the report of each pass goes: the status branch, a terminal, a test. */
@FunctionalInterface
public interface StatusPublisher {
  /** @return one line saying what was published, for the log */
  String publish(StatusReport report) throws Exception;
}
