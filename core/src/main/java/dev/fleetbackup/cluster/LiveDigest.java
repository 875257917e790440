package dev.fleetbackup.cluster;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * SHA-256 digests of objects, independent of the order of their fields: of a manifest as it is,
 * and of a live object without what the member changes on its own ({@code status}, the
 * resourceVersion and generation, the managedFields entries of the status's writers and every
 * entry's time), so that an object whose status alone moved reads as unchanged.
 */
final class LiveDigest {
  private LiveDigest() {}

  static String of(JsonNode node) {
    MessageDigest sha = sha256();
    feed(sha, node);
    return HexFormat.of().formatHex(sha.digest());
  }

  static String ofText(String text) {
    return HexFormat.of().formatHex(sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  static String ofLive(JsonNode object) {
    if (!object.isObject()) {
      return of(object);
    }
    ObjectNode copy = ((ObjectNode) object).deepCopy();
    copy.remove("status");
    if (copy.get("metadata") instanceof ObjectNode metadata) {
      metadata.remove("resourceVersion");
      metadata.remove("generation"); // a custom resource without a status subresource counts its status writes too
      if (metadata.get("managedFields") instanceof ArrayNode entries) {
        ArrayNode kept = metadata.putArray("managedFields");
        for (JsonNode entry : entries) {
          if (entry instanceof ObjectNode e && !writesStatusOnly(e)) {
            e.remove("time");
            kept.add(e);
          }
        }
      }
    }
    return of(copy);
  }

  /** A writer of the status: through the status subresource, or of nothing but {@code status} (a CRD without one). */
  private static boolean writesStatusOnly(JsonNode entry) {
    if ("status".equals(entry.path("subresource").asString(""))) {
      return true;
    }
    JsonNode fields = entry.path("fieldsV1");
    return fields.isObject() && fields.size() == 1 && fields.has("f:status");
  }

  static String resourceVersion(JsonNode object) {
    return object.path("metadata").path("resourceVersion").asString("");
  }

  private static void feed(MessageDigest sha, JsonNode node) {
    if (node.isObject()) {
      List<String> names = new ArrayList<>(node.propertyNames());
      names.sort(null);
      sha.update((byte) '{');
      for (String name : names) {
        text(sha, name);
        feed(sha, node.get(name));
      }
      sha.update((byte) '}');
    } else if (node.isArray()) {
      sha.update((byte) '[');
      for (JsonNode item : node) {
        feed(sha, item);
      }
      sha.update((byte) ']');
    } else {
      text(sha, node.getNodeType() + ":" + node.asString(""));
    }
  }

  private static void text(MessageDigest sha, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    sha.update((byte) (bytes.length >>> 24));
    sha.update((byte) (bytes.length >>> 16));
    sha.update((byte) (bytes.length >>> 8));
    sha.update((byte) bytes.length);
    sha.update(bytes);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
