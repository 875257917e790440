package dev.fleetbackup.cli;

import dev.fleetbackup.model.Diagnostic;
import dev.fleetbackup.model.SafeText;

/**
 * A diagnostic as compilers, editors and CI problem matchers read one:
 * {@code path:line:col: error: message}, on exactly one line. The path and the message come from
 * the config repo (Git allows any byte but NUL and {@code /} in a name), so both go through
 * {@link SafeText}: a line break or an escape sequence is shown, never sent, and no line starts
 * with a workflow command ({@code ::error …}) that is not ours.
 */
final class DiagnosticLine {
  private DiagnosticLine() {}

  static String render(Diagnostic diagnostic) {
    return SafeText.oneLine(diagnostic.location().file()) + ":" + diagnostic.location().line() + ":"
        + diagnostic.location().column() + ": " + diagnostic.severity().label() + ": "
        + SafeText.oneLine(diagnostic.message());
  }
}
