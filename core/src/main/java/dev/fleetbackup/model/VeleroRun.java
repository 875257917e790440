package dev.fleetbackup.model;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One Velero Backup or Restore in one member cluster, as Velero reports it.
 *
 * @param phaseText Velero's word for the phase, as shown: {@code New} before Velero saw the run,
 *     and a word this version does not know as Velero wrote it; {@link #phase()} parses it
 */
public record VeleroRun(
    String cluster,
    String name,
    String phaseText,
    Optional<Instant> started,
    Optional<Instant> completed,
    Optional<Instant> expiration,
    int totalItems,
    int itemsDone,
    int errors,
    int warnings,
    Optional<String> failureReason,
    List<String> validationErrors,
    RunCounters counters) {

  public VeleroRun {
    counters = counters == null ? RunCounters.NONE : counters;
    VeleroPhase parsed = VeleroPhase.parse(phaseText);
    phaseText = parsed == VeleroPhase.UNKNOWN ? phaseText : parsed.text();
    started = Collections2.optional(started);
    completed = Collections2.optional(completed);
    expiration = Collections2.optional(expiration);
    failureReason = Collections2.optional(failureReason);
    validationErrors = Collections2.list(validationErrors);
  }

  /** A run in a phase this version knows, with none of Velero's further counters. */
  public VeleroRun(String cluster, String name, VeleroPhase phase, Optional<Instant> started, Optional<Instant> completed,
      Optional<Instant> expiration, int totalItems, int itemsDone, int errors, int warnings, Optional<String> failureReason,
      List<String> validationErrors) {
    this(cluster, name, phase.text(), started, completed, expiration, totalItems, itemsDone, errors, warnings, failureReason,
        validationErrors, RunCounters.NONE);
  }

  public VeleroPhase phase() {
    return VeleroPhase.parse(phaseText);
  }

  /** Why the run failed, in Velero's words, when it did. */
  public Optional<String> problem() {
    if (!phase().isFailure()) {
      return Optional.empty();
    }
    if (failureReason.isPresent()) {
      return failureReason;
    }
    if (!validationErrors.isEmpty()) {
      return Optional.of(String.join("; ", validationErrors));
    }
    return Optional.of(phaseText + (errors > 0 ? ", " + errors + " errors" : ""));
  }
}
