package dev.fleetbackup.notify;

import dev.fleetbackup.model.ClusterRun;
import dev.fleetbackup.model.Diagnostic;
import dev.fleetbackup.model.VeleroRun;
import dev.fleetbackup.model.WorkflowStatus;
import dev.fleetbackup.report.StatusReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What changed between two reports that a person should hear of: each commit rejected, each
 * Backup, Restore or Migrate that started failing, and each of those that is over. Only changes:
 * a run failing for ten passes is one event, when it starts; a second rejected commit after a
 * first is news, the same one again is not.
 */
final class Transitions {
  /** Phases of a Backup, Restore or Migrate that mean it failed (a schedule's Failed: it broke its promise). */
  private static final Set<String> FAILED_PHASES = Set.of("Failed", "PartiallyFailed", "FailedValidation");

  private Transitions() {}

  static List<Event> between(Optional<StatusReport> before, StatusReport after) {
    List<Event> events = new ArrayList<>();
    Optional<StatusReport.Rejection> wasRejected = before.flatMap(StatusReport::rejected);
    after.rejected().ifPresentOrElse(rejection -> {
      if (!wasRejected.map(r -> r.revision().sha()).equals(Optional.of(rejection.revision().sha()))) {
        events.add(rejected(rejection, after));
      }
    }, () -> wasRejected.ifPresent(old -> after.applied().ifPresent(applied -> events.add(new Event(Event.Type.RECOVERED,
        "commit " + applied, "commit " + applied + " is valid and applied; " + old.revision() + " was rejected before it",
        List.of(), Optional.of(applied.sha()))))));
    Map<String, WorkflowStatus> previous = failing(before.map(Transitions::workflows).orElse(Stream.empty()));
    Map<String, WorkflowStatus> now = failing(workflows(after));
    now.forEach((id, workflow) -> {
      if (!previous.containsKey(id)) {
        events.add(failed(workflow));
      }
    });
    workflows(after).filter(w -> previous.containsKey(w.id().toString()) && !now.containsKey(w.id().toString()))
        .forEach(w -> events.add(new Event(Event.Type.RECOVERED, subject(w), subject(w) + " recovered: " + w.phase(),
            List.of(), Optional.empty())));
    return events;
  }

  private static Event rejected(StatusReport.Rejection rejection, StatusReport after) {
    String keeping = after.applied().map(r -> "; " + r + " stays applied").orElse("; nothing is applied");
    String errors = rejection.errorCount() + (rejection.errorCount() == 1 ? " error" : " errors");
    return new Event(Event.Type.COMMIT_REJECTED, "commit " + rejection.revision(),
        "commit " + rejection.revision() + " was rejected: " + errors + keeping,
        rejection.errors().stream().limit(Event.MAX_DETAILS).map(Diagnostic::toString).toList(),
        Optional.of(rejection.revision().sha()));
  }

  private static Event failed(WorkflowStatus workflow) {
    List<String> details = new ArrayList<>(workflow.problems());
    if (details.isEmpty()) {
      workflow.clusters().stream().flatMap(run -> failedRun(run).stream()).forEach(details::add);
    }
    return new Event(Event.Type.RUN_FAILED, subject(workflow), subject(workflow) + " failed: " + failure(workflow), details,
        Optional.empty());
  }

  /** {@code Failed}, or for a schedule that goes on: {@code the last run failed in kurator-member1}. */
  private static String failure(WorkflowStatus workflow) {
    if (FAILED_PHASES.contains(workflow.phase())) {
      return workflow.phase();
    }
    return "the last run failed in " + String.join(", ",
        workflow.clusters().stream().filter(Transitions::lastRunFailed).map(ClusterRun::cluster).toList());
  }

  private static Optional<String> failedRun(ClusterRun run) {
    return run.current().filter(v -> v.phase().isFailure()).map(v -> run.cluster() + ": " + v.name() + " " + v.phaseText()
        + v.failureReason().map(reason -> ": " + reason).orElse(""));
  }

  private static boolean lastRunFailed(ClusterRun run) {
    return run.current().map(VeleroRun::phase).filter(p -> p.isFailure()).isPresent();
  }

  private static Map<String, WorkflowStatus> failing(Stream<WorkflowStatus> workflows) {
    Map<String, WorkflowStatus> out = new LinkedHashMap<>();
    workflows.filter(w -> FAILED_PHASES.contains(w.phase()) || w.clusters().stream().anyMatch(Transitions::lastRunFailed))
        .forEach(w -> out.putIfAbsent(w.id().toString(), w));
    return out;
  }

  private static Stream<WorkflowStatus> workflows(StatusReport report) {
    return Stream.of(report.backups(), report.restores(), report.migrations()).flatMap(List::stream);
  }

  private static String subject(WorkflowStatus workflow) {
    return workflow.id().kind().kind() + " " + workflow.id().qualifiedName();
  }
}
