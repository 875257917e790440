package dev.fleetbackup.report;

import static dev.fleetbackup.report.SampleReports.M1;
import static dev.fleetbackup.report.SampleReports.t;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetbackup.model.ClusterRun;
import dev.fleetbackup.model.Diagnostic;
import dev.fleetbackup.model.Revision;
import dev.fleetbackup.model.SourceLocation;
import dev.fleetbackup.model.VeleroRun;
import dev.fleetbackup.model.WorkflowStatus;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** README.md of the status branch read at a glance, on its Markdown and on the HTML GitHub would make of it. */
class StatusPageTest {
  private static final String SHA = "9a7d003e1f2a3b4c5d6e7f8091a2b3c4d5e6f708";

  private static String readme(StatusReport report) {
    return readme(report, Optional.empty());
  }

  private static String readme(StatusReport report, Optional<ForgeLinks> forge) {
    return new String(new StatusFiles(forge).render(report).get(StatusFiles.README), UTF_8);
  }

  private static String line(String readme, String start) {
    return readme.lines().filter(l -> l.startsWith(start)).findFirst().orElseThrow(() -> new AssertionError(start + " in " + readme));
  }

  @Test
  void aFleetWithProblemsOpensWithACautionThatCountsThemWorstFirst() {
    String readme = readme(SampleReports.quickstart());

    assertThat(GithubMarkdown.alert(GithubMarkdown.html(readme))).isEqualTo("CAUTION");
    assertThat(line(readme, "> ❌")).isEqualTo("> ❌ **1 rejected commit** · ❌ **1 unreachable cluster**"
        + " · ❌ **1 failed workflow** · ⚠️ 1 partially failed run · ⏳ 1 run in progress"
        + " — [6 things need attention](#needs-attention-6)");
    assertThat(readme).contains("\n## Needs attention (6)\n");
  }

  @Test
  void aHealthyFleetOpensWithATipThatSaysAllGood() {
    String readme = readme(SampleReports.healthy());

    assertThat(GithubMarkdown.alert(GithubMarkdown.html(readme))).isEqualTo("TIP");
    assertThat(readme).contains("> [!TIP]\n> ✅ **All good**: 2 of 2 clusters ready, nothing needs attention.\n");
  }

  @Test
  void runsUnderWayAndNothingWrongIsANote() {
    StatusReport healthy = SampleReports.healthy();
    WorkflowStatus nightly = healthy.backups().get(0);
    List<VeleroRun> history = SampleReports.nightlies(M1, "CCCCCCCCCI", "2026-11-25T02:00:00Z");
    VeleroRun running = history.get(history.size() - 1);
    List<ClusterRun> runs = List.of(new ClusterRun(M1, "backup", Optional.of(M1 + "-backup-default-nightly"),
        Optional.of(running), Optional.of(history.get(8)), Optional.empty(), history), nightly.clusters().get(1));

    String readme = readme(withBackups(healthy, List.of(new WorkflowStatus(nightly.id(), "Enabled", nightly.conditions(),
        runs, nightly.schedule(), List.of()))));

    assertThat(readme).contains("> [!NOTE]\n> ⏳ 1 run in progress — nothing needs attention.\n");
  }

  @Test
  void theBannerSaysWhenThePassWasAndFromWhenThePageIsStale() {
    assertThat(readme(SampleReports.healthy())).contains("\n>\n> Last pass **2026-11-25 14:03:11 UTC** (took 2.1 s),"
        + " just before this page was written. A pass every 1 min: **if it is now later than 2026-11-25 14:06:11 UTC,"
        + " this page is stale** (written more than 3 min ago, 3 intervals without a pass): the reconciler has stopped.\n");
    assertThat(readme(SampleReports.healthy().withInterval(Optional.empty())))
        .contains("(took 2.1 s), just before this page was written. Written by a single pass (`run --once`): no later"
            + " pass updates it.\n")
        .doesNotContain("stale");
  }

  @Test
  void failedLooksUnlikeCompletedInEveryPhaseCell() {
    String readme = readme(SampleReports.quickstart());

    assertThat(line(readme, "| [`default/nightly`]")).contains("| ❌&nbsp;Failed |", "| ✅ Nov 25 02:18 · 1,204 items |",
        "| ⚠️ PartiallyFailed Nov 25 02:35");
    assertThat(line(readme, "| [`default/select-labels`]")).contains("| ✅&nbsp;Completed |");
    assertThat(line(readme, "| [`default/shop-to-east`]")).contains("| ⏳&nbsp;RestoreInProgress |", "⏳ InProgress 41%");
    assertThat(line(readme, "| kurator-member3 |")).startsWith("| kurator-member3 | ❌ | ❔ |");
  }

