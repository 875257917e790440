package dev.fleetbackup.plan;

import dev.fleetbackup.model.Backup;
import dev.fleetbackup.model.Migrate;
import dev.fleetbackup.model.Restore;
import java.util.Optional;

/** The names the Planner gives runs and Schedules, for the workflows that follow them in the clusters. */
public final class WorkflowRuns {
  private WorkflowRuns() {}

  /** The Velero Schedule of a scheduled Backup in a cluster; its runs are labelled {@code velero.io/schedule-name} with it. */
  public static String scheduleName(String cluster, Backup backup) {
    return Names.fit(VeleroRuns.backupBase(cluster, backup.metadata().namespace(), backup.metadata().name()));
  }

  /** The run base ({@value Conventions#RUN} annotation) of an immediate Backup's runs in a cluster. */
  public static String backupRunBase(String cluster, Backup backup) {
    return VeleroRuns.backupBase(cluster, backup.metadata().namespace(), backup.metadata().name());
  }

  /** The run base of a Restore's runs in a cluster. */
  public static String restoreRunBase(String cluster, Restore restore) {
    return Names.kurator(cluster, "restore", restore.metadata().namespace(), restore.metadata().name());
  }

  /** The run base of a migration's runs in a cluster: the Backup in the source, the Restore in a target. */
  public static String migrationRunBase(String cluster, Migrate migrate) {
    return Names.kurator(cluster, "migrate", migrate.metadata().namespace(), migrate.metadata().name());
  }

  /** The read-only location through which a migration target's Velero syncs the source's backups. */
  public static String readOnlyLocation(String sourceCluster) {
    return VeleroInstall.readOnlyLocationName(sourceCluster);
  }

  /** The name of run number {@code n} of a base: {@code base}, {@code base-2}, ..., fitted. */
  public static String runName(String base, int n) {
    return new Run(base, "-", Optional.empty()).nameOf(n);
  }
}
