package dev.fleetbackup.model;

import java.util.Comparator;
import java.util.Objects;

/** One problem found in the config repo, pinned to the file, line and column of the offending value. */
public record Diagnostic(SourceLocation location, Severity severity, String message)
    implements Comparable<Diagnostic> {

  private static final Comparator<Diagnostic> ORDER =
      Comparator.comparing(Diagnostic::location)
          .thenComparing(Diagnostic::severity)
          .thenComparing(Diagnostic::message);

  public Diagnostic {
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(message, "message");
  }

  public static Diagnostic error(SourceLocation location, String message) {
    return new Diagnostic(location, Severity.ERROR, message);
  }

  public static Diagnostic warning(SourceLocation location, String message) {
    return new Diagnostic(location, Severity.WARNING, message);
  }

  public boolean isError() {
    return severity == Severity.ERROR;
  }

  @Override
  public int compareTo(Diagnostic other) {
    return ORDER.compare(this, other);
  }

  /** The form compilers, editors and CI annotators parse: {@code path:line:col: error: message}. */
  @Override
  public String toString() {
    return location + ": " + severity.label() + ": " + message;
  }
}
