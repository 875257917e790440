package dev.fleetbackup.notify;

import dev.fleetbackup.model.ClusterState;
import dev.fleetbackup.model.MemberFailure;
import dev.fleetbackup.report.StatusReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What fleet-backup says of one commit on the forge: rejected ({@link State#FAILURE}), applied to
 * every member ({@link State#SUCCESS}), applied but a member failed in a way the next pass may
 * mend ({@link State#PENDING}) or may not ({@link State#FAILURE}).
 *
 * @param description one raw sentence; each forge's request cuts and escapes it
 */
record CommitState(String sha, State state, String description) {
  enum State { SUCCESS, PENDING, FAILURE }

  CommitState {
    Objects.requireNonNull(sha, "sha");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(description, "description");
  }

  /** The states a report gives its commits: the rejected one's and the applied one's. */
  static List<CommitState> of(StatusReport report) {
    List<CommitState> states = new ArrayList<>();
    report.rejected().ifPresent(r -> states.add(new CommitState(r.revision().sha(), State.FAILURE,
        "rejected: " + r.errorCount() + (r.errorCount() == 1 ? " error" : " errors")
            + r.errors().stream().findFirst().map(e -> ", first " + e).orElse(""))));
    report.applied().ifPresent(applied -> states.add(applied(applied.sha(), report.clusters())));
    return states;
  }

  /** The states of {@code after} that {@code before} did not already give the same commit. */
  static List<CommitState> changed(Optional<StatusReport> before, StatusReport after) {
    List<CommitState> old = before.map(CommitState::of).orElse(List.of());
    return of(after).stream()
        .filter(now -> old.stream().noneMatch(o -> o.sha().equals(now.sha()) && o.state() == now.state()))
        .toList();
  }

  private static CommitState applied(String sha, List<ClusterState> clusters) {
    List<ClusterState> failed = clusters.stream().filter(ClusterState::failed).toList();
    if (failed.isEmpty()) {
      return new CommitState(sha, State.SUCCESS, "applied to " + count(clusters.size()));
    }
    boolean retryable = failed.stream().allMatch(c -> c.failure().map(MemberFailure::retryable).orElse(true));
    String which = failed.stream().map(c -> c.cluster() + " " + c.failure().map(f -> f.reason().name()).orElse(""))
        .collect(Collectors.joining(", "));
    String applied = "applied to " + (clusters.size() - failed.size()) + " of " + count(clusters.size()) + "; failed: " + which;
    return retryable
        ? new CommitState(sha, State.PENDING, applied + " (tried again next pass)")
        : new CommitState(sha, State.FAILURE, applied);
  }

  private static String count(int clusters) {
    return clusters + (clusters == 1 ? " cluster" : " clusters");
  }
}
