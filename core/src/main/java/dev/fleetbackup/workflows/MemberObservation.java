package dev.fleetbackup.workflows;

import dev.fleetbackup.model.VeleroLocation;
import dev.fleetbackup.model.VeleroPhase;
import dev.fleetbackup.model.VeleroSchedule;
import dev.fleetbackup.model.VeleroServer;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the workflows know about one member: its Velero Backups (its own and those synced
 * from locations it reads), Restores, Schedules, storage locations, and the Velero server. Read in
 * one go at one moment; nothing else is remembered between passes.
 */
public record MemberObservation(String cluster, List<ObservedRun> backups, List<ObservedRun> restores,
    List<VeleroSchedule> schedules, List<VeleroLocation> locations, VeleroServer server) {

  public MemberObservation {
    Objects.requireNonNull(cluster, "cluster");
    backups = List.copyOf(backups);
    restores = List.copyOf(restores);
    schedules = List.copyOf(schedules);
    locations = List.copyOf(locations);
    Objects.requireNonNull(server, "server");
  }

  public static MemberObservation empty(String cluster) {
    return new MemberObservation(cluster, List.of(), List.of(), List.of(), List.of(), VeleroServer.ABSENT);
  }

  public Optional<ObservedRun> backup(String name) {
    return backups.stream().filter(b -> b.name().equals(name)).findFirst();
  }

  public Optional<VeleroSchedule> schedule(String name) {
    return schedules.stream().filter(s -> s.name().equals(name)).findFirst();
  }

  public Optional<VeleroLocation> location(String name) {
    return locations.stream().filter(l -> l.name().equals(name)).findFirst();
  }

  /** Runs fleet-backup created under {@code base}, oldest first. */
  public static List<ObservedRun> runsOf(List<ObservedRun> runs, String base) {
    return runs.stream()
        .filter(r -> r.runBase().filter(base::equals).isPresent())
        .sorted(Comparator.comparingInt(ObservedRun::runNumber).thenComparing(ObservedRun::name))
        .toList();
  }

  /** The newest run fleet-backup created under {@code base}. */
  public static Optional<ObservedRun> latest(List<ObservedRun> runs, String base) {
    List<ObservedRun> all = runsOf(runs, base);
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
  }

  /** The runs of a Velero Schedule (label {@code velero.io/schedule-name}), oldest first. */
  public List<ObservedRun> scheduleRuns(String schedule) {
    return backups.stream()
        .filter(b -> schedule.equals(b.labels().get(SCHEDULE_NAME)))
        .sorted(Comparator.comparing(ObservedRun::since).thenComparing(ObservedRun::name))
        .toList();
  }

  /** The newest Completed run of a Velero Schedule: what Kurator restores, and what a restore here waits for. */
  public Optional<ObservedRun> newestCompleted(List<ObservedRun> runs) {
    return runs.stream().filter(r -> r.run().phase() == VeleroPhase.COMPLETED)
        .max(Comparator.comparing((ObservedRun r) -> r.run().completed().orElse(r.since())).thenComparing(ObservedRun::name));
  }

  /** Velero's label on a schedule's runs. */
  public static final String SCHEDULE_NAME = "velero.io/schedule-name";
}
