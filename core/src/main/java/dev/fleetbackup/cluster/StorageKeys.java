package dev.fleetbackup.cluster;

import dev.fleetbackup.model.SafeText;
import dev.fleetbackup.plan.SecretValue;

/**
 * The checks on a fleet's storage keys ({@code access-key}, {@code secret-key}), whichever source
 * read them. The planner writes them, stripped, into Velero's credentials file, one
 * {@code key=value} line each: a line break inside a key would add lines of its own choosing (a
 * {@code credential_process} line makes the AWS SDK in Velero's pod run a command), so a key with
 * any control or format character inside is refused, as is an empty or oversized one.
 */
final class StorageKeys {
  /** Far above any real key (AWS: 20 and 40 characters), far below what could hurt. */
  static final int MAX_BYTES = 4096;

  private StorageKeys() {}

  /** @param where names the Secret and key, or the file, for messages; never the value */
  static SecretValue check(String value, String where) throws CredentialsUnavailableException {
    String key = value.strip();
    if (key.isEmpty()) {
      throw new CredentialsUnavailableException(where + " is empty");
    }
    if (SafeText.hasControlOrFormat(key)) {
      throw new CredentialsUnavailableException(where
          + " holds a control character (a line break would add lines to Velero's credentials file); refused");
    }
    return new SecretValue(value);
  }

  static String size(int bytes) {
    return bytes >= 1 << 20 ? (bytes >> 20) + " MiB" : (bytes >> 10) + " KiB";
  }
}
