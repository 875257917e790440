package dev.fleetbackup.model;

import java.util.List;

/** A fleet and optionally a subset of its clusters; no clusters means all of the fleet's. */
public record Destination(String fleet, List<ClusterRef> clusters) {
  public Destination {
    clusters = Collections2.list(clusters);
  }

  public List<String> clusterNames() {
    return clusters.stream().map(ClusterRef::name).toList();
  }
}
