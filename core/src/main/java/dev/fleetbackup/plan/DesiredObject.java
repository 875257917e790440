package dev.fleetbackup.plan;

import dev.fleetbackup.model.VeleroRestore;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.node.ObjectNode;

/**
 * One object fleet-backup wants in a member cluster: its identity and the manifest to apply. A run
 * (Velero Backup or Restore, the CRD-installer Job) also carries its {@link Run} identity; its
 * name is final only once the workflows have looked at the runs that already exist ({@link #numbered}).
 *
 * <p>{@link #toString()} never prints the manifest: a Secret's manifest holds credentials.
 */
public record DesiredObject(ObjectRef ref, ObjectNode manifest, Optional<Run> run) {

  public DesiredObject {
    Objects.requireNonNull(ref, "ref");
    manifest = manifest.deepCopy();
    run = run == null ? Optional.empty() : run;
    String name = manifest.path("metadata").path("name").asString("");
    if (!name.equals(ref.name())) {
      throw new IllegalArgumentException("manifest name " + name + " does not match " + ref);
    }
    if (run.isPresent() != (ref.kind().lifecycle() == ManagedKind.Lifecycle.RUN)) {
      throw new IllegalArgumentException(ref + ": a run identity is required exactly for runs");
    }
  }

  static DesiredObject reconciled(ObjectRef ref, ObjectNode manifest) {
    return new DesiredObject(ref, manifest, Optional.empty());
  }

  /** A copy of the manifest; the record itself stays immutable. */
  @Override
  public ObjectNode manifest() {
    return manifest.deepCopy();
  }

  /**
   * This run as run number {@code number} of its base, named {@code base}, {@code base-2}, ...;
   * a Restore restoring backup run {@code backupName} when given.
   */
  public DesiredObject numbered(int number, Optional<String> backupName) {
    Run identity = run.orElseThrow(() -> new IllegalStateException(ref + " is not a run"));
    String name = identity.nameOf(number);
    ObjectNode renamed = manifest();
    ObjectNode metadata = (ObjectNode) renamed.get("metadata");
    metadata.put("name", name);
    metadata.withObject("/annotations").put(Conventions.RUN, identity.base());
    metadata.withObject("/annotations").put(Conventions.RUN_NUMBER, Integer.toString(number));
    if (backupName.isPresent()) {
      try {
        VeleroRestore restore = VeleroCodec.restore(renamed);
        renamed = VeleroCodec.encode(new VeleroRestore(restore.metadata(), restore.spec().withBackupName(backupName.get()),
            restore.status()));
      } catch (VeleroCodec.Unreadable e) {
        throw new IllegalStateException(this + " is no Restore fleet-backup rendered", e);
      }
    }
    return new DesiredObject(ref.withName(name), renamed, run);
  }

  public boolean isRun() {
    return run.isPresent();
  }

  @Override
  public String toString() {
    return "DesiredObject[" + ref + run.map(r -> " run " + r.base() + " #" + r.specHash()).orElse("") + "]";
  }
}
