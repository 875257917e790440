package dev.fleetbackup.plan;

import java.util.List;
import java.util.Optional;
import java.util.Comparator;

/** One {@link MemberPlan} per AttachedCluster of the config repo, sorted by cluster name. */
public record FleetPlan(List<MemberPlan> members) {
  public FleetPlan {
    members = members.stream().sorted(Comparator.comparing(MemberPlan::cluster)).toList();
  }

  public Optional<MemberPlan> member(String cluster) {
    return members.stream().filter(m -> m.cluster().equals(cluster)).findFirst();
  }
}
