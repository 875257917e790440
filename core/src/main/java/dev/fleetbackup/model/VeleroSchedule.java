package dev.fleetbackup.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A Velero {@code Schedule} (velero.io/v1) as fleet-backup writes and reads it: the cron
 * expression and the Backup template, and the status the workflows read. Velero sets and flips
 * {@code skipImmediately} and more; fleet-backup never writes those, so it never owns them.
 */
public record VeleroSchedule(VeleroMeta metadata, Spec spec, Status status) {

  public VeleroSchedule {
    Objects.requireNonNull(metadata, "metadata");
    spec = spec == null ? Spec.EMPTY : spec;
    status = status == null ? Status.NONE : status;
  }

  /** @param schedule the cron expression (robfig's ParseStandard) */
  public record Spec(String schedule, VeleroBackup.Spec template) {
    public static final Spec EMPTY = new Spec("", VeleroBackup.Spec.EMPTY);

    public Spec {
      schedule = schedule == null ? "" : schedule;
      template = template == null ? VeleroBackup.Spec.EMPTY : template;
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
