package dev.fleetbackup.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A Velero {@code Schedule} (velero.io/v1) as fleet-backup writes and reads it: the cron
 * expression, the Backup template, whether it is paused, and the status the workflows read. Velero
 * sets and flips {@code skipImmediately}; fleet-backup writes it only as false, which Velero leaves alone.
 */
public record VeleroSchedule(VeleroMeta metadata, Spec spec, Status status) {

  public VeleroSchedule {
    Objects.requireNonNull(metadata, "metadata");
    spec = spec == null ? Spec.EMPTY : spec;
    status = status == null ? Status.NONE : status;
  }

  /**
   * @param schedule the cron expression (robfig's ParseStandard)
   * @param skipImmediately only ever written as false: Velero flips a true one to false once it has
   *     skipped, and re-applying true would skip again
   */
  public record Spec(String schedule, VeleroBackup.Spec template, Optional<Boolean> useOwnerReferencesInBackup,
      Optional<Boolean> paused, Optional<Boolean> skipImmediately) {
    public static final Spec EMPTY = new Spec("", VeleroBackup.Spec.EMPTY, null, null, null);

    public Spec {
      schedule = schedule == null ? "" : schedule;
      template = template == null ? VeleroBackup.Spec.EMPTY : template;
      useOwnerReferencesInBackup = Collections2.optional(useOwnerReferencesInBackup);
      paused = Collections2.optional(paused);
      skipImmediately = Collections2.optional(skipImmediately);
    }
  }

  /** @param phaseText the phase as Velero wrote it, empty before Velero saw the Schedule; see {@link #phase()} */
  public record Status(String phaseText, Optional<Instant> lastBackup, List<String> validationErrors) {
    public static final Status NONE = new Status("", null, null);

    public Status {
      phaseText = phaseText == null ? "" : phaseText;
      lastBackup = Collections2.optional(lastBackup);
      validationErrors = Collections2.list(validationErrors);
    }

    public VeleroSchedulePhase phase() {
      return VeleroSchedulePhase.parse(phaseText);
    }
  }

  public String name() {
    return metadata.name();
  }
}
