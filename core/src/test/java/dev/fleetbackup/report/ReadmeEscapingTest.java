package dev.fleetbackup.report;

import static dev.fleetbackup.report.SampleReports.M1;
import static dev.fleetbackup.report.SampleReports.t;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.fleetbackup.model.ClusterRun;
import dev.fleetbackup.model.Kind;
import dev.fleetbackup.model.ResourceId;
import dev.fleetbackup.model.VeleroPhase;
import dev.fleetbackup.model.VeleroRun;
import dev.fleetbackup.model.WorkflowStatus;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A Velero message as the status README shows it on the forge: no link the message made, no bidi
 * trick, no endless cell. Checked on the Markdown source, and on the HTML of GitHub's own renderer
 * (cmark-gfm with its table and autolink extensions) where it is installed.
 */
class ReadmeEscapingTest {
  private static final String PHISHING = "upload failed: log in at https://evil.example/login or www.evil.example,"
      + " or mail admin@evil.example; invoice\u202Efdp.exe";

  private static String readme(String veleroMessage) {
    VeleroRun failed = new VeleroRun(M1, M1 + "-backup-default-nightly", VeleroPhase.FAILED,
        Optional.of(t("2026-11-25T02:00:00Z")), Optional.of(t("2026-11-25T02:01:00Z")), Optional.empty(), 0, 0, 0, 0,
        Optional.of(veleroMessage), List.of());
    WorkflowStatus nightly = new WorkflowStatus(new ResourceId(Kind.BACKUP, "default", "nightly"), "Failed", List.of(),
        List.of(new ClusterRun(M1, "backup", Optional.of(failed.name()), Optional.of(failed), Optional.empty(),
            Optional.empty())),
        Optional.empty(), List.of());
    StatusReport report = new StatusReport(t("2026-11-25T14:00:00Z"), Duration.ofSeconds(2), Optional.empty(),
        Optional.empty(), Optional.empty(), SampleReports.clusters(), List.of(nightly), List.of(), List.of());
    return new String(new StatusFiles().render(report).get(StatusFiles.README), StandardCharsets.UTF_8);
  }

  private static String rowOf(String readme, String cluster) {
    return readme.lines().filter(line -> line.startsWith("| Backup ") || line.startsWith("| | " + cluster))
        .filter(line -> line.contains(cluster)).findFirst().orElseThrow();
  }

  @Test
  void aBareUrlAWwwHostAndAnEmailAddressAreEscapedSoThatNoAutolinkForms() {
    String row = rowOf(readme(PHISHING), M1);

    assertThat(row).contains("log in at https\\://evil.example/login or www\\.evil.example,",
        "or mail admin@<!-- -->evil.example;");
  }

  @Test
  void aBidiOverrideIsShownAsAnEscapeNotObeyed() {
    String readme = readme(PHISHING);

    assertThat(readme).doesNotContain("\u202E");
    assertThat(rowOf(readme, M1)).contains("invoice\\\\u202efdp.exe");
  }

  @Test
  void aHugeMessageIsCutWithAnEllipsis() {
    String row = rowOf(readme("x".repeat(10_000)), M1);

    assertThat(row).contains("x…").hasSizeLessThan(Text.CELL_LIMIT + 200);
  }

  @Test
  void githubsRendererMakesNoLinkOfTheMessage() throws Exception {
    Optional<Path> cmark = onPath("cmark-gfm");
    assumeTrue(cmark.isPresent(), "cmark-gfm is not installed (Debian: apt-get install cmark-gfm)");

    for (String[] flags : List.of(new String[0], new String[] {"--unsafe"})) {
      String html = render(cmark.get(), readme(PHISHING), flags);

      assertThat(html).contains("log in at https://evil.example/login or www.evil.example,", "invoice\\u202efdp.exe");
      assertThat(hrefs(html)).as("links in %s", html).isNotEmpty()
          .allSatisfy(href -> assertThat(href).doesNotContain(":", "www").doesNotStartWith("//"));
    }
  }

  private static List<String> hrefs(String html) {
    Matcher href = Pattern.compile("href=\"([^\"]*)\"").matcher(html);
    return href.results().map(m -> m.group(1)).toList();
  }

  private static String render(Path cmark, String markdown, String... flags) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>(List.of(cmark.toString(), "-e", "table", "-e", "autolink"));
    command.addAll(List.of(flags));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    try (OutputStream in = process.getOutputStream()) {
      in.write(markdown.getBytes(StandardCharsets.UTF_8));
    }
    String html = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(html).isZero();
    return html;
  }

  private static Optional<Path> onPath(String program) {
    String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
    try (Stream<String> dirs = Stream.of(path.split(File.pathSeparator))) {
      return dirs.filter(d -> !d.isEmpty()).map(d -> Path.of(d, program)).filter(Files::isExecutable).findFirst();
    }
  }
}