  @Test
  void theHistoryGridHasARowPerBackupAndClusterNewestRunOnTheRightAndALegend() {
    String readme = readme(SampleReports.quickstart());

    String grid = readme.substring(readme.indexOf("## Backup history"), readme.indexOf("## Restores"));
    assertThat(grid).contains("| backup | cluster | last 10 runs, oldest → newest | newest |\n|---|---|---|---|\n"
        + "| [`default/nightly`](backups/default/nightly.yaml) | kurator-member1 | ✅✅✅❌✅✅✅✅✅✅ | Completed Nov 25 02:18 |\n"
        + "| | kurator-member2 | ✅⚠️⚠️ | PartiallyFailed Nov 25 02:35 |\n\n"
        + "✅ Completed · ⚠️ PartiallyFailed · ❌ Failed · ⏳ in progress · ❔ a phase this version does not know."
        + " One mark per Velero Backup the cluster still holds (within its TTL).\n");
    assertThat(grid).as("a cluster without a run has no row").doesNotContain("kurator-member3");
  }

  @Test
  void aRejectedCommitsFileLineLinksToThatLineOfTheCommitOnTheForge() {
    String readme = readme(rejected("backups/nightly.yaml"), ForgeLinks.forRemote("https://github.com/platform/backup-policies.git"));

    assertThat(readme).contains("| commit `9a7d003` rejected | [`backups/nightly.yaml:7:13`](https://github.com/platform/"
        + "backup-policies/blob/" + SHA + "/backups/nightly.yaml#L7) |");
    assertThat(GithubMarkdown.hrefs(GithubMarkdown.html(readme)))
        .contains("https://github.com/platform/backup-policies/blob/" + SHA + "/backups/nightly.yaml#L7");
  }

  @Test
  void aHostileFileNameBecomesOneEscapedLinkToTheForgeAndNoOther() {
    String hostile = "a)b](javascript:x).yaml";

    String html = GithubMarkdown.html(readme(rejected(hostile), ForgeLinks.forRemote("git@gitlab.com:platform/policies.git")));

    List<String> hrefs = GithubMarkdown.hrefs(html);
    assertThat(hrefs).contains("https://gitlab.com/platform/policies/-/blob/" + SHA + "/a%29b%5D%28javascript%3Ax%29.yaml#L7");
    assertThat(hrefs).noneMatch(h -> h.startsWith("javascript") || h.contains("javascript:"));
    assertThat(html).contains("<code>a)b](javascript:x).yaml:7:13</code>");
  }

  @Test
  void withoutAForgeTheFileLineIsCodeNotALink() {
    assertThat(readme(rejected("backups/nightly.yaml"))).contains("| commit `9a7d003` rejected | `backups/nightly.yaml:7:13` |");
  }

  @Test
  void aCronExpressionIsOneSpanThatDoesNotWrapAndStaysTheExpression() {
    String html = GithubMarkdown.html(readme(SampleReports.quickstart()));

    assertThat(html).contains("<td><code>0\u00a02\u00a0*\u00a0*\u00a0*</code></td>");
    assertThat(Markdown.nowrap("*/5 <b>|x")).isEqualTo("<code>&#42;&#47;5&nbsp;&#60;b&#62;&#124;x</code>");
  }

  @Test
  void theRestoresTableSaysFromWhichBackup() {
    String readme = readme(SampleReports.quickstart());

    assertThat(readme).contains("| restore | from backup | phase |");
    assertThat(line(readme, "| [`default/minimal`]")).contains("| [`default/select-labels`](backups/default/select-labels.yaml) |");
  }

  /** The sample with only the rejection, of one error in {@code file}. */
  private static StatusReport rejected(String file) {
    StatusReport sample = SampleReports.healthy();
    StatusReport.Rejection rejection = new StatusReport.Rejection(new Revision("main", SHA, t("2026-11-25T14:02:09Z")),
        List.of(Diagnostic.error(new SourceLocation(file, 7, 13), "schedule \"0 2 * *\": a cron expression needs 5 fields")));
    return new StatusReport(sample.finishedAt(), sample.took(), sample.applied(), Optional.of(rejection), Optional.empty(),
        sample.clusters(), sample.backups(), sample.restores(), sample.migrations(), sample.interval());
  }

  private static StatusReport withBackups(StatusReport r, List<WorkflowStatus> backups) {
    return new StatusReport(r.finishedAt(), r.took(), r.applied(), r.rejected(), r.sourceProblem(), r.clusters(), backups,
        r.restores(), r.migrations(), r.interval());
  }
}
