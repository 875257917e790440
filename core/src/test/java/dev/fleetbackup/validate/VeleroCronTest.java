package dev.fleetbackup.validate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Velero's schedule dialect, robfig/cron v3.0.1's ParseStandard. The cases are robfig's own
 * (parser_test.go, spec_test.go at v3.0.1), in the five fields of ParseStandard where robfig's test
 * uses its six-field parser with a second of 0, and then what Velero's users trip over.
 */
class VeleroCronTest {
  private static final DateTimeFormatter OFFSET = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssZ");

  @ParameterizedTest(name = "valid: {0}")
  @CsvSource(delimiter = '|', textBlock = """
      # parser_test.go TestStandardSpecSchedule, TestParseSchedule
      5 * * * *
      @every 5m
      CRON_TZ=UTC  5 * * * *
      TZ=UTC  @midnight
      TZ=Asia/Tokyo @midnight
      @midnight
      @yearly
      @annually
      # TestRange, each in the minute field
      5 * * * *
      5-5 * * * *
      5-7 * * * *
      5-6/2 * * * *
      5-7/1 * * * *
      */2 * * * *
      # TestField
      1,5-7/2,3 * * * *
      # spec_test.go TestActivation
      0/15 * * * *
      5/15 * * * *
      0/15 * * Jul *
      30 08 ? Jul Sun
      30 08 15 Jul ?
      @hourly
      @daily
      @weekly
      @monthly
      * * 1,15 * Sun
      * * */10 * Sun
      * * */2 * Sun
      # TestNext, without the seconds
      20-35/15 * * * *
      0 0 9 Apr-Oct ?
      0 0 */5 Apr,Aug,Oct Mon
      0 0 * Feb Mon/2
      0 0 29 Feb ?
      TZ=America/New_York 30 2 11 Mar ?
      CRON_TZ=America/New_York 0 * * * ?
      # what robfig's parser takes that others do not
      0 2 ? * *
      ? ? ? ? ?
      0 2 * * SUN
      0 2 * * mon-FRI
      0 2 * jan,JUL *
      *-5 * * * *
      1,,2 * * * *
      +5 * * * *
      05 02 * * *
      0	2  *\u00A0* *
      CRON_TZ= 0 2 * * *
      TZ=Local 0 2 * * *
      @every 1h30m
      @every 1.5s
      """)
  void veleroAcceptsIt(String schedule) {
    VeleroCron.Parsed parsed = VeleroCron.parse(schedule);

    assertThat(parsed.problem()).isEmpty();
    assertThat(parsed.cron()).isPresent();
  }

  @ParameterizedTest(name = "invalid: {0}")
  @CsvSource(delimiter = '|', textBlock = """
      # parser_test.go TestRange, each in the field whose bounds it breaks
      5--5 * * * *             | minute "5--5": a range has one "-"
      0 0 * jan-x *            | month "jan-x": "x" is not a number or a month name (jan to dec)
      0 2-x * * *              | hour "2-x": "x" is not a number
      */-12 * * * *            | minute "*/-12": -12 is negative
      *//2 * * * *             | minute "*//2": a step has one "/"
      0 0 0 * *                | day-of-month "0": 0 is below the minimum, 1
      60 * * * *               | minute "60": 60 is above the maximum, 59
      0 5-3 * * *              | hour "5-3": the range runs backwards, from 5 to 3
      */0 * * * *              | minute "*/0": the step must be a positive number
      # TestStandardSpecSchedule, TestParseScheduleErrors
      5 j * * *                | hour "j": "j" is not a number
      * * * *                  | a cron expression needs 5 fields (minute hour day-of-month month day-of-week), got 4
      @every Xm                | @every needs a Go duration such as 6h or 30m, got "Xm"
      @unrecognized            | unknown descriptor "@unrecognized": use @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly or @every <duration>
      # spec_test.go TestNext, unsatisfiable
      0 0 30 Feb ?             | never runs: no time matches it
      0 0 31 Apr ?             | never runs: no time matches it
      # what Velero refuses and other dialects take
      0 2 * * 7                | day-of-week "7": 7 is above the maximum, 6 (Sunday is 0)
      0 2 * * 1-7              | day-of-week "1-7": 7 is above the maximum, 6 (Sunday is 0)
      0 0 2 * * *              | a cron expression needs 5 fields (minute hour day-of-month month day-of-week), got 6
      0 2 L * *                | day-of-month "L": "L" is not a number
      0 2 * * MON#1            | day-of-week "MON#1": "MON#1" is not a number or a day name (sun to sat)
      0 2 * * Monday           | day-of-week "Monday": "Monday" is not a number or a day name (sun to sat)
      CRON_TZ=UTC              | CRON_TZ=<zone> must be followed by a space and the schedule
      CRON_TZ=Mars/Olympus 0 2 * * * | unknown time zone "Mars/Olympus"
      TZ=+02:00 0 2 * * *      | unknown time zone "+02:00"
      ' CRON_TZ=UTC 0 2 * * *' | a cron expression needs 5 fields (minute hour day-of-month month day-of-week), got 6
      '@daily '                | unknown descriptor "@daily ": use @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly or @every <duration>
      @every  6h               | @every needs a Go duration such as 6h or 30m, got " 6h"
      @every 0s                | @every needs a positive duration, got "0s", which Velero would run every second
      0 , * * *                | never runs: no time matches it
      """)
  void veleroRefusesIt(String schedule, String problem) {
    VeleroCron.Parsed parsed = VeleroCron.parse(schedule);

    assertThat(parsed.cron()).isEmpty();
    assertThat(parsed.problem()).contains(problem);
  }

