package dev.fleetbackup.plan;

import java.util.Objects;
import java.util.Optional;

/**
 * What makes a run the same run: the name it is numbered under ({@code base}, {@code base-2}, ...)
 * and the hash of the spec it was created from. A Restore run also says what it restores, which
 * decides when it may be created and the backup run its {@code spec.backupName} then names.
 */
public record Run(String base, String specHash, Optional<RestoreOf> restores) {
  public Run {
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(specHash, "specHash");
    restores = restores == null ? Optional.empty() : restores;
  }

  /** The run number an annotation {@value Conventions#RUN_NUMBER} holds: 1 when absent or not a positive number. */
  public static int numberOf(String annotation) {
    try {
      return annotation == null ? 1 : Math.max(1, Integer.parseInt(annotation));
    } catch (NumberFormatException e) {
      return 1;
    }
  }

  /** The name of run number {@code n} (1-based): {@code base}, {@code base-2}, ..., fitted to 63 characters. */
  public String nameOf(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("run numbers start at 1: " + n);
    }
    return Names.fit(n == 1 ? base : base + "-" + n);
  }
}
