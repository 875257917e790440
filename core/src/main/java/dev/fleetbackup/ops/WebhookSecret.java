package dev.fleetbackup.ops;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secret the forge and the webhook share: the key of the HMAC the forge signs each body with
 * (GitHub, Gitea, generic), or the token it sends as it is (GitLab). It never leaves the process:
 * {@link #toString} shows none of it, and the webhook's path is derived from it, not it.
 */
public final class WebhookSecret {
  /** Shorter secrets can be guessed offline from one signed request: {@code openssl rand -hex 32} makes a good one. */
  public static final int MIN_BYTES = 16;
  /** What the path token is the HMAC of. */
  static final String PATH_MESSAGE = "fleet-backup webhook path";

  private final byte[] key;

  private WebhookSecret(byte[] key) {
    this.key = key;
  }

  /**
   * The secret as a file or variable holds it, surrounding whitespace (a final line break) left out.
   *
   * @throws IllegalArgumentException when it is shorter than {@link #MIN_BYTES}; the message shows none of it
   */
  public static WebhookSecret of(String text) {
    byte[] key = text.strip().getBytes(StandardCharsets.UTF_8);
    if (key.length < MIN_BYTES) {
      throw new IllegalArgumentException("the webhook secret has " + key.length + " bytes, fewer than " + MIN_BYTES
          + "; make one with: openssl rand -hex 32");
    }
    return new WebhookSecret(key);
  }

  /** The HMAC-SHA256 of {@code data} under this secret. */
  byte[] sign(byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  /** Whether {@code hexSignature} is the HMAC-SHA256 of {@code body}, compared in constant time. */
  boolean signed(byte[] body, String hexSignature) {
    byte[] given;
    try {
      given = HexFormat.of().parseHex(hexSignature);
    } catch (IllegalArgumentException e) {
      return false;
    }
    return MessageDigest.isEqual(sign(body), given);
  }

  /**
   * Whether {@code token} is the secret itself. Both are hashed first, so that the comparison takes
   * the same time whatever their lengths and contents.
   */
  boolean is(String token) {
    return MessageDigest.isEqual(sha256(token.getBytes(StandardCharsets.UTF_8)), sha256(key));
  }

  /** The webhook's path token: the hex HMAC-SHA256 of {@value #PATH_MESSAGE}, unguessable without the secret and the same on every replica. */
  String pathToken() {
    return HexFormat.of().formatHex(sign(PATH_MESSAGE.getBytes(StandardCharsets.UTF_8)));
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  @Override
  public String toString() {
    return "WebhookSecret[" + key.length + " bytes]";
  }
}
