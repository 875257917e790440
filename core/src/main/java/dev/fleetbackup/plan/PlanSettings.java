package dev.fleetbackup.plan;

import dev.fleetbackup.model.VeleroRelease;
import dev.fleetbackup.validate.Guardrails;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Install settings that are not in the config repo.
 *
 * @param veleroImage the Velero server, node-agent and CRD-installer image, unless a Fleet's
 *     {@code chart.version} or {@code extraArgs.image} says otherwise
 * @param awsPluginImage the AWS object-store plugin, run as an init container
 * @param namespace where Velero runs in every member
 * @param validationFrequency how often Velero checks a storage location (a Go duration)
 * @param backupSyncPeriod how often Velero syncs backups from a location (a Go duration)
 * @param defaultVolumesToFsBackup the Velero server flag; Kurator sets it, its node-agent backs volumes up
 * @param refusedTargetNamespaces the guardrail's namespaces, which a restore of every namespace excludes
 *     (validation keeps every other restore out of them)
 */
public record PlanSettings(String veleroImage, String awsPluginImage, String namespace, String validationFrequency,
    String backupSyncPeriod, boolean defaultVolumesToFsBackup, List<String> refusedTargetNamespaces) {
  static final String VELERO_REPOSITORY = "velero/velero";
  static final String AWS_PLUGIN_REPOSITORY = "velero/velero-plugin-for-aws";

  /** The images of the newest supported release ({@link VeleroRelease#latest()}). */
  public static final PlanSettings DEFAULTS = new PlanSettings(
      VELERO_REPOSITORY + ":" + VeleroRelease.latest().velero(), AWS_PLUGIN_REPOSITORY + ":" + VeleroRelease.latest().awsPlugin(),
      "velero", "5m", "1m", true, Guardrails.DEFAULTS.refusedTargetNamespaces());

  public PlanSettings {
    Objects.requireNonNull(veleroImage, "veleroImage");
    Objects.requireNonNull(awsPluginImage, "awsPluginImage");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(validationFrequency, "validationFrequency");
    Objects.requireNonNull(backupSyncPeriod, "backupSyncPeriod");
    refusedTargetNamespaces = List.copyOf(new TreeSet<>(refusedTargetNamespaces));
  }

  public PlanSettings withImages(String velero, String awsPlugin) {
    return new PlanSettings(velero, awsPlugin, namespace, validationFrequency, backupSyncPeriod, defaultVolumesToFsBackup,
        refusedTargetNamespaces);
  }

  public PlanSettings withRefusedTargetNamespaces(List<String> namespaces) {
    return new PlanSettings(veleroImage, awsPluginImage, namespace, validationFrequency, backupSyncPeriod, defaultVolumesToFsBackup,
        namespaces);
  }
}
