package dev.fleetbackup.apply;

import dev.fleetbackup.diff.Change;
import dev.fleetbackup.diff.ObjectFailure;
import dev.fleetbackup.model.MemberFailure;
import java.util.List;
import java.util.Optional;

/** What one apply pass did to one member. */
public sealed interface ApplyResult permits ApplyResult.Applied, ApplyResult.Refused {

  String cluster();

  /**
   * The pass ran. {@code changes} are the entries as done (an entry whose write failed is in
   * {@code failures} instead); writing stopped at the first stage with a failure.
   *
   * @param stoppedAnswering the member gave no answer (in time) to a request: nothing was sent to it
   *     after that one, which is among the {@code failures}; the member's failure is this, not its objects'
   */
  record Applied(String cluster, List<Change> changes, List<ObjectFailure> failures, boolean inventoryWritten,
      Optional<MemberFailure> stoppedAnswering) implements ApplyResult {
    public Applied {
      changes = List.copyOf(changes);
      failures = List.copyOf(failures);
      stoppedAnswering = stoppedAnswering == null ? Optional.empty() : stoppedAnswering;
    }

    /** A member that answered every request. */
    public Applied(String cluster, List<Change> changes, List<ObjectFailure> failures, boolean inventoryWritten) {
      this(cluster, changes, failures, inventoryWritten, Optional.empty());
    }

    public boolean succeeded() {
      return failures.isEmpty() && stoppedAnswering.isEmpty();
    }
  }

  /** Nothing was written: the dry run failed for some object, or the pass would delete too much. */
  record Refused(String cluster, Reason reason, String message, List<ObjectFailure> failures) implements ApplyResult {
    public Refused {
      failures = List.copyOf(failures);
    }
  }

  enum Reason {
    DRY_RUN_FAILED,
    MASS_DELETE
  }
}
