package dev.fleetbackup.validate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetbackup.model.Diagnostic;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostileInputTest {
  /** 170,000 documents of one node each: 1,020,000 bytes, under the 1 MiB a file may have. */
  static final String MANY_DOCUMENTS = "---\n1\n".repeat(170_000);

  @TempDir
  Path dir;

  @TempDir
  Path outside;

  private void write(String path, String text) throws IOException {
    Path file = dir.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  /** A flow sequence of {@code n} scalars on line 1, n + 1 nodes; element i (from 0) stands at column 2 + 2i. */
  private static String nodes(int n) {
    return "[" + "1,".repeat(n) + "]\n";
  }

  @Test
  void aFileOfManyDocumentsIsRefusedWithOneErrorWhereTheBudgetRunsOut() throws IOException {
    write("many.yaml", MANY_DOCUMENTS);

    ValidationReport report = ConfigRepo.empty(dir).validate();

    assertThat(report.diagnostics()).extracting(Diagnostic::toString).containsExactly(
        "many.yaml:2001:1: error: more than 1000 YAML documents in this file; the file is refused");
    assertThat(report.errorCount()).isEqualTo(1);
    assertThat(report.summary()).isEqualTo("validated 1 file, 0 objects: 1 error");
  }

  @Test
  void sixFilesOfManyDocumentsGiveOneErrorEach() throws IOException {
    for (int i = 1; i <= 6; i++) {
      write("many-" + i + ".yaml", MANY_DOCUMENTS);
    }

    assertThat(ConfigRepo.empty(dir).problems()).containsExactlyElementsOf(IntStream.rangeClosed(1, 6)
        .mapToObj(i -> "many-" + i + ".yaml:2001:1: error: more than 1000 YAML documents in this file; the file is refused")
        .toList());
  }

  @Test
  void aHugeApiVersionIsQuotedCutAndOnOneLine() throws IOException {
    write("huge.yaml", "apiVersion: \"backup.kurator.dev/" + "v".repeat(1_000_000) + "\\n\\e[31m\"\nkind: Backup\n");

    assertThat(ConfigRepo.empty(dir).problems()).singleElement().asString()
        .startsWith("huge.yaml:1:13: error: unsupported object: apiVersion \"backup.kurator.dev/vvv")
        .contains("v…\", kind \"Backup\"; Backup is backup.kurator.dev/v1alpha1")
        .hasSizeLessThan(300)
        .doesNotContain("\n", "\u001b");
  }

  @Test
  void controlCharactersInAQuotedValueAreShownAsEscapes() throws IOException {
    write("ansi.yaml", "apiVersion: \"backup.kurator.dev/v1\\e[2J\\nforged: line\"\nkind: Backup\n");

    assertThat(ConfigRepo.empty(dir).problems()).containsExactly("ansi.yaml:1:13: error: unsupported object: "
        + "apiVersion \"backup.kurator.dev/v1\\x1b[2J\\nforged: line\", kind \"Backup\"; Backup is backup.kurator.dev/v1alpha1");
  }

  @Test
  void theNoticeOfASkippedDocumentEscapesAndCutsItsKindAndApiVersion() throws IOException {
    write("app.yaml", "apiVersion: \"v1\\e[2J\\nforged: line\"\nkind: \"Config" + "M".repeat(1_000_000) + "\\e[31m\"\n");

    // The other problem is that a repo of skipped documents holds no policy.
    assertThat(ConfigRepo.empty(dir).problems()).hasSize(2).last().asString()
        .startsWith("app.yaml:2:7: warning: skipped \"ConfigMMM")
        .contains("M…\" (\"v1\\x1b[2J\\nforged: line\"): not a kind fleet-backup manages")
        .hasSizeLessThan(300)
        .doesNotContain("\n", "\u001b");
  }

  @Test
  void tooManyFilesRefusesTheFirstFileOverTheBudgetUnread() throws IOException {
    for (int i = 0; i < 20_002; i++) {
      write("p/%05d.yaml".formatted(i), "");
    }

    ValidationReport report = ConfigRepo.empty(dir).validate();

    assertThat(report.diagnostics()).extracting(Diagnostic::toString).containsExactly(
        "p/20000.yaml:1:1: error: the commit has 20002 policy files, over the limit of 20000: "
            + "this file and the 1 after it (in path order) are not read");
  }

  @Test
  void tooManyBytesRefusesTheFileThatWouldPassTheBudgetAndEveryFileAfterIt() throws IOException {
    String mebibyte = ("#" + "x".repeat(1022) + "\n").repeat(1024);
    for (int i = 0; i < 18; i++) {
      write("big/%02d.yaml".formatted(i), mebibyte);
    }

    assertThat(ConfigRepo.empty(dir).problems()).containsExactly(
        "big/16.yaml:1:1: error: the commit's policy files come to more than 16777216 bytes, the limit (17825792 with this file): "
            + "this file and the 1 after it (in path order) are not read");
  }

  @Test
  void tooManyNodesInOneFileIsRefusedWhereTheBudgetRunsOut() throws IOException {
    write("wide.yaml", nodes(100_000));

    assertThat(ConfigRepo.empty(dir).problems()).containsExactly(
        "wide.yaml:1:200000: error: YAML expands to more than 100000 nodes in this file (alias bomb?); the file is refused");
  }

  @Test
  void tooManyNodesAcrossFilesRefusesTheFileWhereTheCommitsBudgetRunsOutTheSameWayEveryTime() throws IOException {
    // 95,001 nodes a file (the sequence and its scalars): five files take 475,005 of the 500,000,
    // the sixth runs out at its 24,996th node, the sequence's element 24,994
    for (int i = 0; i < 7; i++) {
      write("n/%02d.yaml".formatted(i), nodes(95_000));
    }
    ConfigRepo repo = ConfigRepo.empty(dir);

    String expected = "n/05.yaml:1:" + (2 + 2 * 24_994) + ": error: the commit's YAML expands to more than 500000 nodes by this point, "
        + "the limit for a commit: this file and the 1 after it (in path order) are not validated";
    assertThat(repo.problems()).contains(expected).hasSize(6);
    for (int run = 0; run < 3; run++) {
      assertThat(repo.problems()).as("the same errors every time").contains(expected).hasSize(6);
    }
  }

  @Test
  void diagnosticsAreCappedAtTheFirstHundredInFileOrderWithTheExactCount() throws IOException {
    write("empty-objects.yaml", "---\n{}\n".repeat(500));

    ValidationReport report = ConfigRepo.empty(dir).validate();

    assertThat(report.diagnostics()).hasSize(100);
    assertThat(report.diagnostics().get(0)).hasToString(
        "empty-objects.yaml:2:1: error: missing required field \"apiVersion\"");
    assertThat(report.diagnostics().get(99).location().line()).isEqualTo(200);
    assertThat(report.errorCount()).isEqualTo(500);
    assertThat(report.omittedLine()).contains("… and 400 more errors");
    assertThat(report.summary()).isEqualTo("validated 1 file, 500 objects: 500 errors");
  }

  @Test
  void symlinkLeavingTheRepoIsRefused() throws IOException {
    Path secret = Files.writeString(outside.resolve("passwd.yaml"), "apiVersion: v1\n");
    ConfigRepo repo = ConfigRepo.sample(dir);
    Files.createSymbolicLink(repo.root.resolve("backups/escape.yaml"), secret);

    assertThat(repo.problems()).containsExactly(
        "backups/escape.yaml:1:1: error: symlink points outside the repository; refused");
  }

  @Test
  void symlinkInsideTheRepoIsFollowed() throws IOException {
    ConfigRepo repo = ConfigRepo.sample(dir);
    Files.createDirectories(repo.root.resolve("prod"));
    Files.createSymbolicLink(repo.root.resolve("prod/nightly.yaml"), repo.root.resolve("backups/nightly.yaml"));

    // The same Backup twice: proof the link was read.
    assertThat(repo.problems()).singleElement().asString().isEqualTo(
        "prod/nightly.yaml:6:9: error: duplicate Backup \"default/nightly\": also defined at backups/nightly.yaml:6:9");
  }

  @Test
  void aliasBombIsRefused() {
    StringBuilder yaml = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i < 10; i++) {
      yaml.append("a").append(i).append(": &a").append(i).append(" [");
      yaml.append(("*a" + (i - 1) + ", ").repeat(9)).append("*a").append(i - 1).append("]\n");
    }
    ConfigRepo repo = ConfigRepo.empty(dir).write("bomb.yaml", yaml.toString());

    assertThat(repo.problems()).singleElement().asString()
        .startsWith("bomb.yaml:").contains("expands to more than 100000 nodes");
  }

  @Test
  void deepNestingIsRefused() {
    ConfigRepo repo = ConfigRepo.empty(dir).write("deep.yaml", "[".repeat(100_000) + "]".repeat(100_000) + "\n");

    assertThat(repo.problems()).containsExactly("deep.yaml:1:65: error: YAML nested deeper than 64 levels");
  }

  @Test
  void oversizedFileIsRefusedUnread() throws IOException {
    ConfigRepo repo = ConfigRepo.sample(dir);
    Files.write(repo.root.resolve("backups/huge.yaml"), new byte[2 * 1024 * 1024]);

    assertThat(repo.problems()).containsExactly(
        "backups/huge.yaml:1:1: error: file is 2097152 bytes, over the limit of 1048576; refused");
  }

  @Test
  void invalidYamlNamesTheLine() {
    ConfigRepo repo = ConfigRepo.sample(dir).write("backups/broken.yaml", """
        apiVersion: backup.kurator.dev/v1alpha1
        kind: Backup
        metadata:
          name: broken
         spec: {}
        """);

    assertThat(repo.problems()).singleElement().asString().startsWith("backups/broken.yaml:5:").contains("invalid YAML");
  }

  @Test
  void duplicateKeysAreRefused() {
    ConfigRepo repo = ConfigRepo.sample(dir).write("backups/twice.yaml", """
        apiVersion: backup.kurator.dev/v1alpha1
        kind: Backup
        metadata:
          name: twice
        spec:
          destination:
            fleet: quickstart
          destination:
            fleet: other
        """);

    assertThat(repo.problems()).containsExactly("backups/twice.yaml:8:3: error: duplicate key \"destination\"");
  }

  @Test
  void customTagsAreRefused() {
    ConfigRepo repo = ConfigRepo.empty(dir).write("tag.yaml", "apiVersion: !!binary aGVsbG8=\n");

    assertThat(repo.problems()).containsExactly("tag.yaml:1:13: error: unsupported YAML tag \"tag:yaml.org,2002:binary\"");
  }
}
