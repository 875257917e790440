package dev.fleetbackup.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetbackup.model.Condition;
import dev.fleetbackup.model.Kind;
import dev.fleetbackup.model.ResourceId;
import dev.fleetbackup.model.WorkflowStatus;
import dev.fleetbackup.report.StatusReport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StatusMergeTest {
  private static final ResourceId NIGHTLY = new ResourceId(Kind.BACKUP, "default", "nightly");
  private static final Instant SEEN_BY_A = Instant.parse("2026-12-02T06:00:00Z");
  private static final Instant SEEN_BY_B = Instant.parse("2026-12-02T06:00:07Z");

  @Test
  void aConditionTheBranchShowsKeepsItsTimeSoReplicasDoNotTakeTurnsRewritingIt() {
    StatusReport tip = report(new Condition(Condition.READY, Condition.Status.True, "Completed", "done", SEEN_BY_A));
    StatusReport mine = report(new Condition(Condition.READY, Condition.Status.True, "Completed", "done", SEEN_BY_B));

    StatusReport merged = StatusMerge.merge(mine, new StatusPart(List.of(), Set.of()), Optional.of(tip));

    assertThat(merged.backups().get(0).conditions().get(0).lastTransitionTime()).isEqualTo(SEEN_BY_A);
  }

  @Test
  void aConditionThatChangedStatusTakesTheNewTime() {
    StatusReport tip = report(new Condition(Condition.READY, Condition.Status.False, "InProgress", "running", SEEN_BY_A));
    StatusReport mine = report(new Condition(Condition.READY, Condition.Status.True, "Completed", "done", SEEN_BY_B));

    StatusReport merged = StatusMerge.merge(mine, new StatusPart(List.of(), Set.of()), Optional.of(tip));

    assertThat(merged.backups().get(0).conditions().get(0)).satisfies(c -> {
      assertThat(c.status()).isEqualTo(Condition.Status.True);
      assertThat(c.lastTransitionTime()).isEqualTo(SEEN_BY_B);
    });
  }

  private static StatusReport report(Condition ready) {
    return new StatusReport(Instant.now(), Duration.ZERO, Optional.empty(), Optional.empty(), Optional.empty(), List.of(),
        List.of(new WorkflowStatus(NIGHTLY, "Completed", List.of(ready), List.of(), Optional.empty(), List.of())), List.of(),
        List.of());
  }
}
