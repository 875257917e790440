package dev.fleetbackup.validate;

import dev.fleetbackup.model.Backup;
import dev.fleetbackup.model.ConfigResource;
import dev.fleetbackup.model.Diagnostic;
import dev.fleetbackup.model.Fleet;
import dev.fleetbackup.model.GoDuration;
import dev.fleetbackup.model.Restore;
import dev.fleetbackup.model.SafeText;
import dev.fleetbackup.model.SourceMap;
import dev.fleetbackup.model.VeleroRelease;
import dev.fleetbackup.model.VeleroValues;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * What Velero (and the Kubernetes objects fleet-backup renders for it) would refuse, or do other
 * than the author meant, in a Fleet's chart values and the Velero fields of a policy: the versions,
 * image references, flags, labels and durations no schema can check.
 */
final class VeleroRules {
  static final String CHART_REPOSITORY = "https://vmware-tanzu.github.io/helm-charts";
  private static final String VALUES = "/spec/plugin/backup/extraArgs";
  private static final Set<String> FEATURES = Set.of("EnableCSI", "EnableAPIGroupVersions");
  private static final Set<String> SERVER_POD_LABELS = Set.of("component", "deploy");
  private static final Set<String> NODE_AGENT_POD_LABELS = Set.of("component", "name", "role");

  private final Consumer<Diagnostic> report;

  VeleroRules(Consumer<Diagnostic> report) {
    this.report = report;
  }

  private void error(ConfigResource owner, String pointer, String message) {
    report.accept(Diagnostic.error(owner.locate(pointer), message));
  }

  void checkFleet(Fleet fleet) {
    fleet.backup().ifPresent(backup -> {
      backup.chart().ifPresent(chart -> checkChart(fleet, chart));
      checkValues(fleet, backup.extraArgs(), backup.storage().location());
    });
  }

  private void checkChart(Fleet fleet, Fleet.Chart chart) {
    String at = "/spec/plugin/backup/chart";
    chart.name().filter(n -> !n.equals("velero")).ifPresent(n -> error(fleet, at + "/name", "chart " + SafeText.quote(n)
        + ": fleet-backup installs Velero as the velero chart of " + CHART_REPOSITORY + " does, and no other chart"));
    chart.repository().filter(r -> !r.equals(CHART_REPOSITORY)).ifPresent(r -> report.accept(Diagnostic.warning(
        fleet.locate(at + "/repository"), "chart repository " + SafeText.quote(r) + " is not read: fleet-backup renders the Velero"
            + " chart's objects itself and fetches no chart; the images come from extraArgs.image and extraArgs.initContainers")));
    chart.version().filter(v -> VeleroRelease.ofChart(v).isEmpty()).ifPresent(v -> error(fleet, at + "/version",
        VeleroRelease.veleroOfUnsupportedChart(v)
            .map(velero -> "chart version " + SafeText.quote(v) + " ships Velero " + velero + ", which fleet-backup is not tested with")
            .orElse("chart version " + SafeText.quote(v) + " is not a Velero chart release fleet-backup knows")
            + "; supported: " + VeleroRelease.supportedRange()));
  }

