package dev.fleetbackup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class ValidateCommandTest {
  @TempDir
  Path dir;

  /** A cron of four fields (line 6, column 13) and a Fleet that does not exist (line 8, column 12). */
  private static final String NIGHTLY_WITH_TWO_ERRORS = """
      apiVersion: backup.kurator.dev/v1alpha1
      kind: Backup
      metadata:
        name: nightly
      spec:
        schedule: "0 2 * *"
        destination:
          fleet: quickstart
      """;

  private final Cli cli = new Cli();

  @Test
  void validRepoExitsZero() {
    assertThat(cli.run("validate", "sample-repo")).isZero();
    assertThat(cli.out.toString()).isEqualTo("validated 9 files, 9 objects: valid" + System.lineSeparator());
  }

  @Test
  void ignoredFilesAreNotReadAndABadPatternIsAUsageError() throws IOException {
    Files.writeString(dir.resolve("backup.yaml"), NIGHTLY_WITH_TWO_ERRORS);
    Files.createDirectories(dir.resolve("drafts"));
    Files.writeString(dir.resolve("drafts/backup.yaml"), NIGHTLY_WITH_TWO_ERRORS);
    Files.writeString(dir.resolve(".sourceignore"), "backup.yaml\n");

    assertThat(cli.run("validate", dir.toString(), "--ignore", "!/drafts/backup.yaml")).isEqualTo(1);
    assertThat(cli.out.toString()).startsWith("drafts/backup.yaml:6:13: error:").endsWith("validated 1 file, 1 object: 2 errors"
        + System.lineSeparator());

    assertThat(cli.run("validate", dir.toString(), "--ignore", "a/*-*.yaml")).isEqualTo(2);
    assertThat(cli.err.toString()).contains("--ignore: \"a/*-*.yaml\" has more than one '*' between two '/'");
  }

  @Test
  void invalidRepoPrintsProblemsThenSummaryAndExitsOne() throws IOException {
    Files.writeString(dir.resolve("backup.yaml"), NIGHTLY_WITH_TWO_ERRORS);

    assertThat(cli.run("validate", dir.toString())).isEqualTo(1);
    assertThat(cli.out.toString().lines()).containsExactly(
        "backup.yaml:6:13: error: schedule \"0 2 * *\": a cron expression needs 5 fields (minute hour day-of-month month day-of-week), got 4",
        "backup.yaml:8:12: error: no Fleet \"quickstart\" in namespace \"default\"",
        "validated 1 file, 1 object: 2 errors");
  }

  @Test
  void githubAnnotationsNameEachLineAndAHostileFileNameStaysInsideItsProperty() throws IOException {
    Files.writeString(dir.resolve("backup.yaml"), NIGHTLY_WITH_TWO_ERRORS);
    Files.writeString(dir.resolve("a,b\n::warning::c.yaml"), "apiVersion: backup.kurator.dev/v1alpha1\nkind: Bakup\n");

    assertThat(cli.run("validate", dir.toString(), "-o", "github")).isEqualTo(1);

    List<String> lines = cli.out.toString().lines().toList();
    assertThat(lines).contains("::error file=backup.yaml,line=6,col=13,title=fleet-backup::schedule \"0 2 * *\": a cron expression"
        + " needs 5 fields (minute hour day-of-month month day-of-week), got 4");
    assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("::error file=a%2Cb\\n%3A%3Awarning%3A%3Ac.yaml,line=")
        .contains(",title=fleet-backup::"));
    assertThat(lines.subList(0, lines.size() - 1)).allMatch(line -> line.startsWith("::error file="));
    assertThat(lines.get(lines.size() - 1)).startsWith("validated 2 files, ");
  }

  @Test
  void sarifLocatesEachProblemForCodeScanning() throws IOException {
    Files.writeString(dir.resolve("my backup.yaml"), NIGHTLY_WITH_TWO_ERRORS);

    assertThat(cli.run("validate", dir.toString(), "-o", "sarif")).isEqualTo(1);

    JsonNode log = Json.MAPPER.readTree(cli.out.toString());
    assertThat(log.get("version").asString()).isEqualTo("2.1.0");
    JsonNode results = log.get("runs").get(0).get("results");
    assertThat(results).hasSize(2);
    JsonNode first = results.get(0);
    assertThat(first.get("ruleId").asString()).isEqualTo("fleet-backup/policy-error");
    assertThat(first.get("level").asString()).isEqualTo("error");
    assertThat(first.get("message").get("text").asString()).startsWith("schedule \"0 2 * *\": a cron expression needs 5 fields");
    JsonNode location = first.get("locations").get(0).get("physicalLocation");
    assertThat(location.get("artifactLocation").get("uri").asString()).isEqualTo("my%20backup.yaml");
    assertThat(location.get("region").get("startLine").asInt()).isEqualTo(6);
    assertThat(location.get("region").get("startColumn").asInt()).isEqualTo(13);
  }

  @Test
  void aForgedAnnotationInAScheduleStaysOnTheLineOfItsError() throws IOException {
    Path repo = copyOfSampleRepo();
    Path nightly = repo.resolve("backups/nightly.yaml");
    // YAML's own escapes: a line break, then a GitHub workflow command, then "clear the screen"
    Files.writeString(nightly, Files.readString(nightly).replace("\"0 2 * * *\"",
        "\"0 2 * *\\n::error file=deploy/evil.yaml,line=1::forged\\x1b[2J\""));

    assertThat(cli.run("validate", repo.toString())).isEqualTo(1);

    List<String> lines = cli.out.toString().lines().toList();
    assertThat(lines).hasSize(2).noneMatch(line -> line.stripLeading().startsWith("::"));
    assertThat(lines.get(0))
        .startsWith("backups/nightly.yaml:9:13: error: schedule \"0 2 * *\\n::error file=deploy/evil.yaml,line=1::forged\\x1b[2J\"")
        .doesNotContain("\u001b");
    assertThat(annotatedFile(lines.get(0))).isEqualTo("backups/nightly.yaml");
    assertThat(lines.get(1)).isEqualTo("validated 9 files, 9 objects: 1 error");
  }

  @Test
  void aFileNameCannotStartAWorkflowCommandOrALineOfItsOwn() throws IOException {
    String broken = "apiVersion: backup.kurator.dev/v1alpha1\nkind: Bakup\n";
    Files.writeString(dir.resolve("::error file=deploy,line=1::x.yaml"), broken);
    Files.writeString(dir.resolve("two\n::warning::lines.yaml"), broken);

    assertThat(cli.run("validate", dir.toString())).isEqualTo(1);

    List<String> lines = cli.out.toString().lines().toList();
    assertThat(lines).hasSize(3).noneMatch(line -> line.stripLeading().startsWith("::"));
    assertThat(lines.get(0)).startsWith("\\x3a:error file=deploy,line=1::x.yaml:1:13: error: ");
    assertThat(lines.get(1)).startsWith("two\\n::warning::lines.yaml:1:13: error: ");
  }

  /** The file a GitHub Actions problem matcher (sample-repo/.github) would annotate for this line. */
  private static String annotatedFile(String line) throws IOException {
    String matcher = Files.readString(Path.of("sample-repo/.github/fleet-backup-problem-matcher.json"));
    String regexp = Json.MAPPER.readTree(matcher).at("/problemMatcher/0/pattern/0/regexp").asText();
    Matcher match = Pattern.compile(regexp).matcher(line);
    assertThat(match.matches()).as("the problem matcher reads %s", line).isTrue();
    return match.group(1);
  }

  private Path copyOfSampleRepo() throws IOException {
    Path repo = dir.resolve("repo");
    try (Stream<Path> files = Files.walk(Path.of("sample-repo"))) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        Path target = repo.resolve(Path.of("sample-repo").relativize(file).toString());
        Files.createDirectories(target.getParent());
        Files.copy(file, target);
      }
    }
    return repo;
  }

  @Test
  void jsonOutputCarriesTheSameDiagnostics() throws IOException {
    Files.writeString(dir.resolve("x.yaml"), "apiVersion: backup.kurator.dev/v1alpha1\nkind: Bakup\n");

    assertThat(cli.run("validate", "--output", "json", dir.toString())).isEqualTo(1);
    @SuppressWarnings("unchecked")
    Map<String, Object> json = Json.MAPPER.readValue(cli.out.toString(), Map.class);
    assertThat(json).containsEntry("valid", false).containsEntry("errors", 1);
    assertThat((List<?>) json.get("diagnostics")).singleElement().asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
        .containsEntry("file", "x.yaml").containsEntry("line", 1).containsEntry("column", 13).containsEntry("severity", "error");
  }

  @Test
  @Timeout(30)
  void aFileOf170000DocumentsExitsOneWithASmallOutputAndTheExactCount() throws IOException {
    Files.writeString(dir.resolve("many.yaml"), "---\n1\n".repeat(170_000));

    assertThat(cli.run("validate", dir.toString())).isEqualTo(1);
    assertThat(cli.out.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)).hasSizeLessThan(256 * 1024);
    assertThat(cli.out.toString().lines()).containsExactly(
        "many.yaml:2001:1: error: more than 1000 YAML documents in this file; the file is refused",
        "validated 1 file, 0 objects: 1 error");
  }

  @Test
  void moreThanAHundredProblemsPrintTheFirstHundredThenHowManyMore() throws IOException {
    Files.writeString(dir.resolve("empty.yaml"), "---\n{}\n".repeat(999));

    assertThat(cli.run("validate", dir.toString())).isEqualTo(1);
    List<String> lines = cli.out.toString().lines().toList();
    assertThat(lines).hasSize(102);
    assertThat(lines.get(0)).isEqualTo("empty.yaml:2:1: error: missing required field \"apiVersion\"");
    assertThat(lines.get(99)).startsWith("empty.yaml:200:1: ");
    assertThat(lines.subList(100, 102)).containsExactly("… and 899 more errors", "validated 1 file, 999 objects: 999 errors");
  }

  @Test
  void jsonOutputCarriesTheExactCountsAndSaysItWasTruncated() throws IOException {
    Files.writeString(dir.resolve("empty.yaml"), "---\n{}\n".repeat(999));

    assertThat(cli.run("validate", "-o", "json", dir.toString())).isEqualTo(1);
    @SuppressWarnings("unchecked")
    Map<String, Object> json = Json.MAPPER.readValue(cli.out.toString(), Map.class);
    assertThat(json).containsEntry("errors", 999).containsEntry("truncated", true).containsEntry("omitted", 899);
    assertThat((List<?>) json.get("diagnostics")).hasSize(100);
  }

  @Test
  void pathNarrowsTheRead() {
    assertThat(cli.run("validate", "--path", "clusters", "sample-repo")).isZero();
    assertThat(cli.out.toString()).startsWith("validated 3 files, 3 objects");
  }

  @Test
  void aFolderWithoutPoliciesExitsOneSayingSo() throws IOException {
    // a mistyped CI path that still exists, such as a folder of docs, must not go green
    Path docs = Files.createDirectory(dir.resolve("docs"));
    Files.writeString(docs.resolve("README.md"), "# policies live in ../policies\n");

    assertThat(cli.run("validate", docs.toString())).isEqualTo(1);
    assertThat(cli.out.toString().lines()).containsExactly(
        ".:1:1: error: no Fleet, AttachedCluster, Backup, Restore or Migrate found under \"" + docs + "\"",
        "validated 0 files, 0 objects: 1 error");
  }

  @Test
  void missingDirectoryIsAnErrorWithExitTwo() {
    assertThat(cli.run("validate", dir.resolve("nope").toString())).isEqualTo(2);
    assertThat(cli.err.toString()).contains("no such directory");
  }

  @Test
  void anErrorMessageIsPrintedOnOneLine() {
    assertThat(cli.run("validate", dir.resolve("nope\n::error::forged\u001b[2J").toString())).isEqualTo(2);

    assertThat(cli.err.toString().lines()).singleElement().asString()
        .startsWith("fleet-backup: ").contains("nope\\n::error::forged\\x1b[2J").doesNotContain("\u001b");
  }

  @Test
  void unknownOptionIsAUsageErrorWithExitTwo() {
    assertThat(cli.run("validate", "--frobnicate")).isEqualTo(2);
    assertThat(cli.err.toString()).contains("Unknown option: '--frobnicate'");
  }
}
