package dev.fleetbackup.workflows;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** How times, durations and lists read in status messages. */
final class Words {
  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

  private Words() {}

  /** {@code 2026-11-23 02:20} (UTC). */
  static String when(Instant t) {
    return WHEN.format(t);
  }

  /** {@code 24 h}, {@code 5 min}, {@code 90 s}. */
  static String duration(Duration d) {
    if (d.toHours() > 0 && d.toMinutesPart() == 0 && d.toSecondsPart() == 0) {
      return d.toHours() + " h";
    }
    if (d.toMinutes() > 0 && d.toSecondsPart() == 0) {
      return d.toMinutes() + " min";
    }
    return d.toSeconds() + " s";
  }

  /** {@code a}, {@code a and b}, {@code a, b and c}. */
  static String and(List<String> items) {
    if (items.size() <= 1) {
      return String.join("", items);
    }
    return String.join(", ", items.subList(0, items.size() - 1)) + " and " + items.get(items.size() - 1);
  }

  static String count(long n, String one, String many) {
    return n + " " + (n == 1 ? one : many);
  }
}
