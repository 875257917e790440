package dev.fleetbackup.workflows;

import dev.fleetbackup.model.WorkflowStatus;
import java.util.List;

/** The status of every Backup, Restore and Migrate of the config repo, in the config repo's order. */
public record WorkflowStatuses(List<WorkflowStatus> backups, List<WorkflowStatus> restores, List<WorkflowStatus> migrations) {
  public WorkflowStatuses {
    backups = List.copyOf(backups);
    restores = List.copyOf(restores);
    migrations = List.copyOf(migrations);
  }
}
