package dev.fleetbackup.report;

import org.junit.jupiter.api.Test;

/**
 * What the status branch and the terminal show for the sample reports, against reviewed files
 * (see {@link GoldenFiles} to regenerate them). A status branch is compared whole: a file that is
 * no longer rendered, or a new one, fails as surely as a changed byte.
 */
class GoldenOutputTest {
  private final StatusFiles files = new StatusFiles(ForgeLinks.forRemote("git@github.com:platform/backup-policies.git"));

  @Test
  void theQuickstartFleetsStatusBranchIsTheReviewedOneFileForFile() {
    GoldenFiles.assertTreeMatches("status-branch/quickstart", files.render(SampleReports.quickstart()));
  }

  @Test
  void aHealthyFleetsStatusBranchIsTheReviewedOne() {
    GoldenFiles.assertTreeMatches("status-branch/healthy", files.render(SampleReports.healthy()));
  }

  @Test
  void theStatusBranchWithAFailedRunAndARejectedCommitIsTheReviewedOne() {
    GoldenFiles.assertTreeMatches("status-branch/failing", files.render(SampleReports.failing()));
  }

  @Test
  void theStatusBranchOfAFirstPassThatCouldNotFetchIsTheReviewedOne() {
    GoldenFiles.assertTreeMatches("status-branch/first-pass", files.render(SampleReports.empty()));
  }

  @Test
  void terminalViewOfTheQuickstartFleetIsTheReviewedOne() {
    GoldenFiles.assertMatches("terminal/quickstart.txt", new TerminalView().render(SampleReports.quickstart()));
  }
}
