package dev.fleetbackup.pipeline;

import dev.fleetbackup.apply.ApplyResult;
import dev.fleetbackup.cluster.RequestCount;
import dev.fleetbackup.diff.Action;
import dev.fleetbackup.diff.ChangeSet;
import dev.fleetbackup.diff.ObjectFailure;
import dev.fleetbackup.model.ClusterState;
import dev.fleetbackup.model.MemberFailure;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a pass did to one member, and what that means: whether it failed and why, and the exit
 * status it earns. Every reader (the commands, the daemon, the status report, the metrics) asks
 * these methods instead of looking inside.
 */
public sealed interface MemberOutcome
    permits MemberOutcome.Diffed, MemberOutcome.Applied, MemberOutcome.Refused, MemberOutcome.Failed {

  String cluster();

  /** Why this member failed; empty when it did not. */
  Optional<MemberFailure> failure();

  /** What the dry run found, when the member was reached. */
  Optional<ChangeSet> changeSet();

  /** {@link ExitCode#ERROR} for a failure; {@link ExitCode#FINDINGS} for differences a diff found. */
  ExitCode exitCode();

  default boolean failed() {
    return failure().isPresent();
  }

  default Optional<MemberFailure.Reason> reason() {
    return failure().map(MemberFailure::reason);
  }

  /** Whether the next pass may succeed on its own; false for a member that did not fail. */
  default boolean retryable() {
    return failure().map(MemberFailure::retryable).orElse(false);
  }

  /** What needs a person though the member did not fail: its inventory was edited or deleted. */
  default List<ClusterState.Warning> warnings() {
    return changeSet().flatMap(c -> c.origin().warning()).stream().toList();
  }

  /** The requests the pass sent to the member, when it got as far as its diff. */
  default Optional<RequestCount> sent() {
    if (this instanceof Diffed d) {
      return Optional.of(d.requests());
    }
    if (this instanceof Applied a) {
      return Optional.of(a.requests());
    }
    return this instanceof Refused r ? Optional.of(r.requests()) : Optional.empty();
  }

  /** What was written: created, configured, deleted and unchanged objects (none unless applied). */
  default ClusterState.ApplySummary written() {
    return ClusterState.ApplySummary.NONE;
  }

  /** A diff pass reached the member; {@code changes} says what differs and which objects the server refused. */
  record Diffed(String cluster, ChangeSet changes, RequestCount requests, Duration took) implements MemberOutcome {
    public Diffed {
      Objects.requireNonNull(changes, "changes");
    }

    @Override
    public Optional<MemberFailure> failure() {
      return refused(changes.failures());
    }

    @Override
    public Optional<ChangeSet> changeSet() {
      return Optional.of(changes);
    }

    @Override
    public ExitCode exitCode() {
      return failed() ? ExitCode.ERROR : changes.hasDifferences() ? ExitCode.FINDINGS : ExitCode.OK;
    }
  }

  /** An apply pass wrote the differences; {@code result} lists what it did and which writes failed. */
  record Applied(String cluster, ChangeSet changes, ApplyResult.Applied result, RequestCount requests, Duration took)
      implements MemberOutcome {
    public Applied {
      Objects.requireNonNull(result, "result");
    }

    /** A member that stopped answering failed for that, whatever its writes did before. */
    @Override
    public Optional<MemberFailure> failure() {
      return result.stoppedAnswering().or(() -> refused(result.failures()));
    }

    @Override
    public Optional<ChangeSet> changeSet() {
      return Optional.ofNullable(changes);
    }

    @Override
    public ExitCode exitCode() {
      return failed() ? ExitCode.ERROR : ExitCode.OK;
    }

    @Override
    public ClusterState.ApplySummary written() {
      return new ClusterState.ApplySummary(count(Action.CREATED), count(Action.CONFIGURED), count(Action.DELETED),
          count(Action.UNCHANGED));
    }

    private int count(Action action) {
      return (int) result.changes().stream().filter(c -> c.action() == action).count();
    }
  }

  /** An apply pass wrote nothing: the dry run failed for some object, or it would have deleted too much. */
  record Refused(String cluster, ChangeSet changes, ApplyResult.Refused refusal, RequestCount requests, Duration took)
      implements MemberOutcome {
    public Refused {
      Objects.requireNonNull(refusal, "refusal");
    }

    @Override
    public Optional<MemberFailure> failure() {
      MemberFailure.Reason reason = refusal.reason() == ApplyResult.Reason.MASS_DELETE
          ? MemberFailure.Reason.MASS_DELETE_REFUSED : MemberFailure.Reason.OBJECTS_REFUSED;
      return Optional.of(new MemberFailure(reason, "apply refused: " + refusal.message()));
    }

    @Override
    public Optional<ChangeSet> changeSet() {
      return Optional.ofNullable(changes);
    }

    @Override
    public ExitCode exitCode() {
      return ExitCode.ERROR;
    }
  }

  /** The member could not be diffed or applied at all; the others went on. */
  record Failed(String cluster, MemberFailure why) implements MemberOutcome {
    public Failed {
      Objects.requireNonNull(why, "why");
    }

    public Failed(String cluster, MemberFailure.Reason reason, String message) {
      this(cluster, new MemberFailure(reason, message));
    }

    @Override
    public Optional<MemberFailure> failure() {
      return Optional.of(why);
    }

    @Override
    public Optional<ChangeSet> changeSet() {
      return Optional.empty();
    }

    @Override
    public ExitCode exitCode() {
      return ExitCode.ERROR;
    }
  }

  /** Objects the server refused, as one failure naming the first: {@code Schedule/velero/x Conflict: … (and 2 more)}. */
  private static Optional<MemberFailure> refused(List<ObjectFailure> failures) {
    if (failures.isEmpty()) {
      return Optional.empty();
    }
    int more = failures.size() - 1;
    return Optional.of(new MemberFailure(MemberFailure.Reason.OBJECTS_REFUSED,
        failures.get(0) + (more > 0 ? " (and " + more + " more)" : "")));
  }
}
