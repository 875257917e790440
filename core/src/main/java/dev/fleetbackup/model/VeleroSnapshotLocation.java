package dev.fleetbackup.model;

import java.util.Map;
import java.util.Objects;

/**
 * A Velero {@code VolumeSnapshotLocation} (velero.io/v1) as fleet-backup writes it: one per
 * member, {@code default}, when a Fleet's chart values set {@code snapshotsEnabled}. Written only
 * through {@code plan.VeleroCodec}; fleet-backup reads no status of it.
 *
 * @param spec the volume snapshotter ({@code aws}) and its config ({@code region})
 */
public record VeleroSnapshotLocation(VeleroMeta metadata, Spec spec) {
  public VeleroSnapshotLocation {
    Objects.requireNonNull(metadata, "metadata");
    Objects.requireNonNull(spec, "spec");
  }

  public record Spec(String provider, Map<String, String> config) {
    public Spec {
      Objects.requireNonNull(provider, "provider");
      config = Collections2.map(config);
    }
  }
}
