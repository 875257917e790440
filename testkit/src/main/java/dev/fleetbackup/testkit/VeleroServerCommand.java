package dev.fleetbackup.testkit;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a kubelet would run for the {@code velero} Deployment, translated for a host process: the
 * server flags taken from the container's command and args (minus the few that name host
 * resources, which the node sets itself), the container's environment, and its volumes. Pure: no
 * I/O, so it is unit-tested on its own.
 */
record VeleroServerCommand(
    List<String> serverFlags,
    Map<String, String> literalEnv,
    List<String> unresolvedEnv,
    List<Mount> mounts,
    List<String> initContainerImages) {

  /** Flags the node owns: they name host paths, ports or the API server connection. */
  static final Set<String> HOST_FLAGS =
      Set.of(
          "--plugin-dir",
          "--metrics-address",
          "--profiler-address",
          "--kubeconfig",
          "--kubecontext",
          "--namespace",
          "-n");

  /** Environment variables that only make sense inside the image. */
  static final Set<String> IMAGE_ONLY_ENV = Set.of("LD_LIBRARY_PATH", "PATH", "HOME");

  VeleroServerCommand {
    serverFlags = List.copyOf(serverFlags);
    literalEnv = Map.copyOf(literalEnv);
    unresolvedEnv = List.copyOf(unresolvedEnv);
    mounts = List.copyOf(mounts);
    initContainerImages = List.copyOf(initContainerImages);
  }

  /** A volume mount of the container. {@code secretName} is set for Secret volumes. */
  record Mount(String volumeName, String mountPath, Optional<String> secretName, Map<String, String> secretItems) {
    Mount {
      secretItems = Map.copyOf(secretItems);
    }
  }

  static VeleroServerCommand from(Deployment deployment) {
    var podSpec = deployment.getSpec().getTemplate().getSpec();
    Container c =
        podSpec.getContainers().stream()
            .filter(x -> "velero".equals(x.getName()))
            .findFirst()
            .orElse(podSpec.getContainers().get(0));
    List<String> tokens = new ArrayList<>();
    List<String> command = c.getCommand() == null ? List.of() : c.getCommand();
    if (command.size() > 1) {
      tokens.addAll(command.subList(1, command.size()));
    }
    if (c.getArgs() != null) {
      tokens.addAll(c.getArgs());
    }
    if (!tokens.isEmpty() && "server".equals(tokens.get(0))) {
      tokens.remove(0);
    }
    List<String> flags = new ArrayList<>();
    for (int i = 0; i < tokens.size(); i++) {
      String t = tokens.get(i);
      String name = t.contains("=") ? t.substring(0, t.indexOf('=')) : t;
      if (HOST_FLAGS.contains(name)) {
        boolean separateValue =
            !t.contains("=") && i + 1 < tokens.size() && !tokens.get(i + 1).startsWith("-");
        if (separateValue) {
          i++;
        }
        continue;
      }
      flags.add(t);
    }

    String namespace = deployment.getMetadata().getNamespace();
    Map<String, String> env = new LinkedHashMap<>();
    List<String> unresolved = new ArrayList<>();
    if (c.getEnv() != null) {
      for (EnvVar e : c.getEnv()) {
        if (IMAGE_ONLY_ENV.contains(e.getName())) {
          continue;
        }
        if (e.getValueFrom() == null) {
          env.put(e.getName(), e.getValue() == null ? "" : e.getValue());
        } else if (e.getValueFrom().getFieldRef() != null
            && "metadata.namespace".equals(e.getValueFrom().getFieldRef().getFieldPath())) {
          env.put(e.getName(), namespace);
        } else {
          unresolved.add(e.getName());
        }
      }
    }

    Map<String, Volume> volumes = new LinkedHashMap<>();
    if (podSpec.getVolumes() != null) {
      podSpec.getVolumes().forEach(v -> volumes.put(v.getName(), v));
    }
    List<Mount> mounts = new ArrayList<>();
    if (c.getVolumeMounts() != null) {
      for (VolumeMount m : c.getVolumeMounts()) {
        Volume v = volumes.get(m.getName());
        Optional<String> secret = Optional.empty();
        Map<String, String> items = new LinkedHashMap<>();
        if (v != null && v.getSecret() != null) {
          secret = Optional.ofNullable(v.getSecret().getSecretName());
          if (v.getSecret().getItems() != null) {
            v.getSecret().getItems().forEach(it -> items.put(it.getKey(), it.getPath()));
          }
        }
        mounts.add(new Mount(m.getName(), m.getMountPath(), secret, items));
      }
    }
    List<String> images = new ArrayList<>();
    if (podSpec.getInitContainers() != null) {
      podSpec.getInitContainers().forEach(ic -> images.add(ic.getImage()));
    }
    return new VeleroServerCommand(flags, env, unresolved, mounts, images);
  }

  /** The mount whose path contains {@code path} (longest match), if any. */
  Optional<Mount> mountFor(String path) {
    return mounts.stream()
        .filter(m -> path.equals(m.mountPath()) || path.startsWith(m.mountPath().replaceAll("/$", "") + "/"))
        .max((a, b) -> Integer.compare(a.mountPath().length(), b.mountPath().length()));
  }
}
