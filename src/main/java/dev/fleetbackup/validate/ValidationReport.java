package dev.fleetbackup.validate;

import dev.fleetbackup.model.Diagnostic;
import dev.fleetbackup.model.PolicySet;
import java.util.List;

/**
 * What validating a snapshot found: the policies (complete only when valid), every diagnostic
 * sorted by file and line, and how much was read.
 */
public record ValidationReport(PolicySet policies, List<Diagnostic> diagnostics, int files, int objects) {
  public ValidationReport {
    diagnostics = diagnostics.stream().sorted().toList();
  }

  public boolean valid() {
    return errorCount() == 0;
  }

  public long errorCount() {
    return diagnostics.stream().filter(Diagnostic::isError).count();
  }

  public long warningCount() {
    return diagnostics.size() - errorCount();
  }

  /** {@code validated 14 files, 23 objects: 3 errors}. */
  public String summary() {
    String counts = "validated " + plural(files, "file") + ", " + plural(objects, "object");
    if (diagnostics.isEmpty()) {
      return counts + ": valid";
    }
    String result = plural(errorCount(), "error");
    if (warningCount() > 0) {
      result += ", " + plural(warningCount(), "warning");
    }
    return counts + ": " + result;
  }

  private static String plural(long n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
