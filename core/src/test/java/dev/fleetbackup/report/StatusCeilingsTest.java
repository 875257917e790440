package dev.fleetbackup.report;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetbackup.model.ClusterRun;
import dev.fleetbackup.model.Diagnostic;
import dev.fleetbackup.model.Kind;
import dev.fleetbackup.model.ResourceId;
import dev.fleetbackup.model.SourceLocation;
import dev.fleetbackup.model.WorkflowStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import tools.jackson.databind.JsonNode;

/** No report makes a status file larger than its ceiling, and a file that was cut says so. */
class StatusCeilingsTest {
  private static StatusReport rejecting(long errors) {
    StatusReport sample = SampleReports.quickstart();
    StatusReport.Rejection rejected = sample.rejected().orElseThrow();
    List<Diagnostic> list = new ArrayList<>();
    for (int i = 1; i <= errors; i++) {
      list.add(Diagnostic.error(new SourceLocation("many.yaml", 2 * i, 1), "a document must be a mapping with apiVersion and kind"));
    }
    return new StatusReport(sample.finishedAt(), sample.took(), sample.applied(),
        Optional.of(new StatusReport.Rejection(rejected.revision(), list)), Optional.empty(), sample.clusters(),
        sample.backups(), sample.restores(), sample.migrations());
  }

  private static StatusReport withBackups(int extra, int clustersEach) {
    StatusReport sample = SampleReports.quickstart();
    List<WorkflowStatus> backups = new ArrayList<>(sample.backups());
    for (int i = 0; i < extra; i++) {
      String name = "b" + i;
      List<ClusterRun> runs = IntStream.range(0, clustersEach).mapToObj(c -> new ClusterRun("member" + c, "backup",
          Optional.of("member" + c + "-backup-default-" + name), Optional.empty(), Optional.empty(), Optional.empty())).toList();
      backups.add(new WorkflowStatus(new ResourceId(Kind.BACKUP, "default", name), "Pending", List.of(), runs,
          Optional.empty(), List.of()));
    }
    return new StatusReport(sample.finishedAt(), sample.took(), sample.applied(), sample.rejected(), sample.sourceProblem(),
        sample.clusters(), backups, sample.restores(), sample.migrations());
  }

  @Test
  void aRejectionKeepsItsFirstHundredErrorsAndTheExactCountInEveryFileAndReadsBack() {
    StatusFiles files = new StatusFiles();
    Map<String, byte[]> rendered = files.render(rejecting(170_000));

    String readme = new String(rendered.get(StatusFiles.README), UTF_8);
    assertThat(readme).contains("**rejected**, 170,000 errors (the applied revision stays in force)")
        .contains("`many.yaml:200:1`").doesNotContain("`many.yaml:202:1`")
        .contains("| … and 169,900 more errors, not listed |");
    assertThat(rendered.get(StatusFiles.README).length).isLessThan(64 * 1024);
    assertThat(rendered.get(StatusFiles.STATUS_JSON).length).isLessThan(64 * 1024);

    StatusReport back = files.parse(rendered.get(StatusFiles.STATUS_JSON));
    StatusReport.Rejection rejection = back.rejected().orElseThrow();
    assertThat(rejection.errorCount()).isEqualTo(170_000);
    assertThat(rejection.errors()).hasSize(StatusReport.Rejection.MAX_ERRORS);
    assertThat(new TerminalView().render(back)).contains("rejected, 170,000 errors");
  }

  @Test
  void aReadmeOverItsCeilingStopsAtALineAndSaysItWasCut() {
    StatusReport report = withBackups(200, 1);
    byte[] whole = new StatusFiles().render(report).get(StatusFiles.README);
    StatusFiles files = new StatusFiles(new StatusFiles.Ceilings(8 * 1024, 16 * 1024 * 1024, 1024 * 1024));

    byte[] cut = files.render(report).get(StatusFiles.README);

    assertThat(cut.length).isLessThanOrEqualTo(8 * 1024);
    String text = new String(cut, UTF_8);
    String marker = "\n**Cut:** README.md stops here, at its limit of 8,192 bytes; the whole page would have "
        + String.format("%,d", whole.length) + ".\n";
    assertThat(text).endsWith(marker);
    String kept = text.substring(0, text.length() - marker.length());
    assertThat(new String(whole, UTF_8)).startsWith(kept);
    assertThat(kept).endsWith("\n");
  }

  @Test
  void statusJsonOverItsCeilingLeavesWorkflowsOutFromTheEndSaysHowManyAndStillReadsBack() {
    StatusReport report = withBackups(2_000, 1);
    StatusFiles files = new StatusFiles(new StatusFiles.Ceilings(1024 * 1024, 256 * 1024, 1024 * 1024));

    byte[] json = files.render(report).get(StatusFiles.STATUS_JSON);

    assertThat(json.length).isLessThanOrEqualTo(256 * 1024);
    JsonNode cut = StatusJson.MAPPER.readTree(json).get("cut");
    assertThat(cut.get("limitBytes").intValue()).isEqualTo(256 * 1024);
    StatusReport back = files.parse(json);
    assertThat(back.clusters()).hasSize(3);
    assertThat(cut.get("omitted").get("clusters").intValue()).isZero();
    assertThat(back.backups().size() + cut.get("omitted").get("backups").intValue()).isEqualTo(report.backups().size());
    assertThat(cut.get("omitted").get("backups").intValue()).isPositive();
    assertThat(back.restores().size() + cut.get("omitted").get("restores").intValue()).isEqualTo(report.restores().size());
    assertThat(back.rejected()).isEqualTo(report.rejected());
  }

  @Test
  void anObjectFileOverItsCeilingStopsAtALineWithAYamlComment() {
    StatusReport report = withBackups(1, 2_000);
    StatusFiles files = new StatusFiles(new StatusFiles.Ceilings(1024 * 1024, 16 * 1024 * 1024, 16 * 1024));

    byte[] file = files.render(report).get("backups/default/b0.yaml");

    assertThat(file.length).isLessThanOrEqualTo(16 * 1024);
    String text = new String(file, UTF_8);
    assertThat(text).containsPattern("\n# cut: this file stops here, at its limit of 16384 bytes; the whole file would have \\d+\n$");
    assertThat(new Load(LoadSettings.builder().build()).loadFromString(text)).as("still YAML").isInstanceOf(Map.class);
  }

  @Test
  void aReportWithinTheCeilingsIsNotCut() {
    Map<String, byte[]> rendered = new StatusFiles().render(SampleReports.quickstart());

    assertThat(new String(rendered.get(StatusFiles.README), UTF_8)).doesNotContain("**Cut:**");
    assertThat(new String(rendered.get(StatusFiles.STATUS_JSON), UTF_8)).doesNotContain("\"cut\"");
  }
}
