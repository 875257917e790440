package dev.fleetbackup.pipeline;

import dev.fleetbackup.model.AttachedCluster;
import dev.fleetbackup.model.PolicySet;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Which members a pass takes: every one, or those named ({@code --cluster}), checked against the
 * config repo before the pass starts.
 */
public record Selection(Set<String> clusters, boolean all) {
  /** Every member of the config repo. */
  public static final Selection ALL = new Selection(Set.of());

  public Selection {
    clusters = Set.copyOf(clusters);
  }

  /** The named members; none named is every member. */
  public Selection(Set<String> clusters) {
    this(clusters, clusters.isEmpty());
  }

  /** These members and no other, none if none: a replica's share under sharding. */
  public static Selection only(Set<String> clusters) {
    return new Selection(clusters, false);
  }

  public boolean includes(String cluster) {
    return all || clusters.contains(cluster);
  }

  /** The named members ({@link #ALL} for none), or which of the names the config repo has no member for. */
  public static Choice of(PolicySet policies, Collection<String> names) {
    Set<String> known = Set.copyOf(policies.clusters().stream().map(AttachedCluster::name).toList());
    List<String> unknown = names.stream().filter(name -> !known.contains(name)).distinct().sorted().toList();
    return unknown.isEmpty() ? new Chosen(new Selection(Set.copyOf(names))) : new Unknown(unknown);
  }

  /** What {@link #of} found: a selection, or a usage error. */
  public sealed interface Choice permits Chosen, Unknown {}

  public record Chosen(Selection selection) implements Choice {}

  /** Names no member of the config repo has (an AttachedCluster, or a Fleet member of kind Cluster): a usage error, found before any member is contacted. */
  public record Unknown(List<String> names) implements Choice {
    public Unknown {
      names = List.copyOf(names);
    }

    public String message() {
      return "no member cluster named " + String.join(", ", names) + " in the config repo";
    }
  }
}
