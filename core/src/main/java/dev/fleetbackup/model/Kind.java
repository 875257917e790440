package dev.fleetbackup.model;

import java.util.Arrays;
import java.util.Optional;

/** The kinds a config repo may hold, exactly as Kurator names them. */
public enum Kind {
  FLEET("fleet.kurator.dev/v1alpha1", "Fleet", "fleet"),
  ATTACHED_CLUSTER("cluster.kurator.dev/v1alpha1", "AttachedCluster", "attachedcluster"),
  BACKUP("backup.kurator.dev/v1alpha1", "Backup", "backup"),
  RESTORE("backup.kurator.dev/v1alpha1", "Restore", "restore"),
  MIGRATE("backup.kurator.dev/v1alpha1", "Migrate", "migrate");

  private final String apiVersion;
  private final String kind;
  private final String schemaName;

  Kind(String apiVersion, String kind, String schemaName) {
    this.apiVersion = apiVersion;
    this.kind = kind;
    this.schemaName = schemaName;
  }

  public String apiVersion() {
    return apiVersion;
  }

  public String kind() {
    return kind;
  }

  /** File name of this kind's JSON Schema in {@code schemas/}. */
  public String schemaFile() {
    return schemaName + ".schema.json";
  }

  public static Optional<Kind> of(String apiVersion, String kind) {
    return Arrays.stream(values())
        .filter(k -> k.apiVersion.equals(apiVersion) && k.kind.equals(kind))
        .findFirst();
  }

  public static Optional<Kind> ofKind(String kind) {
    return Arrays.stream(values()).filter(k -> k.kind.equals(kind)).findFirst();
  }
}