  @ParameterizedTest(name = "{1} after {0}: {2}")
  @CsvSource(delimiter = '|', textBlock = """
      # spec_test.go TestNext, without the seconds
      2012-07-09T14:45:00+0000 | 0/15 * * * *                          | 2012-07-09T15:00:00+0000
      2012-07-09T14:59:00+0000 | 0/15 * * * *                          | 2012-07-09T15:00:00+0000
      2012-07-09T14:59:59+0000 | 0/15 * * * *                          | 2012-07-09T15:00:00+0000
      2012-07-09T15:45:00+0000 | 20-35/15 * * * *                      | 2012-07-09T16:20:00+0000
      2012-07-09T23:46:00+0000 | */15 * * * *                          | 2012-07-10T00:00:00+0000
      2012-07-09T23:45:00+0000 | 20-35/15 * * * *                      | 2012-07-10T00:20:00+0000
      2012-07-09T23:35:00+0000 | 0 0 9 Apr-Oct ?                       | 2012-08-09T00:00:00+0000
      2012-07-09T23:35:00+0000 | 0 0 */5 Apr,Aug,Oct Mon               | 2012-08-01T00:00:00+0000
      2012-07-09T23:35:00+0000 | 0 0 */5 Oct Mon                       | 2012-10-01T00:00:00+0000
      2012-07-09T23:35:00+0000 | 0 0 * Feb Mon                         | 2013-02-04T00:00:00+0000
      2012-07-09T23:35:00+0000 | 0 0 * Feb Mon/2                       | 2013-02-01T00:00:00+0000
      2012-12-31T23:59:45+0000 | * * * * *                             | 2013-01-01T00:00:00+0000
      2012-07-09T23:35:00+0000 | 0 0 29 Feb ?                          | 2016-02-29T00:00:00+0000
      2012-03-11T00:00:00-0500 | TZ=America/New_York 30 2 11 Mar ?     | 2013-03-11T02:30:00-0400
      2012-03-11T00:00:00-0500 | TZ=America/New_York 0 * * * ?         | 2012-03-11T01:00:00-0500
      2012-03-11T01:00:00-0500 | TZ=America/New_York 0 * * * ?         | 2012-03-11T03:00:00-0400
      2012-03-11T03:00:00-0400 | TZ=America/New_York 0 * * * ?         | 2012-03-11T04:00:00-0400
      2012-03-11T00:00:00-0500 | TZ=America/New_York 0 1 * * ?         | 2012-03-11T01:00:00-0500
      2012-03-11T01:00:00-0500 | TZ=America/New_York 0 1 * * ?         | 2012-03-12T01:00:00-0400
      2012-03-11T00:00:00-0500 | TZ=America/New_York 0 2 * * ?         | 2012-03-12T02:00:00-0400
      2012-11-04T00:00:00-0400 | TZ=America/New_York 30 2 04 Nov ?     | 2012-11-04T02:30:00-0500
      2012-11-04T01:45:00-0400 | TZ=America/New_York 30 1 04 Nov ?     | 2012-11-04T01:30:00-0500
      2012-11-04T00:00:00-0400 | TZ=America/New_York 0 * * * ?         | 2012-11-04T01:00:00-0400
      2012-11-04T01:00:00-0400 | TZ=America/New_York 0 * * * ?         | 2012-11-04T01:00:00-0500
      2012-11-04T01:00:00-0500 | TZ=America/New_York 0 * * * ?         | 2012-11-04T02:00:00-0500
      2012-11-04T00:00:00-0400 | TZ=America/New_York 0 1 * * ?         | 2012-11-04T01:00:00-0400
      2012-11-04T01:00:00-0400 | TZ=America/New_York 0 1 * * ?         | 2012-11-04T01:00:00-0500
      2012-11-04T01:00:00-0500 | TZ=America/New_York 0 1 * * ?         | 2012-11-05T01:00:00-0500
      2012-11-04T00:00:00-0400 | TZ=America/New_York 0 3 * * ?         | 2012-11-04T03:00:00-0500
      2012-11-04T00:00:00-0400 | TZ=America/New_York 0 3 3 * ?         | 2012-12-03T03:00:00-0500
      2018-10-17T05:00:00-0400 | TZ=America/Sao_Paulo 0 9 10 * ?       | 2018-11-10T06:00:00-0500
      2018-02-14T05:00:00-0500 | TZ=America/Sao_Paulo 0 9 22 * ?       | 2018-02-22T07:00:00-0500
      # @every, robfig's ConstantDelaySchedule: whole seconds from the given time
      2012-07-09T14:45:00+0000 | @every 6h                             | 2012-07-09T20:45:00+0000
      2012-07-09T14:45:00+0000 | @every 1.5s                           | 2012-07-09T14:45:01+0000
      """)
  void runsWhenRobfigSays(String after, String schedule, String expected) {
    VeleroCron cron = VeleroCron.parse(schedule).cron().orElseThrow();

    ZonedDateTime from = ZonedDateTime.parse(after, OFFSET);
    assertThat(cron.nextAfter(from).map(t -> t.format(OFFSET))).contains(
        ZonedDateTime.parse(expected, OFFSET).withZoneSameInstant(from.getZone()).format(OFFSET));
  }

