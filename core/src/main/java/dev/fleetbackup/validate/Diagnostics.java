package dev.fleetbackup.validate;

import dev.fleetbackup.model.Diagnostic;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The diagnostics of one validation as they are found, from any thread: the first
 * {@link ValidationReport#MAX_DIAGNOSTICS} in report order (file, line, column) are kept, every one
 * is counted. The first ones of a set do not depend on the order they arrived in, so files read in
 * parallel give the same report every time.
 */
final class Diagnostics {
  private final int limit;
  /** The kept ones, the last in report order on top: the one a smaller newcomer replaces. */
  private final PriorityQueue<Diagnostic> kept = new PriorityQueue<>(Comparator.reverseOrder());
  private long errors;
  private long warnings;

  Diagnostics(int limit) {
    this.limit = limit;
  }

  synchronized void add(Diagnostic diagnostic) {
    if (diagnostic.isError()) {
      errors++;
    } else {
      warnings++;
    }
    if (kept.size() < limit) {
      kept.add(diagnostic);
    } else if (diagnostic.compareTo(kept.peek()) < 0) {
      kept.poll();
      kept.add(diagnostic);
    }
  }

  synchronized long errors() {
    return errors;
  }

  synchronized long warnings() {
    return warnings;
  }

  /** The kept ones, in report order. */
  synchronized List<Diagnostic> first() {
    List<Diagnostic> first = new ArrayList<>(kept);
    first.sort(null);
    return first;
  }
}
