package dev.fleetbackup.pipeline;

import dev.fleetbackup.model.ClusterState;
import dev.fleetbackup.model.Condition;
import dev.fleetbackup.model.ResourceId;
import dev.fleetbackup.model.WorkflowStatus;
import dev.fleetbackup.report.StatusReport;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One replica's report merged into the one the status branch holds, so that the branch shows every
 * member while each replica reconciles its share:
 *
 * <ul>
 *   <li>each member's row is its owner's: this replica's for the members it reports, the branch's
 *       for the others (their owners publish them, and a member no replica owns keeps its last
 *       state); members no longer in the config repo are gone, and the rows keep the fleets' order;
 *   <li>backups, restores and migrations are this replica's: every pass reads every member, the
 *       ones it does not reconcile too, so its view of each workflow is whole. A condition whose
 *       status the branch already shows keeps the branch's transition time, so that replicas which
 *       first saw it at different times do not take turns rewriting it;
 *   <li>the revision, the rejection and the source problem are this replica's, its latest news.
 * </ul>
 */
final class StatusMerge {
  private StatusMerge() {}

  static StatusReport merge(StatusReport mine, StatusPart part, Optional<StatusReport> tip) {
    Map<String, ClusterState> ours = new HashMap<>();
    mine.clusters().stream().filter(c -> part.ours().contains(c.cluster())).forEach(c -> ours.put(c.cluster(), c));
    Map<String, ClusterState> theirs = new HashMap<>();
    tip.ifPresent(t -> t.clusters().forEach(c -> theirs.put(c.cluster(), c)));
    List<ClusterState> clusters = new ArrayList<>();
    for (String member : part.members()) {
      Optional.ofNullable(ours.get(member)).or(() -> Optional.ofNullable(theirs.get(member))).ifPresent(clusters::add);
    }
    return new StatusReport(mine.finishedAt(), mine.took(), mine.applied(), mine.rejected(), mine.sourceProblem(), clusters,
        keepTimes(mine.backups(), tip.map(StatusReport::backups)), keepTimes(mine.restores(), tip.map(StatusReport::restores)),
        keepTimes(mine.migrations(), tip.map(StatusReport::migrations)));
  }

  private record Key(ResourceId id, String type, Condition.Status status) {}

  private static List<WorkflowStatus> keepTimes(List<WorkflowStatus> mine, Optional<List<WorkflowStatus>> tip) {
    Map<Key, Condition> shown = new HashMap<>();
    tip.orElse(List.of()).forEach(w -> w.conditions().forEach(c -> shown.put(new Key(w.id(), c.type(), c.status()), c)));
    return mine.stream().map(w -> new WorkflowStatus(w.id(), w.phase(), w.conditions().stream().map(c -> {
      Condition before = shown.get(new Key(w.id(), c.type(), c.status()));
      return before == null ? c : new Condition(c.type(), c.status(), c.reason(), c.message(), before.lastTransitionTime());
    }).toList(), w.clusters(), w.schedule(), w.problems())).toList();
  }
}
