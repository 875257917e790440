package dev.fleetbackup.diff;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Replaces Secret values before anything is rendered. Equal values become {@code "***"} on both
 * sides, so they show no difference; a changed value becomes {@code "*** (before)"} and
 * {@code "*** (after)"}, so the diff says that it changed but not to what.
 */
public final class Masking {
  static final String MASK = "***";

  private Masking() {}

  /** Masks every value of {@code data} and {@code stringData} of one Secret, in place ({@code build}). */
  public static void maskSecret(JsonNode secret) {
    maskSecretPair(null, secret);
  }

  /** Masks {@code data} and {@code stringData} of two renderings of one Secret, in place. Either may be null. */
  static void maskSecretPair(JsonNode before, JsonNode after) {
    for (String field : new String[] {"data", "stringData"}) {
      ObjectNode b = values(before, field);
      ObjectNode a = values(after, field);
      if (b != null) {
        for (String key : keys(b)) {
          JsonNode other = a == null ? null : a.get(key);
          b.put(key, other == null || other.equals(b.get(key)) ? MASK : MASK + " (before)");
        }
      }
      if (a != null) {
        for (String key : keys(a)) {
          JsonNode other = b == null ? null : b.get(key);
          a.put(key, other == null || other.asString("").equals(MASK) ? MASK : MASK + " (after)");
        }
      }
    }
  }

  private static ObjectNode values(JsonNode secret, String field) {
    return secret instanceof ObjectNode o && o.get(field) instanceof ObjectNode d ? d : null;
  }

  private static List<String> keys(ObjectNode node) {
    List<String> keys = new ArrayList<>();
    node.propertyNames().forEach(keys::add);
    return keys;
  }
}
