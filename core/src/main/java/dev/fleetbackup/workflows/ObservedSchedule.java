package dev.fleetbackup.workflows;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** A Velero Schedule as one member holds it: {@code status.phase} is New, Enabled or FailedValidation. */
public record ObservedSchedule(String name, String cron, String phase, Optional<Instant> created, Optional<Instant> lastBackup,
    List<String> validationErrors) {
  public static final String ENABLED = "Enabled";
  public static final String FAILED_VALIDATION = "FailedValidation";

  public ObservedSchedule {
    Objects.requireNonNull(name, "name");
    cron = cron == null ? "" : cron;
    phase = phase == null ? "" : phase;
    created = created == null ? Optional.empty() : created;
    lastBackup = lastBackup == null ? Optional.empty() : lastBackup;
    validationErrors = List.copyOf(validationErrors);
  }
}