  private void checkValues(Fleet fleet, VeleroValues values, Fleet.Location location) {
    values.image().ifPresent(image -> {
      image.repository().flatMap(ImageReference::repositoryProblem).ifPresent(p -> error(fleet, VALUES + "/image/repository", "image.repository " + p));
      image.tag().filter(t -> VeleroRelease.ofTag(t).isEmpty()).ifPresent(t -> error(fleet, VALUES + "/image/tag", "image.tag "
          + SafeText.quote(t) + " is not a Velero version fleet-backup is tested with; supported: " + VeleroRelease.supportedRange()));
    });
    Set<String> names = new HashSet<>();
    for (int i = 0; i < values.initContainers().size(); i++) {
      VeleroValues.PluginContainer plugin = values.initContainers().get(i);
      String at = VALUES + "/initContainers/" + i;
      ImageReference.referenceProblem(plugin.image()).ifPresent(p -> error(fleet, at + "/image", "initContainers[] image " + p));
      if (!names.add(plugin.name())) {
        error(fleet, at + "/name", "init container " + SafeText.quote(plugin.name()) + " is listed twice");
      }
    }
    checkPodLabels(fleet, VALUES + "/podLabels", values.podLabels(), SERVER_POD_LABELS);
    checkTolerations(fleet, VALUES + "/tolerations", values.tolerations());
    VeleroValues.NodeAgent agent = values.nodeAgentValues();
    checkPodLabels(fleet, VALUES + "/nodeAgent/podLabels", agent.podLabels(), NODE_AGENT_POD_LABELS);
    checkTolerations(fleet, VALUES + "/nodeAgent/tolerations", agent.tolerations());
    checkFlags(fleet, VALUES + "/nodeAgent/extraArgs", agent.extraArgs(), VeleroFlags.NODE_AGENT, "velero node-agent server");
    VeleroValues.Configuration configuration = values.configurationValues();
    configuration.features().ifPresent(features -> {
      for (String feature : features.split(",", -1)) {
        if (!FEATURES.contains(feature)) {
          error(fleet, VALUES + "/configuration/features", "feature " + SafeText.quote(feature) + " is not a Velero v1.18 feature flag;"
              + " write a comma-separated list of " + String.join(", ", FEATURES.stream().sorted().toList()));
          break;
        }
      }
    });
    checkFlags(fleet, VALUES + "/configuration/extraArgs", configuration.extraArgs(), VeleroFlags.SERVER, "velero server");
    if (values.snapshots() && location.region().isEmpty()) {
      error(fleet, VALUES + "/snapshotsEnabled", "snapshotsEnabled needs storage.location.region: the volume snapshot location"
          + " of the AWS plugin takes the region its snapshots are in");
    }
  }

  private void checkPodLabels(Fleet fleet, String pointer, Map<String, String> labels, Set<String> reserved) {
    labels.keySet().stream().filter(reserved::contains).forEach(key -> error(fleet, SourceMap.child(pointer, key), "label "
        + SafeText.quote(key) + " is fleet-backup's: the pods' selector and Velero's own lookups use it"));
  }

  private void checkTolerations(Fleet fleet, String pointer, List<VeleroValues.Toleration> tolerations) {
    for (int i = 0; i < tolerations.size(); i++) {
      VeleroValues.Toleration t = tolerations.get(i);
      if ("Exists".equals(t.operator().orElse("")) && t.value().filter(v -> !v.isEmpty()).isPresent()) {
        error(fleet, pointer + "/" + i + "/value", "a toleration with operator Exists takes no value");
      }
      if (t.key().isEmpty() && !"Exists".equals(t.operator().orElse(""))) {
        error(fleet, pointer + "/" + i, "a toleration without a key needs operator Exists");
      }
      if (t.tolerationSeconds().isPresent() && !"NoExecute".equals(t.effect().orElse(""))) {
        error(fleet, pointer + "/" + i + "/tolerationSeconds", "tolerationSeconds needs effect NoExecute");
      }
    }
  }

  private void checkFlags(Fleet fleet, String pointer, List<String> flags, Map<String, VeleroFlags.Value> known, String command) {
    for (int i = 0; i < flags.size(); i++) {
      int index = i;
      VeleroFlags.problem(flags.get(i), known, command).ifPresent(p -> error(fleet, pointer + "/" + index, p));
    }
  }

