package dev.fleetbackup.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetbackup.apply.ApplyResult;
import dev.fleetbackup.cluster.RequestCount;
import dev.fleetbackup.diff.Action;
import dev.fleetbackup.diff.Change;
import dev.fleetbackup.diff.ChangeSet;
import dev.fleetbackup.diff.ObjectFailure;
import dev.fleetbackup.model.ClusterState;
import dev.fleetbackup.model.MemberFailure.Reason;
import dev.fleetbackup.model.MemberFailure;
import dev.fleetbackup.model.VeleroLocation;
import dev.fleetbackup.model.VeleroMeta;
import dev.fleetbackup.model.VeleroServer;
import dev.fleetbackup.observe.Inventory;
import dev.fleetbackup.observe.MemberObservation;
import dev.fleetbackup.plan.ManagedKind;
import dev.fleetbackup.plan.ObjectRef;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** What a pass's outcome says about itself: whether it failed, why, and the exit status, for every kind of member and mix. */
class PassOutcomeTest {
  private static final ObjectRef SCHEDULE = new ObjectRef(ManagedKind.SCHEDULE, "velero", "nightly");
  private static final ObjectRef BACKUP = new ObjectRef(ManagedKind.BACKUP, "velero", "once");
  private static final RequestCount REQUESTS = new RequestCount(5, 2, 0);

  private static Change change(ObjectRef ref, Action action) {
    return new Change(ref, action, "", "", Optional.empty());
  }

  private static ChangeSet changes(String cluster, List<Change> changes, List<ObjectFailure> failures) {
    return new ChangeSet(cluster, changes, failures, Inventory.EMPTY, List.of(), null);
  }

  private static MemberOutcome.Diffed diffed(String cluster, Action action) {
    return new MemberOutcome.Diffed(cluster, changes(cluster, List.of(change(SCHEDULE, action)), List.of()), REQUESTS,
        Duration.ofSeconds(1));
  }

  private static MemberOutcome.Applied applied(String cluster, List<Change> written, List<ObjectFailure> failures) {
    return new MemberOutcome.Applied(cluster, changes(cluster, written, List.of()),
        new ApplyResult.Applied(cluster, written, failures, true), REQUESTS, Duration.ofSeconds(1));
  }

  private static MemberOutcome.Refused refused(String cluster, ApplyResult.Reason why) {
    return new MemberOutcome.Refused(cluster, changes(cluster, List.of(), List.of()),
        new ApplyResult.Refused(cluster, why, "would delete 12 of 14 objects; --allow-mass-delete allows it", List.of()), REQUESTS,
        Duration.ofSeconds(1));
  }

  private static MemberOutcome.Failed failed(String cluster, Reason reason) {
    return new MemberOutcome.Failed(cluster, reason, "cannot reach https://10.0.0.3:6443: connection refused");
  }

  private static PassOutcome.Member member(MemberOutcome outcome) {
    return new PassOutcome.Member(outcome.cluster(), "default/quickstart", outcome, Optional.empty());
  }

  private static PassOutcome outcome(MemberOutcome... members) {
    return new PassOutcome(Stream.of(members).map(PassOutcomeTest::member).toList(), List.of(), List.of(), List.of());
  }

  @Test
  void aDiffWithoutDifferencesSucceedsAndOneWithDifferencesIsAFinding() {
    assertThat(diffed("m1", Action.UNCHANGED).exitCode()).isEqualTo(ExitCode.OK);
    assertThat(diffed("m1", Action.SKIPPED).exitCode()).as("a skipped run is no difference").isEqualTo(ExitCode.OK);
    MemberOutcome differs = diffed("m1", Action.CONFIGURED);

    assertThat(differs.exitCode()).isEqualTo(ExitCode.FINDINGS);
    assertThat(differs.failed()).isFalse();
    assertThat(differs.reason()).isEmpty();
    assertThat(differs.retryable()).isFalse();
  }

  @Test
  void objectsTheServerRefusedFailTheMemberNamingTheFirst() {
    ObjectFailure conflict = new ObjectFailure(SCHEDULE, "Conflict", "owned by kubectl");
    ObjectFailure invalid = new ObjectFailure(BACKUP, "Invalid", "spec.ttl: bad");
    MemberOutcome diff = new MemberOutcome.Diffed("m1", changes("m1", List.of(change(SCHEDULE, Action.CREATED)),
        List.of(conflict, invalid)), REQUESTS, Duration.ZERO);
    MemberOutcome apply = applied("m1", List.of(change(BACKUP, Action.CREATED)), List.of(conflict));

    assertThat(diff.exitCode()).as("an error wins over a difference").isEqualTo(ExitCode.ERROR);
    assertThat(diff.failure()).contains(new MemberFailure(Reason.OBJECTS_REFUSED,
        "Schedule/velero/nightly Conflict: owned by kubectl (and 1 more)"));
    assertThat(apply.exitCode()).isEqualTo(ExitCode.ERROR);
    assertThat(apply.failure()).contains(new MemberFailure(Reason.OBJECTS_REFUSED, "Schedule/velero/nightly Conflict: owned by kubectl"));
    assertThat(apply.retryable()).isFalse();
  }

