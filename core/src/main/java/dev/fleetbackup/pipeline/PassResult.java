package dev.fleetbackup.pipeline;

import dev.fleetbackup.model.ClusterState;
import dev.fleetbackup.model.WorkflowStatus;
import java.util.List;

/** What one pass over the fleet found and did: every cluster, and every backup, restore and migration. */
public record PassResult(List<ClusterState> clusters, List<WorkflowStatus> backups, List<WorkflowStatus> restores,
    List<WorkflowStatus> migrations) {

  public static final PassResult EMPTY = new PassResult(List.of(), List.of(), List.of(), List.of());

  public PassResult {
    clusters = List.copyOf(clusters);
    backups = List.copyOf(backups);
    restores = List.copyOf(restores);
    migrations = List.copyOf(migrations);
  }
}
