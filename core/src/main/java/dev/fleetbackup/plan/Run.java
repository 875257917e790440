package dev.fleetbackup.plan;

import java.util.Objects;
import java.util.Optional;

/**
 * What makes a run the same run: the name it is numbered under ({@code base}, {@code base-2}, ...)
 * and the hash of the spec it was created from. {@code afterBackup} names the base of a Backup run
 * in the same cluster whose current run must have completed before this run (a Restore) can be
 * created; its {@code spec.backupName} is then set to that run's name.
 */
public record Run(String base, String specHash, Optional<String> afterBackup) {
  public Run {
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(specHash, "specHash");
    afterBackup = afterBackup == null ? Optional.empty() : afterBackup;
  }

  /** The name of run number {@code n} (1-based): {@code base}, {@code base-2}, ..., fitted to 63 characters. */
  public String nameOf(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("run numbers start at 1: " + n);
    }
    return Names.fit(n == 1 ? base : base + "-" + n);
  }
}
