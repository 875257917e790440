package dev.fleetbackup.plan;

import java.util.Arrays;
import java.util.Optional;

/**
 * Every kind of object fleet-backup writes to a member cluster, with what the API needs to address
 * it (group, version, plural, scope) and how it is treated: the stage it is applied in, whether it
 * is a run (created once, never corrected) and what pruning does with it.
 */
public enum ManagedKind {
  NAMESPACE("", "v1", "Namespace", "namespaces", false, Stage.NAMESPACES, Lifecycle.RECONCILED, Prune.KEEP),
  SERVICE_ACCOUNT("", "v1", "ServiceAccount", "serviceaccounts", true, Stage.RBAC_AND_SECRETS, Lifecycle.RECONCILED, Prune.DELETE),
  CLUSTER_ROLE("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", false, Stage.RBAC_AND_SECRETS, Lifecycle.RECONCILED, Prune.DELETE),
  CLUSTER_ROLE_BINDING("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", "clusterrolebindings", false, Stage.RBAC_AND_SECRETS, Lifecycle.RECONCILED, Prune.DELETE),
  SECRET("", "v1", "Secret", "secrets", true, Stage.RBAC_AND_SECRETS, Lifecycle.RECONCILED, Prune.DELETE),
  CONFIG_MAP("", "v1", "ConfigMap", "configmaps", true, Stage.RBAC_AND_SECRETS, Lifecycle.RECONCILED, Prune.DELETE),
  JOB("batch", "v1", "Job", "jobs", true, Stage.WORKLOADS, Lifecycle.RUN, Prune.DELETE),
  DEPLOYMENT("apps", "v1", "Deployment", "deployments", true, Stage.WORKLOADS, Lifecycle.RECONCILED, Prune.DELETE),
  DAEMON_SET("apps", "v1", "DaemonSet", "daemonsets", true, Stage.WORKLOADS, Lifecycle.RECONCILED, Prune.DELETE),
  BACKUP_STORAGE_LOCATION("velero.io", "v1", "BackupStorageLocation", "backupstoragelocations", true, Stage.LOCATIONS, Lifecycle.RECONCILED, Prune.DELETE),
  VOLUME_SNAPSHOT_LOCATION("velero.io", "v1", "VolumeSnapshotLocation", "volumesnapshotlocations", true, Stage.LOCATIONS, Lifecycle.RECONCILED, Prune.DELETE),
  SCHEDULE("velero.io", "v1", "Schedule", "schedules", true, Stage.RUNS, Lifecycle.RECONCILED, Prune.DELETE),
  BACKUP("velero.io", "v1", "Backup", "backups", true, Stage.RUNS, Lifecycle.RUN, Prune.KEEP),
  RESTORE("velero.io", "v1", "Restore", "restores", true, Stage.RUNS, Lifecycle.RUN, Prune.DELETE);

  /** How an object is kept in shape. */
  public enum Lifecycle {
    /** Server-side applied on every pass; drift in owned fields is corrected. */
    RECONCILED,
    /** A run: created once under a new name per policy, never re-applied (Velero writes into its spec). */
    RUN
  }

  /** What pruning does with an object that is no longer desired. */
  public enum Prune {
    DELETE,
    /** Left in the cluster and forgotten: Velero Backups (their data stays) and the velero namespace (it holds them). */
    KEEP
  }

  private final String group;
  private final String version;
  private final String kind;
  private final String plural;
  private final boolean namespaced;
  private final Stage stage;
  private final Lifecycle lifecycle;
  private final Prune prune;

  ManagedKind(String group, String version, String kind, String plural, boolean namespaced, Stage stage,
      Lifecycle lifecycle, Prune prune) {
    this.group = group;
    this.version = version;
    this.kind = kind;
    this.plural = plural;
    this.namespaced = namespaced;
    this.stage = stage;
    this.lifecycle = lifecycle;
    this.prune = prune;
  }

  public String group() {
    return group;
  }

  public String version() {
    return version;
  }

  public String apiVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  public String kind() {
    return kind;
  }

  public String plural() {
    return plural;
  }

  public boolean namespaced() {
    return namespaced;
  }

  public Stage stage() {
    return stage;
  }

  public Lifecycle lifecycle() {
    return lifecycle;
  }

  public Prune prune() {
    return prune;
  }

  public boolean isVelero() {
    return group.equals("velero.io");
  }

  public static Optional<ManagedKind> of(String group, String kind) {
    return Arrays.stream(values()).filter(k -> k.group.equals(group) && k.kind.equals(kind)).findFirst();
  }
}
