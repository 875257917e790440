package dev.fleetbackup.validate;

import dev.fleetbackup.model.GoDuration;
import dev.fleetbackup.model.SafeText;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A Velero schedule as Velero reads it: Velero's schedule controller parses
 * {@code Schedule.spec.schedule} with robfig/cron v3.0.1's {@code cron.ParseStandard}, and this is
 * that parser, rule for rule (its {@code parser.go}), and its {@code SpecSchedule.Next}
 * ({@code spec.go}) for when a schedule runs. No Java library reads this dialect: cron-utils'
 * UNIX cron takes {@code 7} for Sunday and refuses {@code ?}, robfig the other way round.
 *
 * <p>The dialect: an optional {@code CRON_TZ=<zone> } or {@code TZ=<zone> } prefix; then a
 * descriptor ({@code @yearly}, {@code @annually}, {@code @monthly}, {@code @weekly},
 * {@code @daily}, {@code @midnight}, {@code @hourly}, {@code @every <Go duration>}) or exactly five
 * fields, minute (0-59), hour (0-23), day-of-month (1-31), month (1-12 or jan-dec), day-of-week
 * (0-6 or sun-sat; 7 is not Sunday). A field is a comma list of {@code *}, {@code ?} (the same as
 * {@code *}, in any field), {@code N}, {@code N-M}, each with an optional {@code /step};
 * {@code N/step} runs from N to the field's maximum. When day-of-month and day-of-week are both
 * restricted, a day matching either runs; when one is {@code *}, the other decides.
 *
 * <p>Two rules are fleet-backup's own, for schedules Velero accepts but nobody means: an
 * {@code @every} of zero or less (Velero runs it every second), and a schedule that never runs
 * ({@code 0 0 30 2 *}).
 */
