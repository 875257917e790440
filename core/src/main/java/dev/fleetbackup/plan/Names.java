package dev.fleetbackup.plan;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Object names and label values fitted to Kubernetes' 63-character limit with a stable hash suffix. */
public final class Names {
  public static final int MAX = 63;
  private static final int HASH_CHARS = 10;

  private Names() {}

  /**
   * {@code text} itself when it fits, else its first characters, a dash and 10 hex characters of
   * its SHA-256: stable across runs and machines, and different for texts that share a prefix.
   */
  public static String fit(String text) {
    if (text.length() <= MAX) {
      return text;
    }
    String head = text.substring(0, MAX - HASH_CHARS - 1);
    while (!head.isEmpty() && !Character.isLetterOrDigit(head.charAt(head.length() - 1))) {
      head = head.substring(0, head.length() - 1);
    }
    return head + "-" + sha256(text).substring(0, HASH_CHARS);
  }

  /** Kurator's name for a Velero object: {@code <cluster>-<backup|restore|migrate>-<namespace>-<name>}, unfitted. */
  static String kurator(String cluster, String creatorKind, String namespace, String name) {
    return cluster + "-" + creatorKind + "-" + namespace + "-" + name;
  }

  static String sha256(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }
}
