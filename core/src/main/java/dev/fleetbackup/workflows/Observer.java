package dev.fleetbackup.workflows;

import dev.fleetbackup.cluster.MemberConnection;
import dev.fleetbackup.cluster.MemberException;
import dev.fleetbackup.cluster.VeleroReader;
import dev.fleetbackup.model.VeleroBackup;
import dev.fleetbackup.model.VeleroRestore;
import java.util.List;
import java.util.Map;

/**
 * Reads what the workflows decide from in one member: every Backup (including those Velero synced
 * from other locations), Restore, Schedule and storage location in Velero's namespace, and the
 * Velero Deployment. Five requests, all reads.
 */
public final class Observer {
  private final VeleroReader reader;

  public Observer(String namespace) {
    this.reader = new VeleroReader(namespace);
  }

  /** @throws MemberException when the member cannot be read (a missing Velero CRD is read as no objects) */
  public MemberObservation observe(MemberConnection member) throws MemberException {
    String cluster = member.cluster();
    List<ObservedRun> backups = reader.backups(member, Map.of()).stream().map(b -> run(cluster, b)).toList();
    List<ObservedRun> restores = reader.restores(member, Map.of()).stream().map(r -> run(cluster, r)).toList();
    return new MemberObservation(cluster, backups, restores, reader.schedules(member), reader.locations(member),
        reader.server(member));
  }

  private static ObservedRun run(String cluster, VeleroBackup b) {
    return new ObservedRun(b.name(), b.metadata().labels(), b.metadata().annotations(), b.metadata().created(), b.run(cluster),
        b.spec().storageLocation().orElse(""), "");
  }

  private static ObservedRun run(String cluster, VeleroRestore r) {
    return new ObservedRun(r.name(), r.metadata().labels(), r.metadata().annotations(), r.metadata().created(), r.run(cluster),
        "", r.spec().backupName());
  }
}
