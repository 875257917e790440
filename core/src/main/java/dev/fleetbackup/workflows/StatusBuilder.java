package dev.fleetbackup.workflows;

import dev.fleetbackup.model.Backup;
import dev.fleetbackup.model.Destination;
import dev.fleetbackup.model.Migrate;
import dev.fleetbackup.model.PolicySet;
import dev.fleetbackup.model.ResourceId;
import dev.fleetbackup.model.Restore;
import dev.fleetbackup.model.WorkflowStatus;
import dev.fleetbackup.observe.FleetObservation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The status of every Backup, Restore and Migrate from what the members hold: a top-level phase,
 * kstatus conditions ({@code Ready}, {@code Reconciling}, {@code Stalled} with a reason and
 * message) and each cluster's part. Only the conditions' transition times are remembered between
 * calls, so keep one builder per reconciler.
 */
public final class StatusBuilder {
  /** How long a migration target may wait for Velero's sync after the backup completed before it counts as stalled. */
  public static final Duration DEFAULT_SYNC_TIMEOUT = Duration.ofMinutes(10);

  private final Clock clock;
  private final Duration syncTimeout;
  private final Transitions transitions = new Transitions();

  public StatusBuilder(Clock clock, Duration syncTimeout) {
    this.clock = clock;
    this.syncTimeout = syncTimeout;
  }

  public StatusBuilder(Clock clock) {
    this(clock, DEFAULT_SYNC_TIMEOUT);
  }

  public WorkflowStatuses build(PolicySet policies, FleetObservation observed) {
    Instant now = clock.instant();
    List<WorkflowStatus> backups = new ArrayList<>();
    for (Backup b : policies.backups()) {
      List<String> clusters = clusters(policies, b.spec().destination(), b.metadata().namespace());
      Assessment r = b.isScheduled() ? BackupStatuses.scheduled(b, clusters, observed, now)
          : BackupStatuses.immediate(b, clusters, observed, now);
      backups.add(status(b.id(), r, b.spec().schedule().filter(s -> !s.isBlank()), now));
    }
    List<WorkflowStatus> restores = new ArrayList<>();
    for (Restore r : policies.restores()) {
      Optional<Backup> backup = policies.backup(r.metadata().namespace(), r.spec().backupName());
      if (backup.isEmpty()) {
        continue; // validation rejects it
      }
      Destination destination = r.spec().destination().orElse(backup.get().spec().destination());
      List<String> clusters = clusters(policies, destination, r.metadata().namespace());
      WorkflowStatus status = status(r.id(), RestoreStatuses.of(r, backup.get(), clusters, observed), Optional.empty(), now);
      restores.add(new WorkflowStatus(status.id(), status.phase(), status.conditions(), status.clusters(), status.schedule(),
          status.problems(), Optional.of(r.spec().backupName())));
    }
    List<WorkflowStatus> migrations = new ArrayList<>();
    for (Migrate m : policies.migrates()) {
      String ns = m.metadata().namespace();
      List<String> sources = clusters(policies, m.spec().sourceCluster(), ns);
      List<String> targets = clusters(policies, m.spec().targetCluster(), ns).stream()
          .filter(t -> !sources.contains(t)).toList();
      migrations.add(status(m.id(), MigrationStatuses.of(m, sources, targets, observed, now, syncTimeout), Optional.empty(), now));
    }
    transitions.forgetUnseen();
    return new WorkflowStatuses(backups, restores, migrations);
  }

  private WorkflowStatus status(ResourceId id, Assessment r, Optional<String> schedule, Instant now) {
    return new WorkflowStatus(id, r.phase(), transitions.stamp(id, r.conditions(), now), r.clusters(), schedule, r.problems());
  }

  private static List<String> clusters(PolicySet policies, Destination destination, String namespace) {
    return policies.clustersOf(destination, namespace);
  }
}
