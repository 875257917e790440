package dev.fleetbackup.report;

import static dev.fleetbackup.report.Symbols.EMOJI;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The top of README.md, in GitHub's alert syntax ({@code > [!CAUTION]}, which GitLab and Gitea show
 * as a quote): the problems counted by kind, worst first, linked to "Needs attention"; then when the
 * last pass finished and until when the page is current. The page is static, so it cannot say
 * "stale" itself: it says the instant after which it is.
 */
final class Banner {
  private Banner() {}

  static void render(StatusReport report, StringBuilder out) {
    Glance glance = Glance.of(report);
    out.append("> [!").append(glance.level().name()).append("]\n> ");
    List<Glance.Count> present = glance.present();
    if (present.isEmpty() && glance.attention() == 0) {
      out.append(EMOJI.ok()).append(" **All good**: ").append(Layout.ready(report.clusters())).append(" of ")
          .append(Text.count(report.clusters().size(), "cluster", "clusters")).append(" ready, nothing needs attention.");
    } else {
      out.append(present.stream().map(Banner::count).collect(Collectors.joining(" · ")));
      if (glance.attention() > 0) {
        out.append(present.isEmpty() ? "" : " — ").append("[")
            .append(Text.count(glance.attention(), "thing needs attention", "things need attention"))
            .append("](#needs-attention-").append(glance.attention()).append(")");
      } else {
        out.append(" — nothing needs attention.");
      }
    }
    out.append("\n>\n> ").append(time(report)).append("\n\n");
  }

  private static String count(Glance.Count count) {
    String mark = switch (count.level()) {
      case CAUTION -> EMOJI.fail();
      case WARNING -> EMOJI.warn();
      case NOTE, TIP -> EMOJI.waiting();
    };
    String words = count.words();
    return mark + " " + (count.level() == Glance.Level.CAUTION ? "**" + words + "**" : words);
  }

  /**
   * {@code Last pass 2026-11-25 14:03:11 UTC (took 4.2 s), just before this page was written. A
   * pass every 1 min: if it is now later than 2026-11-25 14:06:11 UTC, this page is stale …}.
   */
  static String time(StatusReport report) {
    String last = "Last pass **" + Text.dateSeconds(report.finishedAt()) + "** (took " + Text.duration(report.took())
        + "), just before this page was written.";
    return last + report.interval().map(interval -> " A pass every " + Text.duration(interval) + ": **if it is now later than "
        + Text.dateSeconds(report.staleAfter().orElseThrow()) + ", this page is stale** (written more than "
        + Text.duration(interval.multipliedBy(StatusReport.STALE_INTERVALS)) + " ago, " + StatusReport.STALE_INTERVALS
        + " intervals without a pass): the reconciler has stopped.")
        .orElse(" Written by a single pass (`run --once`): no later pass updates it.");
  }
}