  /** spec_test.go TestActivation: whether a schedule runs at that minute. */
  @ParameterizedTest(name = "{1} at {0}: {2}")
  @CsvSource(delimiter = '|', textBlock = """
      2012-07-09T15:00 | 0/15 * * * *    | true
      2012-07-09T15:45 | 0/15 * * * *    | true
      2012-07-09T15:40 | 0/15 * * * *    | false
      2012-07-09T15:05 | 5/15 * * * *    | true
      2012-07-09T15:20 | 5/15 * * * *    | true
      2012-07-09T15:50 | 5/15 * * * *    | true
      2012-07-15T15:00 | 0/15 * * Jul *  | true
      2012-07-15T15:00 | 0/15 * * Jun *  | false
      2012-07-15T08:30 | 30 08 ? Jul Sun | true
      2012-07-15T08:30 | 30 08 15 Jul ?  | true
      2012-07-16T08:30 | 30 08 ? Jul Sun | false
      2012-07-16T08:30 | 30 08 15 Jul ?  | false
      2012-07-09T15:00 | @hourly         | true
      2012-07-09T15:04 | @hourly         | false
      2012-07-09T15:00 | @daily          | false
      2012-07-09T00:00 | @daily          | true
      2012-07-09T00:00 | @weekly         | false
      2012-07-08T00:00 | @weekly         | true
      2012-07-08T01:00 | @weekly         | false
      2012-07-08T00:00 | @monthly        | false
      2012-07-01T00:00 | @monthly        | true
      # both days restricted: either one runs
      2012-07-15T00:00 | * * 1,15 * Sun  | true
      2012-06-15T00:00 | * * 1,15 * Sun  | true
      2012-08-01T00:00 | * * 1,15 * Sun  | true
      2012-07-15T00:00 | * * */10 * Sun  | true
      # one of them a star: both must match
      2012-07-15T00:00 | * * * * Mon     | false
      2012-07-09T00:00 | * * 1,15 * *    | false
      2012-07-15T00:00 | * * 1,15 * *    | true
      2012-07-15T00:00 | * * */2 * Sun   | true
      """)
  void activatesWhenRobfigSays(String minute, String schedule, boolean runs) {
    VeleroCron cron = VeleroCron.parse(schedule).cron().orElseThrow();

    ZonedDateTime at = ZonedDateTime.parse(minute + ":00Z");
    assertThat(cron.nextAfter(at.minusSeconds(1)).filter(at::isEqual).isPresent()).isEqualTo(runs);
  }

  @Test
  void theIntervalIsTheLongestGapAroundThatTime() {
    ZonedDateTime monday = ZonedDateTime.of(2026, 3, 2, 12, 0, 0, 0, ZoneOffset.UTC);

    assertThat(VeleroCron.parse("0 2 * * *").cron().orElseThrow().intervalAround(monday)).isEqualTo(Duration.ofDays(1));
    // Monday and Wednesday: the gap after Wednesday is the one the schedule promises
    assertThat(VeleroCron.parse("0 2 * * 1,3").cron().orElseThrow().intervalAround(monday)).isEqualTo(Duration.ofDays(5));
    assertThat(VeleroCron.parse("*/15 * * * *").cron().orElseThrow().intervalAround(monday)).isEqualTo(Duration.ofMinutes(15));
    assertThat(VeleroCron.parse("@yearly").cron().orElseThrow().intervalAround(monday)).isEqualTo(Duration.ofDays(365));
    assertThat(VeleroCron.parse("@every 6h").cron().orElseThrow().intervalAround(monday)).isEqualTo(Duration.ofHours(6));
  }
}
