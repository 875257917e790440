package dev.fleetbackup.plan;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Manifest trees of the typed fabric8 objects of the install (Velero's own go through {@link VeleroCodec}), and spec hashes. */
final class Manifests {
  /** Immutable and thread-safe once built. */
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final JsonMapper CANONICAL = JsonMapper.builder().build();

  private Manifests() {}

  static ObjectNode of(HasMetadata typed) {
    return (ObjectNode) CANONICAL.readTree(SERIALIZATION.asJson(typed));
  }

  /** A tree the schema has checked, as the fabric8 type it has the shape of. */
  static <T> T convert(Object tree, Class<T> type) {
    return SERIALIZATION.convertValue(tree, type);
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
