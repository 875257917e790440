package dev.fleetbackup.model;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code fleet.kurator.dev/v1alpha1 Fleet}: a group of clusters, with the backup plugin to install on them. */
public record Fleet(ObjectMeta metadata, Spec spec, SourceMap source) implements ConfigResource {

  @Override
  public Kind kind() {
    return Kind.FLEET;
  }

  public Optional<BackupConfig> backup() {
    return spec.plugin().flatMap(Plugin::backup);
  }

  public List<String> clusterNames() {
    return spec.clusters().stream().map(ClusterRef::name).toList();
  }

  public record Spec(List<ClusterRef> clusters, Optional<Plugin> plugin) {
    public Spec {
      clusters = Collections2.list(clusters);
      plugin = Collections2.optional(plugin);
    }
  }

  /** Kurator's other plugins (metric, grafana, policy, ...) are accepted and left to Kurator. */
  public record Plugin(Optional<BackupConfig> backup) {
    public Plugin {
      backup = Collections2.optional(backup);
    }
  }

  /** @param extraArgs the Velero chart values Kurator merges into the chart, the ones fleet-backup maps */
  public record BackupConfig(Optional<Chart> chart, Storage storage, VeleroValues extraArgs) {
    public BackupConfig {
      chart = Collections2.optional(chart);
      extraArgs = extraArgs == null ? VeleroValues.NONE : extraArgs;
    }
  }

  public record Chart(Optional<String> repository, Optional<String> name, Optional<String> version) {
    public Chart {
      repository = Collections2.optional(repository);
      name = Collections2.optional(name);
      version = Collections2.optional(version);
    }
  }

  public record Storage(Location location, String secretName) {}

  public record Location(String bucket, String provider, String endpoint, String region, Map<String, String> config) {
    public Location {
      region = region == null ? "" : region;
      config = Collections2.map(config);
    }
  }
}
