package dev.fleetbackup.observe;

import dev.fleetbackup.model.VeleroBackup;
import dev.fleetbackup.model.VeleroRestore;
import dev.fleetbackup.model.VeleroRun;
import dev.fleetbackup.plan.Conventions;
import dev.fleetbackup.plan.Run;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A Velero Backup or Restore as one member holds it: what Velero reports ({@link VeleroRun}) and
 * what fleet-backup wrote on it when it created it (labels, the run annotations), which is all the
 * memory the workflows have.
 *
 * @param storageLocation a Backup's {@code spec.storageLocation} (a synced Backup names the location it came through)
 * @param backupName a Restore's {@code spec.backupName}, empty for a Backup
 */
public record ObservedRun(String name, Map<String, String> labels, Map<String, String> annotations, Optional<Instant> created,
    VeleroRun run, String storageLocation, String backupName) {

  public ObservedRun {
    Objects.requireNonNull(name, "name");
    labels = Map.copyOf(labels);
    annotations = Map.copyOf(annotations);
    created = created == null ? Optional.empty() : created;
    Objects.requireNonNull(run, "run");
    storageLocation = storageLocation == null ? "" : storageLocation;
    backupName = backupName == null ? "" : backupName;
  }

  /** A Backup as Velero reports it; {@code storageLocation} is its spec's. */
  public static ObservedRun of(String cluster, VeleroBackup b) {
    return new ObservedRun(b.name(), b.metadata().labels(), b.metadata().annotations(), b.metadata().created(), b.run(cluster),
        b.spec().storageLocation().orElse(""), "");
  }

  /** A Restore as Velero reports it, with the backup it restores. */
  public static ObservedRun of(String cluster, VeleroRestore r) {
    return new ObservedRun(r.name(), r.metadata().labels(), r.metadata().annotations(), r.metadata().created(), r.run(cluster),
        "", r.spec().backupName());
  }

  /** The unnumbered name fleet-backup created it under, if it did. */
  public Optional<String> runBase() {
    return Optional.ofNullable(annotations.get(Conventions.RUN));
  }

  public int runNumber() {
    return Run.numberOf(annotations.get(Conventions.RUN_NUMBER));
  }

  public Optional<String> specHash() {
    return Optional.ofNullable(annotations.get(Conventions.SPEC_HASH));
  }

  /** When it started, else when it was created: the order runs of a schedule come in. */
  public Instant since() {
    return run.started().or(() -> created).orElse(Instant.EPOCH);
  }
}
