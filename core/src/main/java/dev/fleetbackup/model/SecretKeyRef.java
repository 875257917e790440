package dev.fleetbackup.model;

/** A key in a Secret of the referring object's namespace. Kurator's default key is {@code value}. */
public record SecretKeyRef(String name, String key) {
  public static final String DEFAULT_KEY = "value";

  public SecretKeyRef {
    key = key == null || key.isEmpty() ? DEFAULT_KEY : key;
  }
}
