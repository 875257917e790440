package dev.fleetbackup.report;

import static dev.fleetbackup.report.Text.SEP;

import dev.fleetbackup.model.ClusterRun;
import dev.fleetbackup.model.Condition;
import dev.fleetbackup.model.VeleroPhase;
import dev.fleetbackup.model.VeleroRun;
import dev.fleetbackup.model.WorkflowStatus;
import java.time.Instant;
import java.util.Optional;

/** How a run, a cluster's part in a workflow, or a workflow reads in a table cell. */
final class Runs {
  static final String ROLE_RESTORE = "restore";
  static final String ROLE_SOURCE = "source";
  static final String ROLE_TARGET = "target";

  /** Backups count items backed up, restores items restored. */
  enum Noun {
    BACKUP("item", "items"),
    RESTORE("restored", "restored");

    final String singular;
    final String plural;

    Noun(String singular, String plural) {
      this.singular = singular;
      this.plural = plural;
    }
  }

  private Runs() {}

  /**
   * One cluster's part in a workflow: {@code ✓ Nov 25 02:00 · 1,204 items}, {@code ⚠ PartiallyFailed
   * Nov 23 02:00 · 2 errors · last ✓ Nov 22 02:00}, {@code ⏳ InProgress 41%}, {@code ⏳ waiting}.
   *
   * @param waitListed the wait is listed under Needs attention, so the cell need not repeat it
   */
  static String cell(ClusterRun run, Noun noun, boolean waitListed, Symbols symbols) {
    if (run.waitingFor().isPresent()) {
      String waiting = symbols.waiting() + " " + (waitListed ? "waiting" : "waiting for " + run.waitingFor().get());
      return waiting + lastCompleted(run, run.current(), symbols);
    }
    if (run.current().isPresent()) {
      VeleroRun current = run.current().get();
      return state(current, noun, symbols)
          + (current.phase() == VeleroPhase.COMPLETED ? "" : lastCompleted(run, run.current(), symbols));
    }
    if (run.lastCompleted().isPresent()) {
      return state(run.lastCompleted().get(), noun, symbols);
    }
    return "no run yet";
  }

  private static String lastCompleted(ClusterRun run, Optional<VeleroRun> current, Symbols symbols) {
    return run.lastCompleted()
        .filter(last -> !current.equals(Optional.of(last)))
        .flatMap(Runs::end)
        .map(end -> SEP + "last " + symbols.ok() + " " + Text.when(end))
        .orElse("");
  }

  /** One Velero run. */
  static String state(VeleroRun run, Noun noun, Symbols symbols) {
    String at = end(run).map(t -> " " + Text.when(t)).orElse("");
    VeleroPhase phase = run.phase();
    String mark = symbols.of(phase);
    return switch (phase) {
      case COMPLETED -> mark + at + SEP + Text.count(run.itemsDone(), noun.singular, noun.plural) + warnings(run);
      case PARTIALLY_FAILED ->
          mark + " " + phase.text() + at + SEP + Text.count(run.errors(), "error", "errors") + warnings(run);
      case FAILED, FAILED_VALIDATION -> mark + " " + phase.text() + at;
      case UNKNOWN -> mark + " " + run.phaseText();
      default -> mark + " " + phase.text() + progress(run).map(p -> " " + p).orElse("");
    };
  }

  private static String warnings(VeleroRun run) {
    return run.warnings() > 0 ? SEP + Text.count(run.warnings(), "warning", "warnings") : "";
  }

  /** {@code 41%}, when Velero has counted the items. */
  static Optional<String> progress(VeleroRun run) {
    if (run.totalItems() <= 0) {
      return Optional.empty();
    }
    long percent = Math.min(100, (long) run.itemsDone() * 100 / run.totalItems());
    return Optional.of(percent + "%");
  }

  /** When the run finished, or else when it started. */
  static Optional<Instant> end(VeleroRun run) {
    return run.completed().or(run::started);
  }

  /**
   * Why a failed run failed, in Velero's words: {@code PartiallyFailed: 2 errors, 1 warning},
   * {@code Failed: <failureReason>}, {@code FailedValidation: <validation errors>}.
   */
  static String problem(VeleroRun run) {
    String why;
    if (run.failureReason().isPresent()) {
      why = run.failureReason().get();
    } else if (!run.validationErrors().isEmpty()) {
      why = String.join("; ", run.validationErrors());
    } else {
      why = run.errors() > 0 ? Text.count(run.errors(), "error", "errors") : "";
      if (run.warnings() > 0) {
        why += (why.isEmpty() ? "" : ", ") + Text.count(run.warnings(), "warning", "warnings");
      }
    }
    String head = "run " + run.name() + " " + run.phaseText();
    return why.isEmpty() ? head : head + ": " + why;
  }

  static boolean stalled(WorkflowStatus workflow) {
    return condition(workflow, Condition.STALLED).filter(c -> c.status() == Condition.Status.True).isPresent();
  }

  static boolean failed(WorkflowStatus workflow) {
    return "Failed".equals(workflow.phase()) || "FailedValidation".equals(workflow.phase());
  }

  /**
   * A wait worth a person's attention: a restore waiting (Kurator would stall silently), or any
   * wait of a workflow that is stalled or failed. A migration target waiting for Velero's backup
   * sync is ordinary progress.
   */
  static boolean waitNeedsAttention(WorkflowStatus workflow, ClusterRun run) {
    return run.waitingFor().isPresent()
        && (ROLE_RESTORE.equals(run.role()) || stalled(workflow) || failed(workflow));
  }

  static Optional<Condition> condition(WorkflowStatus workflow, String type) {
    return workflow.conditions().stream().filter(c -> type.equals(c.type())).findFirst();
  }

  /** Since when a workflow is not well: its Ready=False or Stalled=True transition. */
  static Optional<Instant> troubleSince(WorkflowStatus workflow) {
    return condition(workflow, Condition.READY)
        .filter(c -> c.status() == Condition.Status.False)
        .or(() -> condition(workflow, Condition.STALLED).filter(c -> c.status() == Condition.Status.True))
        .map(Condition::lastTransitionTime);
  }
}
