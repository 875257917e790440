package dev.fleetbackup.plan;

import dev.fleetbackup.model.Backup;
import dev.fleetbackup.model.Migrate;
import dev.fleetbackup.model.Restore;

/**
 * What a Restore run restores, which decides when it may be created and from which backup run:
 * the workflows resolve it from what the clusters hold. Until then its {@code spec.backupName}
 * names the unnumbered source.
 */
public sealed interface RestoreOf permits RestoreOf.FromBackup, RestoreOf.FromMigration {

  /** A Restore policy of a Backup in the same cluster: its current run, or its schedule's newest completed run. */
  record FromBackup(Restore restore, Backup backup) implements RestoreOf {}

  /** A migration's Restore in a target, of the migration's Backup in {@code source}, synced to the target. */
  record FromMigration(Migrate migrate, String source) implements RestoreOf {}
}
