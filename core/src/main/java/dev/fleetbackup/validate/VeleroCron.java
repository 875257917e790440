package dev.fleetbackup.validate;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import dev.fleetbackup.model.GoDuration;
import dev.fleetbackup.model.SafeText;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.Optional;

/**
 * A Velero schedule expression as Velero's cron library (robfig/cron {@code ParseStandard}) reads
 * it: five fields, a descriptor such as {@code @daily}, or {@code @every <Go duration>}, with an
 * optional {@code CRON_TZ=<zone> } prefix.
 */
public final class VeleroCron {
  private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
  private static final Map<String, String> DESCRIPTORS = Map.of(
      "@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *", "@monthly", "0 0 1 * *",
      "@weekly", "0 0 * * 0", "@daily", "0 0 * * *", "@midnight", "0 0 * * *", "@hourly", "0 * * * *");

  private final ZoneId zone;
  private final Optional<Duration> every;
  private final Optional<ExecutionTime> cron;

  private VeleroCron(ZoneId zone, Optional<Duration> every, Optional<ExecutionTime> cron) {
    this.zone = zone;
    this.every = every;
    this.cron = cron;
  }

  /** Parses an expression, or explains in one sentence why Velero would reject it. */
  public static Parsed parse(String expression) {
    String text = expression.trim();
    ZoneId zone = ZoneOffset.UTC;
    if (text.startsWith("CRON_TZ=") || text.startsWith("TZ=")) {
      int space = text.indexOf(' ');
      String zoneName = text.substring(text.indexOf('=') + 1, space < 0 ? text.length() : space);
      try {
        zone = ZoneId.of(zoneName);
      } catch (DateTimeException e) {
        return Parsed.invalid("unknown time zone " + SafeText.quote(zoneName));
      }
      text = space < 0 ? "" : text.substring(space + 1).trim();
    }
    if (text.startsWith("@every ")) {
      String duration = text.substring("@every ".length()).trim();
      return GoDuration.parse(duration)
          .filter(d -> !d.isNegative() && !d.isZero())
          .map(d -> Parsed.valid(new VeleroCron(ZoneOffset.UTC, Optional.of(d), Optional.empty())))
          .orElse(Parsed.invalid("@every needs a positive Go duration such as 6h or 30m, got " + SafeText.quote(duration)));
    }
    if (text.startsWith("@")) {
      String standard = DESCRIPTORS.get(text);
      if (standard == null) {
        return Parsed.invalid("unknown descriptor " + SafeText.quote(text) + " (use @yearly, @monthly, @weekly, @daily, @hourly or @every)");
      }
      text = standard;
    }
    String[] fields = text.isEmpty() ? new String[0] : text.split("\\s+");
    if (fields.length != 5) {
      return Parsed.invalid("a cron expression needs 5 fields (minute hour day-of-month month day-of-week), got " + fields.length);
    }
    try {
      Cron cron = UNIX.parse(text).validate();
      return Parsed.valid(new VeleroCron(zone, Optional.empty(), Optional.of(ExecutionTime.forCron(cron))));
    } catch (IllegalArgumentException e) {
      return Parsed.invalid(Untrusted.text(e.getMessage())); // cron-utils repeats the expression
    }
  }

  /** The next time the schedule fires after {@code after}. */
  public Optional<ZonedDateTime> nextAfter(ZonedDateTime after) {
    if (every.isPresent()) {
      return Optional.of(after.plus(every.get()));
    }
    return cron.flatMap(c -> c.nextExecution(after.withZoneSameInstant(zone)));
  }

  /** The longest gap between two runs around {@code at}: how often the schedule promises a backup. */
  public Duration intervalAround(ZonedDateTime at) {
    if (every.isPresent()) {
      return every.get();
    }
    Optional<ZonedDateTime> next = nextAfter(at);
    Optional<ZonedDateTime> afterNext = next.flatMap(this::nextAfter);
    Optional<ZonedDateTime> previous = cron.flatMap(c -> c.lastExecution(at.withZoneSameInstant(zone)));
    Duration gap = Duration.ZERO;
    if (next.isPresent() && afterNext.isPresent()) {
      gap = Duration.between(next.get(), afterNext.get());
    }
    if (previous.isPresent() && next.isPresent()) {
      Duration before = Duration.between(previous.get(), next.get());
      gap = before.compareTo(gap) > 0 ? before : gap;
    }
    return gap;
  }

  public record Parsed(Optional<VeleroCron> cron, Optional<String> problem) {
    static Parsed valid(VeleroCron cron) {
      return new Parsed(Optional.of(cron), Optional.empty());
    }

    static Parsed invalid(String problem) {
      return new Parsed(Optional.empty(), Optional.of(problem));
    }
  }
}
