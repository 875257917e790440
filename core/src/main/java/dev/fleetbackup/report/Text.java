package dev.fleetbackup.report;

import dev.fleetbackup.model.SafeText;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Words, numbers and times as every view shows them; every cell goes through {@link #cell}. Times
 * are absolute and in UTC, never "2 days ago": a file must not change only because time passed
 * (see {@link StatusReport#withoutTiming()}); only {@code status}, rendered as of its clock, says how
 * long ago the pass was.
 */
final class Text {
  static final String NONE = "—";
  static final String UNKNOWN = "?";
  static final String SEP = " · ";
  /** The most of one cell a view shows, in code points: a long Velero message is cut, a dozen migration targets are not. */
  static final int CELL_LIMIT = 500;

  private static final DateTimeFormatter SHORT =
      DateTimeFormatter.ofPattern("MMM d HH:mm", Locale.ENGLISH).withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter MINUTES =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ENGLISH).withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter SECONDS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ENGLISH).withZone(ZoneOffset.UTC);

  private Text() {}

  /** {@code Nov 23 02:00}: the time of a run or of a problem, in a table cell. */
  static String when(Instant instant) {
    return SHORT.format(instant);
  }

  /** {@code 2026-11-25 14:02 UTC}. */
  static String date(Instant instant) {
    return MINUTES.format(instant);
  }

  /** {@code 2026-11-25 14:03:11 UTC}. */
  static String dateSeconds(Instant instant) {
    return SECONDS.format(instant);
  }

  /** {@code 4.2 s}, {@code 2 min 5 s}, {@code 1 h 3 min}. */
  static String duration(Duration duration) {
    long millis = Math.max(0, duration.toMillis());
    if (millis < 60_000) {
      long tenths = (millis + 50) / 100;
      return tenths % 10 == 0 ? tenths / 10 + " s" : tenths / 10 + "." + tenths % 10 + " s";
    }
    long seconds = (millis + 500) / 1000;
    if (seconds < 3600) {
      return seconds / 60 + " min" + (seconds % 60 == 0 ? "" : " " + seconds % 60 + " s");
    }
    long minutes = seconds / 60;
    return minutes / 60 + " h" + (minutes % 60 == 0 ? "" : " " + minutes % 60 + " min");
  }

  /** {@code 1,204 items}, {@code 1 error}. */
  static String count(long n, String singular, String plural) {
    return String.format(Locale.ROOT, "%,d", n) + " " + (n == 1 ? singular : plural);
  }

  static String number(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /** What a view shows of a cell, whoever wrote it: trimmed, cut, on one line (SafeText). */
  static String cell(String text) {
    return SafeText.oneLine(SafeText.truncate(text.strip(), CELL_LIMIT));
  }
}
