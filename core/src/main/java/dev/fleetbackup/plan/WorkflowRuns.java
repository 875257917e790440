package dev.fleetbackup.plan;

import dev.fleetbackup.model.Backup;
import dev.fleetbackup.model.Migrate;
import dev.fleetbackup.model.Restore;
import java.util.Optional;

/**
 * The names and objects of the runs whose time comes from what the clusters hold, not from Git
 * alone: the Restore of a scheduled backup's newest completed run, and a migration's Restore in
 * each target. The workflow stage decides when; this class renders them exactly as the Planner
 * renders every other run, so that names, labels and spec hashes follow the same conventions.
 *
 * <p>A rendered run is number 1 with its final {@code spec.backupName}. Its spec hash is taken
 * with the unnumbered source in {@code backupName}, so a newer backup run does not make it a new run.
 */
public final class WorkflowRuns {
  private final PlanSettings settings;
  private final VeleroRuns runs;

  public WorkflowRuns(PlanSettings settings) {
    this.settings = settings;
    this.runs = new VeleroRuns(settings);
  }

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

  /** Where the Planner reports the Restore of a scheduled backup that the workflow creates. */
  public ObjectRef restoreRef(String cluster, Restore restore) {
    return VeleroRuns.restoreRef(settings.namespace(), cluster, restore);
  }

  /** Where the Planner reports a migration's Restore in a target. */
  public ObjectRef migrationRestoreRef(String cluster, Migrate migrate) {
    return VeleroRuns.migrationRestoreRef(settings.namespace(), cluster, migrate);
  }

  /** The Restore of a scheduled backup's run {@code backupRunName} in {@code cluster}. */
  public DesiredObject scheduledRestore(String cluster, String fleet, Restore restore, Backup backup, String backupRunName) {
    return withBackup(runs.restore(cluster, fleet, restore, backup), backupRunName);
  }

  /** A migration's Restore in target {@code cluster} of the source's run {@code sourceBackupName}, synced there. */
  public DesiredObject migrationRestore(String cluster, String fleet, Migrate migrate, String sourceCluster,
      String sourceBackupName) {
    return withBackup(runs.migrationRestore(cluster, fleet, migrate, migrationRunBase(sourceCluster, migrate)), sourceBackupName);
  }

  private static DesiredObject withBackup(DesiredObject rendered, String backupName) {
    Run run = rendered.run().orElseThrow();
    DesiredObject named = VeleroRuns.withBackupName(rendered, backupName);
    return new DesiredObject(named.ref(), named.manifest(), Optional.of(new Run(run.base(), run.specHash(), Optional.empty())));
  }
}
