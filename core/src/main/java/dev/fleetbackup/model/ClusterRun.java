package dev.fleetbackup.model;

import java.util.List;
import java.util.Optional;

/**
 * Where one cluster stands in a backup, restore or migration: the Velero run that is current for it
 * (if any yet), the newest completed one (what a restore would use), and in words what it waits for.
 *
 * @param role {@code backup}, {@code restore}, {@code source} or {@code target}
 * @param waitingFor empty when nothing blocks this cluster, else for example
 *     "a completed run of schedule kurator-member1-backup-default-nightly"
 * @param history the newest runs the cluster still holds (within their TTL), oldest first, at most
 *     {@link #HISTORY}: a trend to read at a glance
 */
public record ClusterRun(String cluster, String role, Optional<String> veleroName, Optional<VeleroRun> current,
    Optional<VeleroRun> lastCompleted, Optional<String> waitingFor, List<VeleroRun> history) {
  /** The most runs a history keeps. */
  public static final int HISTORY = 10;

  public ClusterRun {
    veleroName = Collections2.optional(veleroName);
    current = Collections2.optional(current);
    lastCompleted = Collections2.optional(lastCompleted);
    waitingFor = Collections2.optional(waitingFor);
    history = Collections2.list(history);
    history = history.size() > HISTORY ? List.copyOf(history.subList(history.size() - HISTORY, history.size())) : history;
  }

  /** No history: a restore, a migration step, or a cluster with no run yet. */
  public ClusterRun(String cluster, String role, Optional<String> veleroName, Optional<VeleroRun> current,
      Optional<VeleroRun> lastCompleted, Optional<String> waitingFor) {
    this(cluster, role, veleroName, current, lastCompleted, waitingFor, List.of());
  }
}
