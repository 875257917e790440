package dev.fleetbackup.diff;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A set of field paths, as server-side apply tracks ownership, used to cut an object down to the
 * fields fleet-backup owns: the fields of its manifest and the fields the server records for its
 * field manager ({@code managedFields[].fieldsV1}). Fields other managers own are left out.
 *
 * <p>A leaf takes the whole value below it. Lists of objects are matched element by element on
 * key fields ({@code name}, or the keys of a {@code k:{...}} entry); other lists are atomic.
 */
final class FieldSet {
  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  private boolean leaf;
  private final Map<String, FieldSet> fields = new LinkedHashMap<>();
  private final List<Map.Entry<JsonNode, FieldSet>> elements = new ArrayList<>();

  private FieldSet() {}

  static FieldSet empty() {
    return new FieldSet();
  }

  /** The fields a manifest sets. */
  static FieldSet ofManifest(JsonNode manifest) {
    FieldSet set = new FieldSet();
    set.addManifest(manifest);
    return set;
  }

  /** The fields of a {@code fieldsV1} tree ({@code f:name}, {@code k:{...}}, {@code v:...}, {@code .}). */
  static FieldSet ofFieldsV1(JsonNode fieldsV1) {
    FieldSet set = new FieldSet();
    set.addFieldsV1(fieldsV1);
    return set;
  }

  FieldSet union(FieldSet other) {
    FieldSet out = new FieldSet();
    out.merge(this);
    out.merge(other);
    return out;
  }

  private void merge(FieldSet other) {
    leaf |= other.leaf;
    other.fields.forEach((name, child) -> fields.computeIfAbsent(name, n -> new FieldSet()).merge(child));
    for (Map.Entry<JsonNode, FieldSet> e : other.elements) {
      FieldSet mine = element(e.getKey());
      mine.merge(e.getValue());
    }
  }

  private FieldSet element(JsonNode key) {
    for (Map.Entry<JsonNode, FieldSet> e : elements) {
      if (e.getKey().equals(key)) {
        return e.getValue();
      }
    }
    FieldSet child = new FieldSet();
    elements.add(Map.entry(key, child));
    return child;
  }

  private void addManifest(JsonNode node) {
    if (node.isObject() && !node.isEmpty()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        fields.computeIfAbsent(e.getKey(), k -> new FieldSet()).addManifest(e.getValue());
      }
    } else if (node.isArray() && isKeyedByName(node)) {
      for (JsonNode item : node) {
        ObjectNode key = JsonNodeFactory.instance.objectNode();
        key.set("name", item.get("name"));
        element(key).addManifest(item);
      }
    } else {
      leaf = true;
    }
  }

  private static boolean isKeyedByName(JsonNode array) {
    if (array.isEmpty()) {
      return false;
    }
    for (JsonNode item : array) {
      if (!item.isObject() || !item.path("name").isString()) {
        return false;
      }
    }
    return true;
  }

  private void addFieldsV1(JsonNode node) {
    if (!node.isObject() || node.isEmpty()) {
      leaf = true;
      return;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = e.getKey();
      if (key.startsWith("f:")) {
        fields.computeIfAbsent(key.substring(2), k -> new FieldSet()).addFieldsV1(e.getValue());
      } else if (key.startsWith("k:") || key.startsWith("v:")) {
        JsonNode match = MAPPER.readTree(key.substring(2));
        FieldSet child = element(key.startsWith("v:") ? JsonNodeFactory.instance.objectNode().set("=", match) : match);
        child.addFieldsV1(e.getValue());
        if (key.startsWith("v:")) {
          child.leaf = true;
        } else {
          match.propertyNames().forEach(k -> child.fields.computeIfAbsent(k, n -> new FieldSet()).leaf = true);
        }
      } else if (!key.equals(".")) {
        leaf = true; // i:<index> and anything newer: keep the whole value
      }
    }
  }

  /** The part of {@code node} this set covers; null when it covers nothing of it. */
  JsonNode project(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return null;
    }
    if (leaf) {
      return node.deepCopy();
    }
    if (node.isObject() && !fields.isEmpty()) {
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      for (Map.Entry<String, FieldSet> e : fields.entrySet()) {
        JsonNode projected = e.getValue().project(node.get(e.getKey()));
        if (projected != null) {
          out.set(e.getKey(), projected);
        }
      }
      return out;
    }
    if (node.isArray() && !elements.isEmpty()) {
      ArrayNode out = JsonNodeFactory.instance.arrayNode();
      for (JsonNode item : node) {
        FieldSet covering = null;
        for (Map.Entry<JsonNode, FieldSet> e : elements) {
          if (matches(e.getKey(), item)) {
            covering = covering == null ? e.getValue() : covering.union(e.getValue());
          }
        }
        if (covering != null) {
          JsonNode projected = covering.project(item);
          out.add(projected == null ? item.deepCopy() : projected);
        }
      }
      return out;
    }
    return null;
  }

  private static boolean matches(JsonNode key, JsonNode item) {
    if (key.has("=")) {
      return key.get("=").equals(item);
    }
    if (!item.isObject()) {
      return false;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = key.properties().iterator(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode value = item.get(e.getKey());
      if (value == null || !sameScalar(value, e.getValue())) {
        return false;
      }
    }
    return true;
  }

  private static boolean sameScalar(JsonNode a, JsonNode b) {
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue()) == 0;
    }
    return a.equals(b);
  }
}
