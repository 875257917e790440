package dev.fleetbackup.workflows;

import dev.fleetbackup.observe.ObservedRun;
import java.time.Instant;
import java.util.Optional;

/** Where one cluster's step of a restore or migration stands, decided from what the clusters hold. */
sealed interface Step permits Step.Done, Step.Ready, Step.Waiting, Step.Blocked {

  /** The step's run exists: it is followed to its end, never created again. */
  record Done(ObservedRun run) implements Step {}

  /** The run can be created now, restoring backup run {@code backupName}. */
  record Ready(String backupName) implements Step {}

  /** Waits for something that comes by itself (a run to complete, Velero's sync); {@code since} when, if known. */
  record Waiting(String waitingFor, Optional<Instant> since) implements Step {}

  /** Cannot go on: what it needs failed, and fleet-backup does not retry failed runs. */
  record Blocked(String waitingFor, String reason, Optional<Instant> since) implements Step {}
}