  @Test
  void anApplySucceedsAndCountsWhatItWrote() {
    MemberOutcome apply = applied("m1", List.of(change(SCHEDULE, Action.CONFIGURED), change(BACKUP, Action.CREATED),
        change(new ObjectRef(ManagedKind.RESTORE, "velero", "old"), Action.DELETED), change(BACKUP, Action.UNCHANGED)), List.of());

    assertThat(apply.failed()).isFalse();
    assertThat(apply.exitCode()).as("apply has no findings").isEqualTo(ExitCode.OK);
    assertThat(apply.written()).isEqualTo(new ClusterState.ApplySummary(1, 1, 1, 1));
    assertThat(diffed("m1", Action.CREATED).written()).as("a diff writes nothing").isEqualTo(ClusterState.ApplySummary.NONE);
  }

  @Test
  void aRefusedApplyFailsWithTheGuardsReason() {
    MemberOutcome massDelete = refused("m1", ApplyResult.Reason.MASS_DELETE);

    assertThat(massDelete.exitCode()).isEqualTo(ExitCode.ERROR);
    assertThat(massDelete.failure()).contains(new MemberFailure(Reason.MASS_DELETE_REFUSED,
        "apply refused: would delete 12 of 14 objects; --allow-mass-delete allows it"));
    assertThat(refused("m1", ApplyResult.Reason.DRY_RUN_FAILED).reason()).contains(Reason.OBJECTS_REFUSED);
  }

  @Test
  void aFailedMemberSaysWhetherTheNextPassMaySucceedOnItsOwn() {
    assertThat(failed("m1", Reason.UNREACHABLE).retryable()).isTrue();
    assertThat(failed("m1", Reason.TIMED_OUT).retryable()).isTrue();
    assertThat(failed("m1", Reason.KUBECONFIG_REFUSED).retryable()).as("the Secret has to change").isFalse();
    assertThat(failed("m1", Reason.CREDENTIALS_UNAVAILABLE).retryable()).isFalse();
    assertThat(failed("m1", Reason.FORBIDDEN).retryable()).isFalse();
    assertThat(failed("m1", Reason.INVENTORY_DAMAGED).exitCode()).isEqualTo(ExitCode.ERROR);
    assertThat(Stream.of(Reason.values()).filter(Reason::unanswered)).containsExactly(Reason.UNREACHABLE, Reason.TIMED_OUT);
  }

  @Test
  void aPassFailsWhenAnyMemberFailsAndSaysTheFirstReason() {
    PassOutcome mixed = outcome(diffed("m1", Action.CONFIGURED), failed("m2", Reason.KUBECONFIG_REFUSED),
        failed("m3", Reason.UNREACHABLE));

    assertThat(mixed.failed()).isTrue();
    assertThat(mixed.exitCode()).isEqualTo(ExitCode.ERROR);
    assertThat(mixed.reason()).contains(Reason.KUBECONFIG_REFUSED);
  }

  @Test
  void aPassWithDifferencesAndNoFailureIsAFindingAndOneWithNeitherSucceeds() {
    PassOutcome differs = outcome(diffed("m1", Action.UNCHANGED), diffed("m2", Action.DELETED));
    PassOutcome clean = outcome(diffed("m1", Action.UNCHANGED), applied("m2", List.of(), List.of()));

    assertThat(differs.failed()).isFalse();
    assertThat(differs.exitCode()).isEqualTo(ExitCode.FINDINGS);
    assertThat(differs.reason()).isEmpty();
    assertThat(clean.exitCode()).isEqualTo(ExitCode.OK);
    assertThat(PassOutcome.NONE.exitCode()).as("no pass, nothing failed").isEqualTo(ExitCode.OK);
    assertThat(PassOutcome.NONE.failed()).isFalse();
  }

  @Test
  void theStatusReportShowsEachMemberAsItsOutcomeAndItsReadSay() {
    MemberObservation seen = new MemberObservation("m1", List.of(), List.of(), List.of(),
        List.of(new VeleroLocation(VeleroMeta.of("default", "velero", Map.of(), Map.of()),
            new VeleroLocation.Spec("aws", null, null, null, null, null, null, null),
            new VeleroLocation.Status("Available", Optional.empty(), Optional.empty(), Optional.empty()))),
        new VeleroServer(true, true, Optional.of("v1.18.1")));
    PassOutcome pass = new PassOutcome(List.of(
        new PassOutcome.Member("m1", "default/q", applied("m1", List.of(), List.of()), Optional.of(seen)),
        member(failed("m2", Reason.UNREACHABLE))), List.of(), List.of(), List.of());

    assertThat(pass.clusters()).containsExactly(
        new ClusterState("m1", "default/q", true, Optional.empty(), true, Optional.of("v1.18.1"), "Available",
            ClusterState.ApplySummary.NONE),
        new ClusterState("m2", "default/quickstart", false,
            Optional.of(new MemberFailure(Reason.UNREACHABLE, "cannot reach https://10.0.0.3:6443: connection refused")), false,
            Optional.empty(), "Unknown", ClusterState.ApplySummary.NONE));
    assertThat(pass.clusters()).extracting(ClusterState::failed).containsExactly(false, true);
  }
}
