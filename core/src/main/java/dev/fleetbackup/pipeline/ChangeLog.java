package dev.fleetbackup.pipeline;

import dev.fleetbackup.diff.Action;
import dev.fleetbackup.diff.Change;
import dev.fleetbackup.model.ClusterState;
import dev.fleetbackup.model.SafeText;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** A member's change set in one log line, as Flux logs "server-side apply completed" with its changes. */
final class ChangeLog {
  private static final Set<Action> WRITES = EnumSet.of(Action.CREATED, Action.CONFIGURED, Action.DELETED);

  /** The objects a line names are cut here (with {@code …}): the counts after them stay whole. */
  static final int MAX_OBJECTS_TEXT = 4_000;

  private ChangeLog() {}

  /**
   * {@code created Backup/velero/a; configured Schedule/velero/b; 1 created, 1 configured, 0 deleted},
   * for a member where the pass wrote something; empty otherwise.
   */
  static Optional<String> line(MemberOutcome outcome) {
    if (!(outcome instanceof MemberOutcome.Applied applied)) {
      return Optional.empty();
    }
    List<Change> written = applied.result().changes().stream().filter(c -> WRITES.contains(c.action())).toList();
    if (written.isEmpty()) {
      return Optional.empty();
    }
    String objects = WRITES.stream().filter(action -> written.stream().anyMatch(c -> c.action() == action))
        .map(action -> word(action) + " " + written.stream().filter(c -> c.action() == action).map(c -> c.ref().toString())
            .collect(Collectors.joining(", ")))
        .collect(Collectors.joining("; "));
    ClusterState.ApplySummary counts = applied.written();
    return Optional.of(SafeText.truncate(SafeText.oneLine(objects), MAX_OBJECTS_TEXT) + "; " + counts.created() + " created, " + counts.configured() + " configured, "
        + counts.deleted() + " deleted");
  }

  private static String word(Action action) {
    return action == Action.CONFIGURED ? "configured" : action.word();
  }
}
