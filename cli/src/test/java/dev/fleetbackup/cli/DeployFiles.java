package dev.fleetbackup.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** What {@code deploy/} tells the Pod, read from its YAML: the container's arguments and the settings ConfigMap's literals. */
final class DeployFiles {
  static final Path DEPLOYMENT = Path.of("deploy/base/deployment.yaml");
  static final Path BASE = Path.of("deploy/base/kustomization.yaml");
  static final Path SAMPLE_OVERLAY = Path.of("deploy/overlays/sample/kustomization.yaml");

  private DeployFiles() {}

  /** The {@code args} of the Deployment's only container, {@code $(VAR)}s unresolved. */
  @SuppressWarnings("unchecked")
  static List<String> containerArgs() {
    Map<String, Object> deployment = (Map<String, Object>) yaml(DEPLOYMENT);
    Map<String, Object> pod = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) deployment.get("spec"))
        .get("template")).get("spec");
    List<Map<String, Object>> containers = (List<Map<String, Object>>) pod.get("containers");
    if (containers.size() != 1) {
      throw new IllegalStateException(DEPLOYMENT + ": expected one container, found " + containers.size());
    }
    return (List<String>) containers.get(0).get("args");
  }

  /** The {@code KEY=value} literals of a kustomization's {@code fleet-backup-settings} ConfigMap, as a map, in order. */
  @SuppressWarnings("unchecked")
  static Map<String, String> settings(Path kustomization) {
    Map<String, Object> k = (Map<String, Object>) yaml(kustomization);
    Map<String, String> out = new LinkedHashMap<>();
    for (Map<String, Object> generator : (List<Map<String, Object>>) k.get("configMapGenerator")) {
      if ("fleet-backup-settings".equals(generator.get("name"))) {
        for (String literal : (List<String>) generator.get("literals")) {
          int eq = literal.indexOf('=');
          out.put(literal.substring(0, eq), literal.substring(eq + 1).strip());
        }
      }
    }
    return out;
  }

  private static Object yaml(Path file) {
    try {
      return new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
