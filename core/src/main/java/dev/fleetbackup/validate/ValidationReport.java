package dev.fleetbackup.validate;

import dev.fleetbackup.model.Diagnostic;
import dev.fleetbackup.model.PolicySet;
import java.util.List;
import java.util.Optional;

/**
 * What validating a snapshot found: the policies (complete only when valid), the first
 * {@link #MAX_DIAGNOSTICS} diagnostics sorted by file and line, how many there were in all, and how
 * much was read.
 */
public record ValidationReport(PolicySet policies, List<Diagnostic> diagnostics, long errorCount, long warningCount,
    int files, int objects) {
  /** Diagnostics a report keeps; the counts stay exact. */
  public static final int MAX_DIAGNOSTICS = 100;

  public ValidationReport {
    diagnostics = diagnostics.stream().sorted().limit(MAX_DIAGNOSTICS).toList();
    if (errorCount + warningCount < diagnostics.size()) {
      throw new IllegalArgumentException("fewer diagnostics counted than kept");
    }
  }

  public boolean valid() {
    return errorCount == 0;
  }

  /** How many diagnostics were found but not kept. */
  public long omitted() {
    return errorCount + warningCount - diagnostics.size();
  }

  /** {@code … and 69900 more errors}, when some were not kept. */
  public Optional<String> omittedLine() {
    if (omitted() == 0) {
      return Optional.empty();
    }
    long keptWarnings = diagnostics.stream().filter(d -> !d.isError()).count();
    String noun = warningCount == keptWarnings ? (omitted() == 1 ? "error" : "errors") : "errors and warnings";
    return Optional.of("… and " + omitted() + " more " + noun);
  }

  /** {@code validated 14 files, 23 objects: 3 errors}. */
  public String summary() {
    String counts = "validated " + plural(files, "file") + ", " + plural(objects, "object");
    if (errorCount + warningCount == 0) {
      return counts + ": valid";
    }
    String result = plural(errorCount, "error");
    if (warningCount > 0) {
      result += ", " + plural(warningCount, "warning");
    }
    return counts + ": " + result;
  }

  private static String plural(long n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