public final class VeleroCron {
  /** robfig's "a star was written" bit: with it, the other day field alone decides. */
  private static final long STAR = 1L << 63;
  /** Go's unicode.IsSpace, which robfig's strings.Fields splits on and strings.TrimSpace trims. */
  private static final String GO_SPACE = "[\\t\\n\\x0B\\f\\r \\x85\\xA0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000]+";
  private static final Pattern FIELD_SEPARATOR = Pattern.compile(GO_SPACE);
  private static final Pattern SURROUNDING_SPACE = Pattern.compile("^" + GO_SPACE + "|" + GO_SPACE + "$");
  /** Where the "never runs" check starts: any fixed instant does, a schedule that runs at all runs within five years. */
  private static final ZonedDateTime SATISFIABLE_FROM = ZonedDateTime.of(2024, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
  /** How far back {@link #lastRunUpTo} looks for a run, nearest first, as robfig can only look forward. */
  private static final List<Duration> LOOK_BACK = List.of(
      Duration.ofHours(1), Duration.ofDays(1), Duration.ofDays(32), Duration.ofDays(366), Duration.ofDays(5 * 366));

  /** Java's IANA names; not {@code ZoneId.of}, which also takes offsets ({@code +02:00}) that Go refuses. */
  private static final Set<String> ZONES = Set.copyOf(ZoneId.getAvailableZoneIds());

  private enum Field {
    MINUTE("minute", 0, 59, Map.of(), ""),
    HOUR("hour", 0, 23, Map.of(), ""),
    DAY_OF_MONTH("day-of-month", 1, 31, Map.of(), ""),
    MONTH("month", 1, 12, Map.ofEntries(Map.entry("jan", 1), Map.entry("feb", 2), Map.entry("mar", 3), Map.entry("apr", 4),
        Map.entry("may", 5), Map.entry("jun", 6), Map.entry("jul", 7), Map.entry("aug", 8), Map.entry("sep", 9),
        Map.entry("oct", 10), Map.entry("nov", 11), Map.entry("dec", 12)), " or a month name (jan to dec)"),
    DAY_OF_WEEK("day-of-week", 0, 6, Map.of("sun", 0, "mon", 1, "tue", 2, "wed", 3, "thu", 4, "fri", 5, "sat", 6),
        " or a day name (sun to sat)");

    final String label;
    final int min;
    final int max;
    final Map<String, Integer> names;
    final String namesHint;

    Field(String label, int min, int max, Map<String, Integer> names, String namesHint) {
      this.label = label;
      this.min = min;
      this.max = max;
      this.names = names;
      this.namesHint = namesHint;
    }
  }

  /** Why a field, or one range of it, is refused: robfig's checks, in our words. */
  private static final class FieldProblem extends Exception {
    FieldProblem(String message) {
      super(message, null, false, false);
    }
  }

  private final ZoneId zone;
  private final Optional<Duration> every;
  /** The bits of minute, hour, day-of-month, month and day-of-week, as robfig keeps them. */
  private final long[] bits;

  private VeleroCron(ZoneId zone, Optional<Duration> every, long[] bits) {
    this.zone = zone;
    this.every = every;
    this.bits = bits;
  }

  /** Parses an expression, or explains in one sentence why Velero would reject it. */
  public static Parsed parse(String expression) {
    if (expression.isEmpty()) {
      return Parsed.invalid("is empty");
    }
    String spec = expression;
    ZoneId zone = ZoneOffset.UTC;
    if (spec.startsWith("TZ=") || spec.startsWith("CRON_TZ=")) {
      int space = spec.indexOf(' ');
      String prefix = spec.substring(0, spec.indexOf('=') + 1);
      if (space < 0) {
        return Parsed.invalid(prefix + "<zone> must be followed by a space and the schedule");
      }
      String zoneName = spec.substring(prefix.length(), space);
      Optional<ZoneId> known = zone(zoneName);
      if (known.isEmpty()) {
        return Parsed.invalid("unknown time zone " + SafeText.quote(zoneName));
      }
      zone = known.get();
      spec = SURROUNDING_SPACE.matcher(spec.substring(space)).replaceAll("");
    }
    if (spec.startsWith("@")) {
      return descriptor(spec, zone);
    }
    List<String> parts = new ArrayList<>();
    for (String field : FIELD_SEPARATOR.split(spec)) {
      if (!field.isEmpty()) {
        parts.add(field);
      }
    }
    if (parts.size() != 5) {
      return Parsed.invalid("a cron expression needs 5 fields (minute hour day-of-month month day-of-week), got " + parts.size());
    }
    long[] bits = new long[5];
    Field[] order = Field.values();
    try {
      for (int i = 0; i < 5; i++) {
        bits[i] = field(parts.get(i), order[i]);
      }
    } catch (FieldProblem problem) {
      return Parsed.invalid(problem.getMessage());
    }
    VeleroCron cron = new VeleroCron(zone, Optional.empty(), bits);
    // "0 , * * *": robfig takes an empty field, and would search five years, minute by minute
    boolean emptyField = cron.none(Field.MINUTE) || cron.none(Field.HOUR) || cron.none(Field.MONTH);
    if (emptyField || cron.nextAfter(SATISFIABLE_FROM).isEmpty()) {
      return Parsed.invalid("never runs: no time matches it");
    }
    return Parsed.valid(cron);
  }

  /**
   * What Go's {@code time.LoadLocation} takes, as far as Java's time-zone database knows it: an IANA
   * name, {@code UTC}, and {@code ""} or {@code Local} (the Velero server's own zone, UTC in its image).
   */
  private static Optional<ZoneId> zone(String name) {
    if (name.isEmpty() || name.equals("Local") || name.equals("UTC")) {
      return Optional.of(ZoneOffset.UTC);
    }
    return ZONES.contains(name) ? Optional.of(ZoneId.of(name)) : Optional.empty();
  }

  private static Parsed descriptor(String spec, ZoneId zone) {
    String standard = switch (spec) {
      case "@yearly", "@annually" -> "0 0 1 1 *";
      case "@monthly" -> "0 0 1 * *";
      case "@weekly" -> "0 0 * * 0";
      case "@daily", "@midnight" -> "0 0 * * *";
      case "@hourly" -> "0 * * * *";
      default -> null;
    };
    if (standard != null) {
      Parsed parsed = parse(standard);
      return Parsed.valid(new VeleroCron(zone, Optional.empty(), parsed.cron().orElseThrow().bits));
    }
    if (spec.startsWith("@every ")) {
      String text = spec.substring("@every ".length());
      Optional<Duration> duration = GoDuration.parse(text);
      if (duration.isEmpty()) {
        return Parsed.invalid("@every needs a Go duration such as 6h or 30m, got " + SafeText.quote(text));
      }
      if (duration.get().isNegative() || duration.get().isZero()) {
        return Parsed.invalid("@every needs a positive duration, got " + SafeText.quote(text) + ", which Velero would run every second");
      }
      // robfig's Every: at least a second, whole seconds
      Duration delay = duration.get().compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : duration.get().truncatedTo(ChronoUnit.SECONDS);
      return Parsed.valid(new VeleroCron(zone, Optional.of(delay), new long[0]));
    }
    return Parsed.invalid("unknown descriptor " + SafeText.quote(spec)
        + ": use @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly or @every <duration>");
  }

  /** A comma list of ranges; empty items are skipped, as robfig's strings.FieldsFunc does. */
  private static long field(String text, Field field) throws FieldProblem {
    long bits = 0;
    for (String range : text.split(",")) {
      if (!range.isEmpty()) {
        bits |= range(range, field);
      }
    }
    return bits;
  }

  /** {@code *}, {@code ?}, {@code N} or {@code N-M}, then an optional {@code /step}: robfig's getRange. */
  private static long range(String expr, Field field) throws FieldProblem {
    String what = field.label + " " + SafeText.quote(expr);
    String[] rangeAndStep = expr.split("/", -1);
    String[] lowAndHigh = rangeAndStep[0].split("-", -1);
    long start;
    long end;
    long extra = 0;
    if (lowAndHigh[0].equals("*") || lowAndHigh[0].equals("?")) {
      start = field.min; // robfig reads nothing after the star: "*-5" is "*"
      end = field.max;
      extra = STAR;
    } else {
      start = number(lowAndHigh[0], field, what);
      if (lowAndHigh.length == 1) {
        end = start;
      } else if (lowAndHigh.length == 2) {
        end = number(lowAndHigh[1], field, what);
      } else {
        throw new FieldProblem(what + ": a range has one \"-\"");
      }
    }
    long step = 1;
    if (rangeAndStep.length == 2) {
      step = integer(rangeAndStep[1], Map.of(), "", what);
      if (lowAndHigh.length == 1) {
        end = field.max; // "N/step" is "N-max/step"
      }
      if (step > 1) {
        extra = 0;
      }
    } else if (rangeAndStep.length > 2) {
      throw new FieldProblem(what + ": a step has one \"/\"");
    }
    if (start < field.min) {
      throw new FieldProblem(what + ": " + start + " is below the minimum, " + field.min);
    }
    if (end > field.max) {
      String hint = field == Field.DAY_OF_WEEK ? " (Sunday is 0)" : "";
      throw new FieldProblem(what + ": " + end + " is above the maximum, " + field.max + hint);
    }
    if (start > end) {
      throw new FieldProblem(what + ": the range runs backwards, from " + start + " to " + end);
    }
    if (step == 0) {
      throw new FieldProblem(what + ": the step must be a positive number");
    }
    long bits = 0;
    for (long i = start; i <= end; i += step) {
      bits |= 1L << i;
    }
    return bits | extra;
  }

  private static long number(String text, Field field, String what) throws FieldProblem {
    return integer(text, field.names, field.namesHint, what);
  }

  /** A name of the field (any case), else Go's strconv.Atoi: an optional sign, ASCII digits, 64 bits; not negative. */
  private static long integer(String text, Map<String, Integer> names, String namesHint, String what) throws FieldProblem {
    Integer named = names.get(lowerCase(text));
    if (named != null) {
      return named;
    }
    if (!text.matches("[+-]?[0-9]+")) {
      throw new FieldProblem(what + ": " + SafeText.quote(text) + " is not a number" + namesHint);
    }
    long value;
    try {
      value = Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new FieldProblem(what + ": " + SafeText.quote(text) + " is not a number" + namesHint);
    }
    if (value < 0) {
      throw new FieldProblem(what + ": " + value + " is negative");
    }
    return value;
  }

  /** Go's strings.ToLower: rune by rune, the simple mappings (so a Turkish dotted capital I is an i). */
  private static String lowerCase(String text) {
    StringBuilder lower = new StringBuilder(text.length());
    text.codePoints().map(Character::toLowerCase).forEach(lower::appendCodePoint);
    return lower.toString();
  }

  /** The next time the schedule fires after {@code after}, in {@code after}'s zone: robfig's Next. */
  public Optional<ZonedDateTime> nextAfter(ZonedDateTime after) {
    if (every.isPresent()) {
      return Optional.of(after.plus(every.get()).minusNanos(after.getNano()));
    }
    ZonedDateTime t = after.withZoneSameInstant(zone).plusSeconds(1).withNano(0);
    boolean added = false;
    int yearLimit = t.getYear() + 5;
    wrap:
    while (t.getYear() <= yearLimit) {
      while (!has(Field.MONTH, t.getMonthValue())) {
        if (!added) {
          added = true;
          t = t.toLocalDate().withDayOfMonth(1).atStartOfDay(zone);
        }
        t = t.plusMonths(1);
        if (t.getMonthValue() == 1) {
          continue wrap;
        }
      }
      while (!dayMatches(t)) {
        if (!added) {
          added = true;
          t = t.toLocalDate().atStartOfDay(zone);
        }
        t = t.plusDays(1);
        if (t.getHour() != 0) { // where midnight does not exist (DST), robfig goes back or on to it
          t = t.getHour() > 12 ? t.plusHours(24 - t.getHour()) : t.minusHours(t.getHour());
        }
        if (t.getDayOfMonth() == 1) {
          continue wrap;
        }
      }
      while (!has(Field.HOUR, t.getHour())) {
        if (!added) {
          added = true;
          t = t.truncatedTo(ChronoUnit.HOURS);
        }
        t = t.plusHours(1);
        if (t.getHour() == 0) {
          continue wrap;
        }
      }
      while (!has(Field.MINUTE, t.getMinute())) {
        if (!added) {
          added = true;
          t = t.truncatedTo(ChronoUnit.MINUTES);
        }
        t = t.plusMinutes(1);
        if (t.getMinute() == 0) {
          continue wrap;
        }
      }
      while (t.getSecond() != 0) { // ParseStandard's second is always 0
        if (!added) {
          added = true;
          t = t.truncatedTo(ChronoUnit.SECONDS);
        }
        t = t.plusSeconds(1);
        if (t.getSecond() == 0) {
          continue wrap;
        }
      }
      return Optional.of(t.withZoneSameInstant(after.getZone()));
    }
    return Optional.empty();
  }

  private boolean none(Field field) {
    return (bits[field.ordinal()] & ~STAR) == 0;
  }

  private boolean has(Field field, int value) {
    return (bits[field.ordinal()] & (1L << value)) != 0;
  }

  private boolean dayMatches(ZonedDateTime t) {
    boolean dom = has(Field.DAY_OF_MONTH, t.getDayOfMonth());
    boolean dow = has(Field.DAY_OF_WEEK, t.getDayOfWeek().getValue() % 7);
    boolean eitherStarred = ((bits[Field.DAY_OF_MONTH.ordinal()] | bits[Field.DAY_OF_WEEK.ordinal()]) & STAR) != 0;
    return eitherStarred ? dom && dow : dom || dow;
  }

  /** The longest gap between two runs around {@code at}: how often the schedule promises a backup. */
  public Duration intervalAround(ZonedDateTime at) {
    if (every.isPresent()) {
      return every.get();
    }
    Optional<ZonedDateTime> next = nextAfter(at);
    Optional<ZonedDateTime> afterNext = next.flatMap(this::nextAfter);
    Optional<ZonedDateTime> previous = lastRunUpTo(at);
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

  /** The last run at or before {@code at}, found going forward from ever further back. */
  private Optional<ZonedDateTime> lastRunUpTo(ZonedDateTime at) {
    for (Duration back : LOOK_BACK) {
      Optional<ZonedDateTime> run = nextAfter(at.minus(back));
      if (run.isPresent() && !run.get().isAfter(at)) {
        ZonedDateTime last = run.get();
        for (Optional<ZonedDateTime> later = nextAfter(last); later.isPresent() && !later.get().isAfter(at); later = nextAfter(last)) {
          last = later.get();
        }
        return Optional.of(last);
      }
    }
    return Optional.empty();
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
