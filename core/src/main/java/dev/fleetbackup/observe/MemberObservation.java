package dev.fleetbackup.observe;

import dev.fleetbackup.model.VeleroLocation;
import dev.fleetbackup.model.VeleroPhase;
import dev.fleetbackup.model.VeleroSchedule;
import dev.fleetbackup.model.VeleroServer;
import dev.fleetbackup.plan.DesiredObject;
import dev.fleetbackup.plan.ManagedKind;
import dev.fleetbackup.plan.PastRun;
import dev.fleetbackup.plan.VeleroCodec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One member as a pass read it, once, at one moment ({@link Observer}): its Velero Backups (its own
 * and those synced from locations it reads), Restores, Schedules, storage locations and server,
 * typed; the objects fleet-backup reconciles or may prune, as the member has them; and the runs it
 * made there. Everything a pass decides about the member, it decides from this; nothing else is
 * remembered between passes.
 *
 * @param history the runs fleet-backup made, those the member has and those its inventory
 *     remembers and the member no longer has
 */
public record MemberObservation(String cluster, List<ObservedRun> backups, List<ObservedRun> restores,
    List<VeleroSchedule> schedules, List<VeleroLocation> locations, VeleroServer server, LiveObjects live,
    List<PastRun> history) {

  public MemberObservation {
    Objects.requireNonNull(cluster, "cluster");
    backups = List.copyOf(backups);
    restores = List.copyOf(restores);
    schedules = List.copyOf(schedules);
    locations = List.copyOf(locations);
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(live, "live");
    history = List.copyOf(history);
  }

  /** Velero's objects only, with nothing else read. */
  public MemberObservation(String cluster, List<ObservedRun> backups, List<ObservedRun> restores,
      List<VeleroSchedule> schedules, List<VeleroLocation> locations, VeleroServer server) {
    this(cluster, backups, restores, schedules, locations, server, LiveObjects.NONE, List.of());
  }

  /**
   * This member with the Backup and Restore runs fleet-backup created after reading it, as Velero
   * has them before it starts on them (phase New): the status follows a run from its creation, not
   * only from the next pass.
   */
  public MemberObservation withCreated(List<DesiredObject> runs) {
    List<ObservedRun> moreBackups = new ArrayList<>(backups);
    List<ObservedRun> moreRestores = new ArrayList<>(restores);
    for (DesiredObject run : runs) {
      try {
        if (run.ref().kind() == ManagedKind.BACKUP) {
          moreBackups.add(ObservedRun.of(cluster, VeleroCodec.backup(run.manifest())));
        } else if (run.ref().kind() == ManagedKind.RESTORE) {
          moreRestores.add(ObservedRun.of(cluster, VeleroCodec.restore(run.manifest())));
        }
      } catch (VeleroCodec.Unreadable e) {
        throw new IllegalStateException(run + " is no run fleet-backup rendered", e);
      }
    }
    return new MemberObservation(cluster, moreBackups, moreRestores, schedules, locations, server, live, history);
  }

  /**
   * fleet-backup's inventory in the member, empty when there is none yet.
   *
   * @throws Inventory.InventoryException when it cannot be read as one; the message names who
   *     edited it, when someone other than fleet-backup did
   */
  public Inventory inventory() throws Inventory.InventoryException {
    try {
      return Inventory.read(Optional.ofNullable(live.present().get(Inventory.REF)));
    } catch (Inventory.InventoryException e) {
      if (inventoryOrigin() instanceof InventoryOrigin.Edited edited) {
        throw new Inventory.InventoryException(e.getMessage() + "; it " + edited.describe());
      }
      throw e;
    }
  }

  /** Who wrote the inventory the member holds: fleet-backup, an older fleet-backup, or someone else. */
  public InventoryOrigin inventoryOrigin() {
    return InventoryOrigin.of(live);
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
