package dev.fleetbackup.plan;

import java.util.Map;

/** Names fleet-backup writes into clusters. They are load-bearing: changing one orphans what earlier versions wrote. */
public final class Conventions {
  /** The server-side-apply field manager. Drift detection and pruning depend on it never changing. */
  public static final String FIELD_MANAGER = "fleet-backup";

  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String MANAGED_BY_VALUE = "fleet-backup";
  public static final String FLEET_NAME = "fleet.kurator.dev/fleet-name";
  public static final String PLUGIN = "fleet.kurator.dev/plugin";
  public static final String PLUGIN_BACKUP = "backup";
  public static final String BACKUP_NAME = "kurator.dev/backup-name";
  public static final String RESTORE_NAME = "kurator.dev/restore-name";
  public static final String MIGRATE_NAME = "kurator.dev/migrate-name";

  /** Hash of the spec a run was created from; a different hash means a new run. */
  public static final String SPEC_HASH = "fleet-backup.dev/spec-hash";
  /** The unnumbered name of a run ({@code base}); runs are {@code base}, {@code base-2}, ... */
  public static final String RUN = "fleet-backup.dev/run";
  public static final String RUN_NUMBER = "fleet-backup.dev/run-number";

  /** Where each member's inventory lives. */
  public static final String INVENTORY_NAMESPACE = "kube-system";
  public static final String INVENTORY_NAME = "fleet-backup-inventory";
  /**
   * The SHA-256 of the inventory's JSON, written beside it: an inventory whose JSON does not match
   * was changed by someone other than fleet-backup.
   */
  public static final String INVENTORY_SHA256 = "fleet-backup.dev/inventory-sha256";

  /**
   * The label selector a read of several objects of {@code kind} in {@code namespace} lists them by:
   * none in Velero's own namespace ({@code veleroNamespace}), where fleet-backup reads Velero's
   * objects of every kind in full; elsewhere fleet-backup's label, so that a list brings only its own
   * objects, never the whole cluster's (a member's every CRD, every Namespace).
   */
  public static Map<String, String> listSelector(ManagedKind kind, String namespace, String veleroNamespace) {
    return kind.namespaced() && namespace.equals(veleroNamespace) ? Map.of() : Map.of(MANAGED_BY, MANAGED_BY_VALUE);
  }

  /** The storage location every member writes its own backups to. */
  public static final String DEFAULT_LOCATION = "default";

  private Conventions() {}
}
