package dev.fleetbackup.model;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A Velero {@code BackupStorageLocation} (velero.io/v1) as fleet-backup writes and reads it: where
 * a member's Backups go (its own prefix, read-write, the default) or come from (another member's
 * prefix, read-only), and whether Velero found it Available. Read and written only through
 * {@code plan.VeleroCodec}.
 */
public record VeleroLocation(VeleroMeta metadata, Spec spec, Status status) {

  public VeleroLocation {
    Objects.requireNonNull(metadata, "metadata");
    Objects.requireNonNull(spec, "spec");
    status = status == null ? Status.NONE : status;
  }

  /**
   * Velero's {@code BackupStorageLocationSpec}, the fields fleet-backup sets, in the order they are written.
   *
   * @param config the object-store plugin's keys ({@code s3Url}, {@code region}, ...)
   * @param defaultLocation JSON {@code default}: Velero's default location for new Backups
   * @param accessMode {@code ReadWrite} or {@code ReadOnly}
   */
  public record Spec(String provider, ObjectStorage objectStorage, Map<String, String> config, Optional<Credential> credential,
      Optional<Boolean> defaultLocation, Optional<String> accessMode, Optional<String> validationFrequency,
      Optional<String> backupSyncPeriod) {

    public Spec {
      provider = provider == null ? "" : provider;
      objectStorage = objectStorage == null ? new ObjectStorage("", "", null) : objectStorage;
      config = Collections2.map(config);
      credential = Collections2.optional(credential);
      defaultLocation = Collections2.optional(defaultLocation);
      accessMode = Collections2.optional(accessMode);
      validationFrequency = Collections2.optional(validationFrequency);
      backupSyncPeriod = Collections2.optional(backupSyncPeriod);
    }
  }

  public record ObjectStorage(String bucket, String prefix, Optional<String> caCert) {
    public ObjectStorage {
      bucket = bucket == null ? "" : bucket;
      prefix = prefix == null ? "" : prefix;
      caCert = Collections2.optional(caCert);
    }
  }

  /** A key of a Secret in Velero's namespace holding the location's own credentials. */
  public record Credential(String name, String key) {}

  /** @param phaseText the phase as Velero wrote it, empty before Velero validated the location; see {@link #phase()} */
  public record Status(String phaseText, Optional<String> message, Optional<Instant> lastSyncedTime,
      Optional<Instant> lastValidationTime) {
    public static final Status NONE = new Status("", null, null, null);

    public Status {
      phaseText = phaseText == null ? "" : phaseText;
      message = Collections2.optional(message);
      lastSyncedTime = Collections2.optional(lastSyncedTime);
      lastValidationTime = Collections2.optional(lastValidationTime);
    }

    public VeleroLocationPhase phase() {
      return VeleroLocationPhase.parse(phaseText);
    }
  }

  public String name() {
    return metadata.name();
  }

  public boolean available() {
    return status.phase() == VeleroLocationPhase.AVAILABLE;
  }

  /** {@code location readonly-kurator-member1 is Unavailable: <Velero's message>}, {@code location default not validated yet}. */
  public String describe() {
    String state = status.phaseText().isEmpty() ? "not validated yet" : "is " + status.phaseText();
    return "location " + name() + " " + state + status.message().filter(m -> !m.isBlank()).map(m -> ": " + m).orElse("");
  }
}
