package dev.fleetbackup.pipeline;

import dev.fleetbackup.model.ClusterState;
import dev.fleetbackup.model.MemberFailure;
import dev.fleetbackup.model.PolicySet;
import dev.fleetbackup.model.WorkflowStatus;
import dev.fleetbackup.observe.FleetObservation;
import dev.fleetbackup.observe.MemberObservation;
import dev.fleetbackup.plan.Conventions;
import dev.fleetbackup.workflows.WorkflowStatuses;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What one pass over the fleet did and found, the same for {@code diff}, {@code apply} and
 * {@code run}: per member what was done and how it stands, and every backup, restore and migration.
 * Whether the pass failed, why, and the exit status it earns are decided here, once.
 *
 * @param members the members the pass took, as the fleets list them
 */
public record PassOutcome(List<Member> members, List<WorkflowStatus> backups, List<WorkflowStatus> restores,
    List<WorkflowStatus> migrations) {

  /** No pass ran: nothing applied yet. */
  public static final PassOutcome NONE = new PassOutcome(List.of(), List.of(), List.of(), List.of());

  public PassOutcome {
    members = List.copyOf(members);
    backups = List.copyOf(backups);
    restores = List.copyOf(restores);
    migrations = List.copyOf(migrations);
  }

  public boolean failed() {
    return members.stream().anyMatch(Member::failed);
  }

  /** The worst of the members': {@link ExitCode#ERROR} if one failed, {@link ExitCode#FINDINGS} if a diff found differences. */
  public ExitCode exitCode() {
    return ExitCode.worst(members.stream().map(Member::exitCode));
  }

  /** Why the pass failed: the reason of the first member that did. */
  public Optional<MemberFailure.Reason> reason() {
    return members.stream().flatMap(m -> m.failure().stream()).map(MemberFailure::reason).findFirst();
  }

  public Optional<Member> member(String cluster) {
    return members.stream().filter(m -> m.cluster().equals(cluster)).findFirst();
  }

  /** Every member as the status report shows it. */
  public List<ClusterState> clusters() {
    return members.stream().map(Member::state).toList();
  }

  /** Each member the pass took, in fleet order, with how its status was found. */
  static PassOutcome assemble(PolicySet policies, Map<String, MemberOutcome> outcomes, FleetObservation status,
      WorkflowStatuses workflows) {
    List<Member> members = new ArrayList<>();
    for (String cluster : FleetOrder.clusters(policies)) {
      MemberOutcome outcome = outcomes.get(cluster);
      if (outcome != null) {
        members.add(new Member(cluster, FleetOrder.fleetOf(policies, cluster), outcome, status.member(cluster)));
      }
    }
    return new PassOutcome(members, workflows.backups(), workflows.restores(), workflows.migrations());
  }

  /**
   * One member in a pass: what was done to it, and how the pass's one read found it (with the runs
   * the apply created). A member that could not be read has a failed outcome saying why.
   *
   * @param fleet {@code namespace/name} of the fleet that installs Velero on it, else of the first listing it
   * @param observed what it held when it was read
   */
  public record Member(String cluster, String fleet, MemberOutcome outcome, Optional<MemberObservation> observed) {
    public Member {
      Objects.requireNonNull(outcome, "outcome");
    }

    /** Why the pass failed for this member. */
    public Optional<MemberFailure> failure() {
      return outcome.failure();
    }

    public boolean failed() {
      return failure().isPresent();
    }

    public ExitCode exitCode() {
      return failed() ? ExitCode.ERROR : outcome.exitCode();
    }

    /** Its API server answered, and did not stop answering: its status was read, or the pass got as far as a dry run. */
    public boolean reachable() {
      return !failure().map(f -> f.reason().unanswered()).orElse(false)
          && (observed.isPresent() || !(outcome instanceof MemberOutcome.Failed));
    }

    public ClusterState state() {
      String location = observed.flatMap(m -> m.location(Conventions.DEFAULT_LOCATION)).map(l -> l.status().phaseText())
          .filter(p -> !p.isEmpty()).orElse("Unknown");
      return new ClusterState(cluster, fleet, reachable(), failure(),
          observed.map(m -> m.server().ready()).orElse(false), observed.flatMap(m -> m.server().version()), location,
          outcome.written(), outcome.warnings());
    }
  }
}
