package dev.fleetbackup.apply;

import dev.fleetbackup.cluster.MemberConnection;
import dev.fleetbackup.cluster.MemberException;
import dev.fleetbackup.model.VeleroLocationPhase;
import dev.fleetbackup.plan.ObjectRef;
import dev.fleetbackup.plan.VeleroCodec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import tools.jackson.databind.node.ObjectNode;

/**
 * Waits, by polling with a deadline on the injected clock, for what the next stage needs: Velero's
 * CRDs established (installed by the CRD Job) before locations and runs; a storage location
 * Available before a Backup run is created in it (Velero fails a backup whose location it has not
 * validated yet). A read that fails counts as not ready yet, but for one the member does not answer:
 * that ends the wait, as the member's apply.
 */
final class ReadinessWaiter {
  static final List<String> VELERO_CRDS = List.of(
      "backupstoragelocations.velero.io", "schedules.velero.io", "backups.velero.io", "restores.velero.io");
  static final Duration INTERVAL = Duration.ofMillis(500);

  private final Clock clock;
  private final Poller poller;

  ReadinessWaiter(Clock clock, Poller poller) {
    this.clock = clock;
    this.poller = poller;
  }

  void awaitCrds(MemberConnection member, Duration timeout) throws TimeoutException, InterruptedException, MemberException {
    Instant deadline = clock.instant().plus(timeout);
    while (true) {
      Optional<String> missing = firstNotEstablished(member);
      if (missing.isEmpty()) {
        return;
      }
      if (clock.instant().isAfter(deadline)) {
        throw new TimeoutException("CRD " + missing.get() + " not established after " + timeout
            + " (the Job velero/velero-upgrade-crds installs Velero's CRDs)");
      }
      poller.pause(INTERVAL);
    }
  }

  /** Waits until the BackupStorageLocation {@code location} reports phase Available. */
  void awaitLocation(MemberConnection member, ObjectRef location, Duration timeout)
      throws TimeoutException, InterruptedException, MemberException {
    Instant deadline = clock.instant().plus(timeout);
    while (true) {
      String phase = phase(member, location);
      if (VeleroLocationPhase.parse(phase) == VeleroLocationPhase.AVAILABLE) {
        return;
      }
      if (clock.instant().isAfter(deadline)) {
        throw new TimeoutException(location + " is not Available after " + timeout
            + (phase.isEmpty() ? " (Velero has not validated it: is the velero Deployment running?)" : " (phase " + phase + ")"));
      }
      poller.pause(INTERVAL);
    }
  }

  /** Velero's word for the location's phase; empty when there is none yet, or it cannot be read. */
  private static String phase(MemberConnection member, ObjectRef location) throws MemberException {
    try {
      Optional<ObjectNode> found = member.get(location);
      return found.isEmpty() ? "" : VeleroCodec.location(found.get()).status().phaseText();
    } catch (MemberException e) {
      if (e.failure().unanswered()) {
        throw e;
      }
      return "";
    } catch (VeleroCodec.Unreadable e) {
      return "";
    }
  }

  private static Optional<String> firstNotEstablished(MemberConnection member) throws MemberException {
    for (String name : VELERO_CRDS) {
      try {
        if (!member.crdEstablished(name)) {
          return Optional.of(name);
        }
      } catch (MemberException e) {
        if (e.failure().unanswered()) {
          throw e;
        }
        return Optional.of(name);
      }
    }
    return Optional.empty();
  }
}
