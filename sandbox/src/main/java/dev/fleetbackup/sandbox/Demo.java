package dev.fleetbackup.sandbox;

import dev.fleetbackup.model.ClusterState;
import dev.fleetbackup.model.WorkflowStatus;
import dev.fleetbackup.report.StatusReport;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** The scripted demo's verdict on a report: done, still going, or failed (and why). */
final class Demo {
  private Demo() {}

  sealed interface Verdict permits Done, Going, Failed {}

  record Done() implements Verdict {}

  record Going(String waitingFor) implements Verdict {}

  record Failed(String why) implements Verdict {}

  /**
   * Done when Velero is ready everywhere, every one-off backup, restore and migration Completed, and
   * the application is in every migration target ({@code appInTargets}).
   */
  static Verdict judge(StatusReport report, boolean appInTargets) {
    Optional<WorkflowStatus> failed = workflows(report)
        .filter(w -> w.phase().equals("Failed") || w.phase().equals("FailedValidation") || w.phase().equals("PartiallyFailed"))
        .findFirst();
    if (failed.isPresent()) {
      WorkflowStatus w = failed.get();
      return new Failed(w.id() + " " + w.phase() + (w.problems().isEmpty() ? "" : ": " + String.join("; ", w.problems())));
    }
    if (report.applied().isEmpty()) {
      return new Going("the first valid commit");
    }
    List<String> notReady = report.clusters().stream()
        .filter(c -> !c.veleroReady() || !c.backupLocationPhase().equals("Available"))
        .map(ClusterState::cluster).toList();
    if (!notReady.isEmpty()) {
      return new Going("Velero and its backup location on " + String.join(", ", notReady));
    }
    Optional<WorkflowStatus> unfinished = workflows(report)
        .filter(w -> w.schedule().isEmpty() && !w.phase().equals("Completed"))
        .findFirst();
    if (unfinished.isPresent()) {
      return new Going(unfinished.get().id() + " (" + unfinished.get().phase() + ")");
    }
    return appInTargets ? new Done() : new Going("the application's objects in the migration targets");
  }

  private static Stream<WorkflowStatus> workflows(StatusReport report) {
    return Stream.of(report.backups(), report.restores(), report.migrations()).flatMap(List::stream);
  }
}
