package dev.fleetbackup.plan;

import java.util.Objects;

/** The object-storage keys of a fleet: its Secret's {@code access-key} and {@code secret-key}. */
public record StorageCredentials(SecretValue accessKey, SecretValue secretKey) {
  public StorageCredentials {
    Objects.requireNonNull(accessKey, "accessKey");
    Objects.requireNonNull(secretKey, "secretKey");
  }

  /** The AWS shared-credentials file Velero's AWS plugin reads, Secret key {@code cloud}. */
  SecretValue awsSharedCredentialsFile() {
    return new SecretValue("[default]\naws_access_key_id=" + accessKey.reveal().strip()
        + "\naws_secret_access_key=" + secretKey.reveal().strip() + "\n");
  }
}
