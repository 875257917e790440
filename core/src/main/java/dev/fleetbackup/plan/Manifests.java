package dev.fleetbackup.plan;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** Manifest trees: typed fabric8 objects and Velero specs both end up as JSON trees to apply. */
final class Manifests {
  /** Immutable and thread-safe once built. */
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final JsonMapper CANONICAL = JsonMapper.builder().build();
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private Manifests() {}

  static ObjectNode of(HasMetadata typed) {
    return (ObjectNode) CANONICAL.readTree(SERIALIZATION.asJson(typed));
  }

  /** A Velero object: apiVersion, kind, metadata with labels and annotations, and the given spec. */
  static ObjectNode velero(ObjectRef ref, Map<String, String> labels, Map<String, String> annotations, ObjectNode spec) {
    ObjectNode root = NODES.objectNode();
    root.put("apiVersion", ref.kind().apiVersion());
    root.put("kind", ref.kind().kind());
    ObjectNode metadata = root.putObject("metadata");
    metadata.put("name", ref.name());
    metadata.put("namespace", ref.namespace());
    if (!labels.isEmpty()) {
      ObjectNode l = metadata.putObject("labels");
      labels.forEach(l::put);
    }
    if (!annotations.isEmpty()) {
      ObjectNode a = metadata.putObject("annotations");
      annotations.forEach(a::put);
    }
    root.set("spec", spec);
    return root;
  }

  /** 16 hex characters of the SHA-256 of the node's canonical JSON (keys sorted at every level). */
  static String hash(JsonNode node) {
    return Names.sha256(CANONICAL.writeValueAsString(canonical(node))).substring(0, 16);
  }

  private static Object canonical(JsonNode node) {
    if (node.isObject()) {
      Map<String, Object> sorted = new TreeMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        sorted.put(e.getKey(), canonical(e.getValue()));
      }
      return sorted;
    }
    if (node.isArray()) {
      List<Object> items = new ArrayList<>();
      node.forEach(n -> items.add(canonical(n)));
      return items;
    }
    return node;
  }
}
