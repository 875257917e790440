package dev.fleetbackup.model;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Velero Helm chart values a Fleet sets in {@code spec.plugin.backup.extraArgs}, as Kurator
 * merges them into the chart, limited to the ones fleet-backup maps onto the install it renders
 * (the schema refuses every other key). Absent is absent: each default is the install's, not here.
 *
 * <p>{@code affinity} stays a tree: it is a Kubernetes {@code Affinity}, checked by the schema
 * field for field and handed to the pod spec as it is; nothing in fleet-backup reads it.
 */
public record VeleroValues(Optional<Image> image, Optional<Resources> resources, List<PluginContainer> initContainers,
    Map<String, String> podAnnotations, Map<String, String> podLabels, List<Toleration> tolerations,
    Map<String, String> nodeSelector, Map<String, Object> affinity, Optional<String> priorityClassName,
    Optional<Boolean> deployNodeAgent, Optional<NodeAgent> nodeAgent, Optional<Configuration> configuration,
    Optional<Boolean> snapshotsEnabled) {

  public static final VeleroValues NONE = new VeleroValues(null, null, null, null, null, null, null, null, null, null, null, null, null);

  public VeleroValues {
    image = Collections2.optional(image);
    resources = Collections2.optional(resources);
    initContainers = Collections2.list(initContainers);
    podAnnotations = Collections2.map(podAnnotations);
    podLabels = Collections2.map(podLabels);
    tolerations = Collections2.list(tolerations);
    nodeSelector = Collections2.map(nodeSelector);
    affinity = Collections2.map(affinity);
    priorityClassName = Collections2.optional(priorityClassName);
    deployNodeAgent = Collections2.optional(deployNodeAgent);
    nodeAgent = Collections2.optional(nodeAgent);
    configuration = Collections2.optional(configuration);
    snapshotsEnabled = Collections2.optional(snapshotsEnabled);
  }

  /** Kurator's default: the node agent runs. */
  public boolean nodeAgentDeployed() {
    return deployNodeAgent.orElse(true);
  }

  /** Kurator's default: no volume snapshot location. */
  public boolean snapshots() {
    return snapshotsEnabled.orElse(false);
  }

  public NodeAgent nodeAgentValues() {
    return nodeAgent.orElse(NodeAgent.NONE);
  }

  public Configuration configurationValues() {
    return configuration.orElse(Configuration.NONE);
  }

  public record Image(Optional<String> repository, Optional<String> tag, Optional<String> pullPolicy) {
    public Image {
      repository = Collections2.optional(repository);
      tag = Collections2.optional(tag);
      pullPolicy = Collections2.optional(pullPolicy);
    }
  }

  /** Requests and limits by resource name ({@code cpu}, {@code memory}, {@code ephemeral-storage}), as quantities. */
  public record Resources(Map<String, String> requests, Map<String, String> limits) {
    public Resources {
      requests = Collections2.map(requests);
      limits = Collections2.map(limits);
    }
  }

  /** A plugin image, run as an init container that copies the plugin into the plugins volume. */
  public record PluginContainer(String name, String image, Optional<String> imagePullPolicy, Optional<Resources> resources) {
    public PluginContainer {
      imagePullPolicy = Collections2.optional(imagePullPolicy);
      resources = Collections2.optional(resources);
    }
  }

  public record Toleration(Optional<String> key, Optional<String> operator, Optional<String> value, Optional<String> effect,
      Optional<Long> tolerationSeconds) {
    public Toleration {
      key = Collections2.optional(key);
      operator = Collections2.optional(operator);
      value = Collections2.optional(value);
      effect = Collections2.optional(effect);
      tolerationSeconds = Collections2.optional(tolerationSeconds);
    }
  }

  /** The node agent DaemonSet's values. */
  public record NodeAgent(Optional<Resources> resources, List<Toleration> tolerations, Map<String, String> nodeSelector,
      Map<String, Object> affinity, Optional<String> priorityClassName, Map<String, String> annotations,
      Map<String, String> labels, Map<String, String> podLabels, List<String> extraArgs) {
    public static final NodeAgent NONE = new NodeAgent(null, null, null, null, null, null, null, null, null);

    public NodeAgent {
      resources = Collections2.optional(resources);
      tolerations = Collections2.list(tolerations);
      nodeSelector = Collections2.map(nodeSelector);
      affinity = Collections2.map(affinity);
      priorityClassName = Collections2.optional(priorityClassName);
      annotations = Collections2.map(annotations);
      labels = Collections2.map(labels);
      podLabels = Collections2.map(podLabels);
      extraArgs = Collections2.list(extraArgs);
    }
  }

  /** Flags of {@code velero server}. */
  public record Configuration(Optional<String> uploaderType, Optional<Boolean> defaultVolumesToFsBackup, Optional<String> features,
      Optional<String> logLevel, Optional<String> logFormat, List<String> extraArgs) {
    public static final Configuration NONE = new Configuration(null, null, null, null, null, null);

    public Configuration {
      uploaderType = Collections2.optional(uploaderType);
      defaultVolumesToFsBackup = Collections2.optional(defaultVolumesToFsBackup);
      features = Collections2.optional(features);
      logLevel = Collections2.optional(logLevel);
      logFormat = Collections2.optional(logFormat);
      extraArgs = Collections2.list(extraArgs);
    }
  }
}
