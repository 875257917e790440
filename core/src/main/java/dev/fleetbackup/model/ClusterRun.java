package dev.fleetbackup.model;

import java.util.Optional;

/**
 * Where one cluster stands in a backup, restore or migration: the Velero run that is current for it
 * (if any yet), the newest completed one (what a restore would use), and in words what it waits for.
 *
 * @param role {@code backup}, {@code restore}, {@code source} or {@code target}
 * @param waitingFor empty when nothing blocks this cluster, else for example
 *     "a completed run of schedule kurator-member1-backup-default-nightly"
 */
public record ClusterRun(String cluster, String role, Optional<String> veleroName, Optional<VeleroRun> current,
    Optional<VeleroRun> lastCompleted, Optional<String> waitingFor) {
  public ClusterRun {
    veleroName = Collections2.optional(veleroName);
    current = Collections2.optional(current);
    lastCompleted = Collections2.optional(lastCompleted);
    waitingFor = Collections2.optional(waitingFor);
  }
}
