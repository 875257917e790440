package dev.fleetbackup.report;

import dev.fleetbackup.model.ClusterRun;
import dev.fleetbackup.model.Condition;
import dev.fleetbackup.model.Kind;
import dev.fleetbackup.model.ResourceId;
import dev.fleetbackup.model.RunCounters;
import dev.fleetbackup.model.VeleroRun;
import dev.fleetbackup.model.WorkflowStatus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.common.NonPrintableStyle;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.representer.StandardRepresenter;

/**
 * One YAML file per Backup, Restore and Migrate in Kurator's status shape, so that a Kurator user
 * finds what {@code kubectl get backup -o yaml} would show: keys in kubectl's (alphabetical) order,
 * timestamps in whole seconds, Velero's status of each cluster under Kurator's field names, and
 * fields Velero leaves out when empty left out too.
 */
final class ObjectFiles {
  static final String CLUSTER_KIND = "AttachedCluster";

  /** A name or namespace the config repo's schema accepts: safe as one path segment. */
  private static final Pattern SEGMENT = Pattern.compile("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");

  private static final DumpSettings YAML = DumpSettings.builder()
      .setDefaultFlowStyle(FlowStyle.BLOCK)
      .setIndent(2)
      .setSplitLines(false)
      .setBestLineBreak("\n")
      .setNonPrintableStyle(NonPrintableStyle.ESCAPE)
      .build();

  /**
   * Strings that a YAML 1.1 reader (Go's yaml, hence kubectl and Kurator) would take for a bool, a
   * null or a number although YAML 1.2 does not: {@code False}, {@code on}, {@code no}, {@code 1_000}.
   */
  private static final Pattern YAML11_NOT_A_STRING = Pattern.compile(
      "(?i)y|yes|n|no|true|false|on|off|null|~|=|[-+]?(0b[01_]+|0x[0-9a-f_]+|[0-9][0-9_:.]*|\\.[0-9_]+|\\.inf|\\.nan)");

  private ObjectFiles() {}

  /** kubectl's way: {@code status: "False"}, quoted. */
  private static final class KubectlRepresenter extends StandardRepresenter {
    KubectlRepresenter() {
      super(YAML);
      var plain = representers.get(String.class);
      representers.put(String.class, data -> YAML11_NOT_A_STRING.matcher((String) data).matches()
          ? representScalar(Tag.STR, (String) data, ScalarStyle.DOUBLE_QUOTED)
          : plain.representData(data));
    }
  }

  /** {@code backups/default/nightly.yaml}, {@code restores/…}, {@code migrations/…}. */
  static String path(Kind kind, ResourceId id) {
    return folder(kind) + "/" + segment(id.namespace()) + "/" + segment(id.name()) + ".yaml";
  }

  static String folder(Kind kind) {
    return switch (kind) {
      case BACKUP -> "backups";
      case RESTORE -> "restores";
      case MIGRATE -> "migrations";
      default -> throw new IllegalArgumentException("no status file for " + kind.kind());
    };
  }

  private static String segment(String name) {
    if (name == null || name.contains("..") || !SEGMENT.matcher(name).matches()) {
      throw new IllegalArgumentException("not a Kubernetes name, cannot be a path segment: \"" + name + "\"");
    }
    return name;
  }

  static byte[] render(Kind kind, WorkflowStatus workflow) {
    Map<String, Object> status = new TreeMap<>();
    put(status, "phase", workflow.phase());
    if (!workflow.conditions().isEmpty()) {
      status.put("conditions", workflow.conditions().stream().map(ObjectFiles::condition).toList());
    }
    switch (kind) {
      case BACKUP -> details(status, "backupDetails", workflow.clusters().stream()
          .map(run -> workflow.schedule().isPresent() ? scheduledBackupDetail(run) : backupDetail(run)).toList());
      case RESTORE -> details(status, "restoreDetails", workflow.clusters().stream().map(ObjectFiles::restoreDetail).toList());
      case MIGRATE -> {
        workflow.clusters().stream().filter(r -> Runs.ROLE_SOURCE.equals(r.role())).findFirst()
            .ifPresent(source -> status.put("sourceClusterStatus", backupDetail(source)));
        details(status, "targetClusterStatus", workflow.clusters().stream()
            .filter(r -> Runs.ROLE_TARGET.equals(r.role())).map(ObjectFiles::restoreDetail).toList());
      }
      default -> throw new IllegalArgumentException("no status file for " + kind.kind());
    }
    Map<String, Object> metadata = new TreeMap<>();
    metadata.put("name", workflow.id().name());
    metadata.put("namespace", workflow.id().namespace());
    Map<String, Object> object = new TreeMap<>();
    object.put("apiVersion", kind.apiVersion());
    object.put("kind", kind.kind());
    object.put("metadata", metadata);
    object.put("status", status);
    String header = "# " + kind.kind() + " " + workflow.id().qualifiedName()
        + " as fleet-backup last observed it: status only, the spec is in the config repo.\n";
    return (header + new Dump(YAML, new KubectlRepresenter()).dumpToString(object)).getBytes(StandardCharsets.UTF_8);
  }

