package dev.fleetbackup.model;

import java.time.Duration;

/** A duration as fleet-backup's flags take one (Go's form, as kubectl's): {@code 35s}, {@code 1m30s}, {@code 4s999ms}. */
public final class FlagDuration {
  private FlagDuration() {}

  public static String format(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    if (d.isNegative()) {
      return "-" + format(d.negated());
    }
    StringBuilder text = new StringBuilder();
    long[] amounts = {d.toHours(), d.toMinutesPart(), d.toSecondsPart(), d.toMillisPart()};
    String[] units = {"h", "m", "s", "ms"};
    for (int i = 0; i < amounts.length; i++) {
      if (amounts[i] != 0) {
        text.append(amounts[i]).append(units[i]);
      }
    }
    return text.isEmpty() ? d.toNanos() + "ns" : text.toString();
  }
}
