package dev.fleetbackup.report;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.Map;
import org.junit.jupiter.api.Test;

class GoldenOutputTest {
  private final StatusFiles files = new StatusFiles();

  @Test
  void readmeOfTheQuickstartFleetIsTheReviewedOne() {
    GoldenFiles.assertMatches("quickstart/README.md", readme(SampleReports.quickstart()));
  }

  @Test
  void everyFileOfTheQuickstartStatusBranchIsTheReviewedOne() {
    for (Map.Entry<String, byte[]> file : files.render(SampleReports.quickstart()).entrySet()) {
      GoldenFiles.assertMatches("quickstart/" + file.getKey(), new String(file.getValue(), UTF_8));
    }
  }

  @Test
  void terminalViewOfTheQuickstartFleetIsTheReviewedOne() {
    GoldenFiles.assertMatches("quickstart/status.txt", new TerminalView().render(SampleReports.quickstart()));
  }

  @Test
  void readmeOfAFirstPassThatCouldNotFetchIsTheReviewedOne() {
    GoldenFiles.assertMatches("first-pass/README.md", readme(SampleReports.empty()));
  }

  private String readme(StatusReport report) {
    return new String(files.render(report).get(StatusFiles.README), UTF_8);
  }
}