  private static void details(Map<String, Object> status, String key, List<Map<String, Object>> details) {
    if (!details.isEmpty()) {
      status.put(key, details);
    }
  }

  private static Map<String, Object> condition(Condition condition) {
    Map<String, Object> out = new TreeMap<>();
    put(out, "type", condition.type());
    put(out, "status", condition.status() == null ? null : condition.status().name());
    put(out, "reason", condition.reason());
    put(out, "message", condition.message());
    put(out, "lastTransitionTime", condition.lastTransitionTime());
    return out;
  }

  /** Kurator's {@code BackupDetails}: the run shown is the current one, else the last completed one. */
  private static Map<String, Object> backupDetail(ClusterRun run) {
    Optional<VeleroRun> shown = run.current().or(run::lastCompleted);
    return backupDetail(run, run.veleroName().or(() -> shown.map(VeleroRun::name)), shown);
  }

  /**
   * Kurator's {@code BackupDetails} of a scheduled Backup, as its controller fills them: the newest
   * completed run of the Schedule, its name and status; neither before the Schedule has completed one.
   */
  private static Map<String, Object> scheduledBackupDetail(ClusterRun run) {
    return backupDetail(run, run.lastCompleted().map(VeleroRun::name), run.lastCompleted());
  }

  private static Map<String, Object> backupDetail(ClusterRun run, Optional<String> name, Optional<VeleroRun> shown) {
    Map<String, Object> detail = new TreeMap<>();
    detail.put("clusterName", run.cluster());
    detail.put("clusterKind", CLUSTER_KIND);
    put(detail, "backupNameInCluster", name.orElse(null));
    shown.ifPresent(velero -> {
      Map<String, Object> status = runStatus(velero);
      put(status, "expiration", velero.expiration().orElse(null));
      progress(status, velero, "itemsBackedUp");
      status.putAll(velero.counters().fields(RunCounters.BACKUP_ITEM_OPERATIONS));
      detail.put("backupStatusInCluster", status);
    });
    return detail;
  }

  /** Kurator's {@code RestoreDetails}. */
  private static Map<String, Object> restoreDetail(ClusterRun run) {
    Map<String, Object> detail = new TreeMap<>();
    detail.put("clusterName", run.cluster());
    detail.put("clusterKind", CLUSTER_KIND);
    Optional<VeleroRun> shown = run.current().or(run::lastCompleted);
    put(detail, "restoreNameInCluster", run.veleroName().or(() -> shown.map(VeleroRun::name)).orElse(null));
    shown.ifPresent(velero -> {
      Map<String, Object> status = runStatus(velero);
      progress(status, velero, "itemsRestored");
      status.putAll(velero.counters().fields(RunCounters.RESTORE_ITEM_OPERATIONS));
      detail.put("restoreStatusInCluster", status);
    });
    return detail;
  }

  /** The fields Velero's BackupStatus and RestoreStatus share, empty ones left out as Velero does. */
  private static Map<String, Object> runStatus(VeleroRun run) {
    Map<String, Object> status = new TreeMap<>();
    status.put("phase", run.phaseText());
    put(status, "startTimestamp", run.started().orElse(null));
    put(status, "completionTimestamp", run.completed().orElse(null));
    if (run.errors() > 0) {
      status.put("errors", run.errors());
    }
    if (run.warnings() > 0) {
      status.put("warnings", run.warnings());
    }
    put(status, "failureReason", run.failureReason().orElse(null));
    if (!run.validationErrors().isEmpty()) {
      status.put("validationErrors", new ArrayList<>(run.validationErrors()));
    }
    return status;
  }

  private static void progress(Map<String, Object> status, VeleroRun run, String doneKey) {
    if (run.totalItems() > 0 || run.itemsDone() > 0) {
      Map<String, Object> progress = new TreeMap<>();
      progress.put("totalItems", run.totalItems());
      progress.put(doneKey, run.itemsDone());
      status.put("progress", progress);
    }
  }

  /** Absent stays absent; instants as Kubernetes writes them, {@code 2026-11-23T02:00:00Z}. */
  private static void put(Map<String, Object> map, String key, Object value) {
    if (value instanceof Instant instant) {
      map.put(key, instant.truncatedTo(ChronoUnit.SECONDS).toString());
    } else if (value != null) {
      map.put(key, value);
    }
  }
}
