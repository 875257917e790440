package dev.fleetbackup.model;

import java.util.List;
import java.util.Optional;

/**
 * The observed status of one Backup, Restore or Migrate across the fleet: Kurator's shape (a
 * {@code phase}, conditions, per-cluster details) plus what Kurator never says (why it is stuck).
 *
 * @param phase Backup/Restore: Pending, InProgress, Completed, PartiallyFailed, Failed (a schedule:
 *     Enabled, or Failed when it broke its promise); Migrate: Pending, FailedValidation,
 *     BackupInProgress, RestoreInProgress, Completed, Failed
 * @param schedule the cron expression of a scheduled backup
 * @param problems what needs a person's attention, one sentence each
 * @param backupName a Restore's Backup (Kurator's {@code spec.backupName}, in the Restore's namespace)
 */
public record WorkflowStatus(ResourceId id, String phase, List<Condition> conditions, List<ClusterRun> clusters,
    Optional<String> schedule, List<String> problems, Optional<String> backupName) {
  public WorkflowStatus {
    conditions = Collections2.list(conditions);
    clusters = Collections2.list(clusters);
    schedule = Collections2.optional(schedule);
    problems = Collections2.list(problems);
    backupName = Collections2.optional(backupName);
  }

  /** A Backup or a Migrate, or a Restore whose Backup is not said. */
  public WorkflowStatus(ResourceId id, String phase, List<Condition> conditions, List<ClusterRun> clusters,
      Optional<String> schedule, List<String> problems) {
    this(id, phase, conditions, clusters, schedule, problems, Optional.empty());
  }
}
