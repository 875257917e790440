package dev.fleetbackup.plan;

import java.util.Objects;

/**
 * Install settings that are not in the config repo.
 *
 * @param veleroImage the Velero server, node-agent and CRD-installer image
 * @param awsPluginImage the AWS object-store plugin, run as an init container
 * @param namespace where Velero runs in every member
 * @param validationFrequency how often Velero checks a storage location (a Go duration)
 * @param backupSyncPeriod how often Velero syncs backups from a location (a Go duration)
 * @param defaultVolumesToFsBackup the Velero server flag; Kurator sets it, its node-agent backs volumes up
 */
public record PlanSettings(String veleroImage, String awsPluginImage, String namespace, String validationFrequency,
    String backupSyncPeriod, boolean defaultVolumesToFsBackup) {

  public static final PlanSettings DEFAULTS = new PlanSettings(
      "velero/velero:v1.18.1", "velero/velero-plugin-for-aws:v1.14.2", "velero", "5m", "1m", true);

  public PlanSettings {
    Objects.requireNonNull(veleroImage, "veleroImage");
    Objects.requireNonNull(awsPluginImage, "awsPluginImage");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(validationFrequency, "validationFrequency");
    Objects.requireNonNull(backupSyncPeriod, "backupSyncPeriod");
  }

  public PlanSettings withImages(String velero, String awsPlugin) {
    return new PlanSettings(velero, awsPlugin, namespace, validationFrequency, backupSyncPeriod, defaultVolumesToFsBackup);
  }
}
