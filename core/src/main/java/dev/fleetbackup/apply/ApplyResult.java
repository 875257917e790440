package dev.fleetbackup.apply;

import dev.fleetbackup.diff.Change;
import dev.fleetbackup.diff.ObjectFailure;
import java.util.List;

/** What one apply pass did to one member. */
public sealed interface ApplyResult permits ApplyResult.Applied, ApplyResult.Refused {

  String cluster();

  /**
   * The pass ran. {@code changes} are the entries as done (an entry whose write failed is in
   * {@code failures} instead); writing stopped at the first stage with a failure.
   */
  record Applied(String cluster, List<Change> changes, List<ObjectFailure> failures, boolean inventoryWritten)
      implements ApplyResult {
    public Applied {
      changes = List.copyOf(changes);
      failures = List.copyOf(failures);
    }

    public boolean succeeded() {
      return failures.isEmpty();
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
