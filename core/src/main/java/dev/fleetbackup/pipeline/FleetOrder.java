package dev.fleetbackup.pipeline;

import dev.fleetbackup.model.AttachedCluster;
import dev.fleetbackup.model.Fleet;
import dev.fleetbackup.model.PolicySet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The members of a config repo as people read them: in the order their fleets list them. */
final class FleetOrder {
  private FleetOrder() {}

  /** The fleets' clusters in the order each fleet lists them, then the clusters in no fleet. */
  static List<String> clusters(PolicySet policies) {
    Set<String> order = new LinkedHashSet<>();
    for (Fleet fleet : policies.fleets()) {
      fleet.spec().clusters().stream()
          .filter(c -> policies.attachedCluster(fleet.metadata().namespace(), c.name()).isPresent())
          .forEach(c -> order.add(c.name()));
    }
    policies.clusters().stream().map(AttachedCluster::name).forEach(order::add);
    return List.copyOf(order);
  }

  /** {@code default/quickstart}: the fleet that installs Velero on the cluster, else the first fleet listing it. */
  static String fleetOf(PolicySet policies, String cluster) {
    List<Fleet> listing = policies.fleets().stream()
        .filter(f -> f.spec().clusters().stream().anyMatch(c -> c.name().equals(cluster)))
        .toList();
    return listing.stream().filter(f -> f.backup().isPresent()).findFirst().or(() -> listing.stream().findFirst())
        .map(f -> f.metadata().namespace() + "/" + f.metadata().name()).orElse("");
  }
}
