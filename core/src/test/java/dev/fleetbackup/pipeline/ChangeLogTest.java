package dev.fleetbackup.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetbackup.apply.ApplyResult;
import dev.fleetbackup.cluster.RequestCount;
import dev.fleetbackup.diff.Action;
import dev.fleetbackup.diff.Change;
import dev.fleetbackup.model.MemberFailure;
import dev.fleetbackup.plan.ManagedKind;
import dev.fleetbackup.plan.ObjectRef;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What {@code run} logs of each member's change set. */
class ChangeLogTest {
  private static Change change(ManagedKind kind, String name, Action action) {
    return new Change(new ObjectRef(kind, "velero", name), action, "", "", Optional.empty());
  }

  private static MemberOutcome applied(List<Change> changes) {
    return new MemberOutcome.Applied("m1", null, new ApplyResult.Applied("m1", changes, List.of(), true), RequestCount.NONE,
        Duration.ZERO);
  }

  @Test
  void namesWhatWasCreatedConfiguredAndDeletedWithTheCounts() {
    MemberOutcome outcome = applied(List.of(change(ManagedKind.BACKUP, "a", Action.CREATED),
        change(ManagedKind.SCHEDULE, "b", Action.CONFIGURED), change(ManagedKind.BACKUP, "c", Action.CREATED),
        change(ManagedKind.RESTORE, "d", Action.DELETED), change(ManagedKind.SCHEDULE, "e", Action.UNCHANGED),
        change(ManagedKind.BACKUP, "f", Action.SKIPPED)));

    assertThat(ChangeLog.line(outcome)).contains("created Backup/velero/a, Backup/velero/c; configured Schedule/velero/b; "
        + "deleted Restore/velero/d; 2 created, 1 configured, 1 deleted");
  }

  @Test
  void saysNothingWhenNothingWasWrittenOrNothingApplied() {
    assertThat(ChangeLog.line(applied(List.of(change(ManagedKind.SCHEDULE, "e", Action.UNCHANGED))))).isEmpty();
    assertThat(ChangeLog.line(new MemberOutcome.Failed("m1", MemberFailure.Reason.UNREACHABLE, "cannot reach"))).isEmpty();
  }

  @Test
  void aHostileNameStaysOnTheLine() {
    String line = ChangeLog.line(applied(List.of(change(ManagedKind.BACKUP, "a\nforged: line", Action.CREATED)))).orElseThrow();

    assertThat(line).doesNotContain("\n").contains("a\\nforged: line");
  }
}