  void checkBackup(Backup backup) {
    String at = "/spec/policy";
    Backup.Policy policy = backup.spec().effectivePolicy();
    duration(backup, at + "/csiSnapshotTimeout", policy.csiSnapshotTimeout());
    duration(backup, at + "/itemOperationTimeout", policy.itemOperationTimeout());
    forEachHook(policy.hooks(), List.of("pre", "post"), (pointer, hook) ->
        duration(backup, at + "/hooks" + pointer + "/exec/timeout", string(child(hook, "exec"), "timeout")));
    if (policy.datamover().filter(d -> !d.isEmpty()).isPresent() && !policy.snapshotMoveData().orElse(false)) {
      report.accept(Diagnostic.warning(backup.locate(at + "/datamover"), "datamover has no effect without snapshotMoveData: true"));
    }
    if (!backup.isScheduled()) {
      for (var field : Map.of("paused", policy.paused(), "skipImmediately", policy.skipImmediately(),
          "useOwnerReferencesInBackup", policy.useOwnerReferencesInBackup()).entrySet()) {
        if (field.getValue().isPresent()) {
          error(backup, at + "/" + field.getKey(), field.getKey() + " is a field of Velero's Schedule: it applies to a scheduled Backup"
              + " only, and this one has no schedule");
        }
      }
    }
    if (policy.skipImmediately().orElse(false)) {
      error(backup, at + "/skipImmediately", "skipImmediately: true is refused: Velero sets it back to false once it has skipped"
          + " the first run, and fleet-backup, applying the policy every pass, would set it again and skip every run;"
          + " give the Velero server --schedule-skip-immediately=true in the fleet's extraArgs.configuration.extraArgs instead");
    }
  }

  void checkRestore(Restore restore) {
    String at = "/spec/policy";
    Restore.Policy policy = restore.spec().effectivePolicy();
    duration(restore, at + "/itemOperationTimeout", policy.itemOperationTimeout());
    forEachHook(policy.hooks(), List.of("postHooks"), (pointer, hook) -> {
      Map<String, Object> exec = child(hook, "exec");
      duration(restore, at + "/hooks" + pointer + "/exec/execTimeout", string(exec, "execTimeout"));
      duration(restore, at + "/hooks" + pointer + "/exec/waitTimeout", string(exec, "waitTimeout"));
      Map<String, Object> init = child(hook, "init");
      duration(restore, at + "/hooks" + pointer + "/init/timeout", string(init, "timeout"));
      List<?> containers = init.get("initContainers") instanceof List<?> l ? l : List.of();
      for (int i = 0; i < containers.size(); i++) {
        int index = i;
        string(containers.get(i) instanceof Map<?, ?> m ? cast(m) : Map.of(), "image").flatMap(ImageReference::referenceProblem)
            .ifPresent(p -> error(restore, at + "/hooks" + pointer + "/init/initContainers/" + index + "/image", "image " + p));
      }
    });
    policy.scheduleName().ifPresent(s -> error(restore, at + "/scheduleName", "scheduleName is refused: backupName of a scheduled"
        + " Backup already restores the newest Completed run of its Schedule in each cluster, as Velero's scheduleName does,"
        + " and Velero takes one of backupName and scheduleName, never both"));
  }

  private void duration(ConfigResource owner, String pointer, Optional<String> value) {
    value.filter(v -> GoDuration.parse(v).filter(d -> !d.isNegative()).isEmpty()).ifPresent(v -> error(owner, pointer,
        pointer.substring(pointer.lastIndexOf('/') + 1) + " " + SafeText.quote(v) + ": not a Go duration such as 10m, 1h30m or 4h"));
  }

  /** Calls {@code check} with each hook of {@code hooks.resources[i].<list>[j]} and its pointer below {@code hooks}. */
  private static void forEachHook(Map<String, Object> hooks, List<String> lists, BiConsumer<String, Map<String, Object>> check) {
    List<?> resources = hooks.get("resources") instanceof List<?> l ? l : List.of();
    for (int i = 0; i < resources.size(); i++) {
      Map<String, Object> resource = resources.get(i) instanceof Map<?, ?> m ? cast(m) : Map.of();
      for (String list : lists) {
        List<?> entries = resource.get(list) instanceof List<?> l ? l : List.of();
        for (int j = 0; j < entries.size(); j++) {
          if (entries.get(j) instanceof Map<?, ?> hook) {
            check.accept("/resources/" + i + "/" + list + "/" + j, cast(hook));
          }
        }
      }
    }
  }

  private static Map<String, Object> child(Map<String, Object> node, String key) {
    return node.get(key) instanceof Map<?, ?> m ? cast(m) : Map.of();
  }

  private static Optional<String> string(Map<String, Object> node, String key) {
    return node.get(key) instanceof String s ? Optional.of(s) : Optional.empty();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> cast(Map<?, ?> map) {
    return (Map<String, Object>) map;
  }
}
