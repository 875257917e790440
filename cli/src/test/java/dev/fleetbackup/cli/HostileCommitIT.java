package dev.fleetbackup.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fleetbackup.model.Diagnostic;
import dev.fleetbackup.model.Revision;
import dev.fleetbackup.report.StatusFiles;
import dev.fleetbackup.report.StatusReport;
import dev.fleetbackup.testkit.ConfigRemote;
import dev.fleetbackup.testkit.WorstCommit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built jar in a JVM sized as the Deployment's (768 MiB memory limit, 75 % of it heap, one CPU,
 * the serial collector the JVM picks there, out of memory ends the process) facing commits at and
 * over the budgets.
 */
class HostileCommitIT {
  /** As deploy/base: 75 % of 768 MiB. */
  static final String HEAP = "-Xmx576m";
  static final String MANY_DOCUMENTS = "---\n1\n".repeat(170_000);

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path dir;

  private static ProcessBuilder jar(Path log, String... args) {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        HEAP, "-XX:+UseSerialGC", "-XX:ActiveProcessorCount=1", "-XX:+ExitOnOutOfMemoryError",
        "-jar", ProductJar.path().toString()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
  }

  @Test
  void theWorstCommitWithinEveryBudgetValidatesInTheDeploymentsHeap() throws Exception {
    Path repo = Files.createDirectories(dir.resolve("worst"));
    WorstCommit.write(repo);
    Path log = dir.resolve("validate.log");

    Instant start = Instant.now();
    Process validate = jar(log, "validate", repo.toString()).start();
    assertThat(validate.waitFor(5, TimeUnit.MINUTES)).as("done within 5 minutes").isTrue();

    System.out.printf("MEASURE worst commit within the budgets (%d files, %d nodes): validated with %s in %d ms%n",
        WorstCommit.FILES, WorstCommit.FILES * WorstCommit.NODES_PER_FILE, HEAP, Duration.between(start, Instant.now()).toMillis());
    assertThat(validate.exitValue()).as(Files.readString(log)).isZero();
    assertThat(Files.readString(log)).contains("validated 20000 files, 20000 objects: valid");
  }

  @Test
  void runSurvivesSixFilesOf170000DocumentsKeepsTheLastGoodCommitAndKeepsTheStatusBranchSmall() throws Exception {
    try (ConfigRemote remote = ConfigRemote.create(dir.resolve("git"))) {
      String good = remote.commitTree(Path.of("sample-repo"), "the sample");
      Path log = dir.resolve("run.log");
      Process run = jar(log, "run", "--repo", remote.url(), "--interval", "5s", "--work-dir", dir.resolve("work").toString(),
          "--secrets-dir", Files.createDirectories(dir.resolve("secrets")).toString()).start();
      try {
        await("the sample applied").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
            .until(() -> status(remote).flatMap(StatusReport::applied).map(Revision::sha).equals(Optional.of(good)));

        Map<String, String> hostile = new TreeMap<>();
        for (int i = 1; i <= 6; i++) {
          hostile.put("hostile/many-" + i + ".yaml", MANY_DOCUMENTS);
        }
        String bad = remote.commit(hostile, "six files of 170,000 documents");
        await("the hostile commit rejected").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
            .until(() -> status(remote).flatMap(StatusReport::rejected).map(r -> r.revision().sha()).equals(Optional.of(bad)));

        StatusReport report = status(remote).orElseThrow();
        assertThat(report.applied()).map(Revision::sha).as("the last good commit stays applied").contains(good);
        StatusReport.Rejection rejection = report.rejected().orElseThrow();
        assertThat(rejection.errorCount()).isEqualTo(6);
        assertThat(rejection.errors()).extracting(Diagnostic::toString).allMatch(e -> e.matches(
            "hostile/many-\\d\\.yaml:2001:1: error: more than 1000 YAML documents in this file; the file is refused"));
        Map<String, String> branch = remote.filesOf(RunCommand.DEFAULT_STATUS_BRANCH);
        System.out.printf("MEASURE status branch after the hostile commit: README.md %d bytes, status.json %d bytes%n",
            branch.get(StatusFiles.README).getBytes(UTF_8).length, branch.get(StatusFiles.STATUS_JSON).getBytes(UTF_8).length);
        assertThat(branch.get(StatusFiles.README).getBytes(UTF_8)).as("README.md").hasSizeLessThan(16 * 1024);
        assertThat(branch.get(StatusFiles.STATUS_JSON).getBytes(UTF_8)).as("status.json").hasSizeLessThan(32 * 1024);

        long passes = passesLogged(log);
        await("the daemon goes on passing").atMost(Duration.ofMinutes(1)).until(() -> passesLogged(log) > passes + 1);
        assertThat(run.isAlive()).as(Files.readString(log)).isTrue();
      } finally {
        run.destroy();
        run.waitFor(1, TimeUnit.MINUTES);
        run.destroyForcibly();
      }
      assertThat(Files.readString(log)).doesNotContain("OutOfMemoryError", "Terminating due to java.lang.OutOfMemoryError");
    }
  }

  private static Optional<StatusReport> status(ConfigRemote remote) {
    String json = remote.filesOf(RunCommand.DEFAULT_STATUS_BRANCH).get(StatusFiles.STATUS_JSON);
    return Optional.ofNullable(json).map(j -> new StatusFiles().parse(j.getBytes(UTF_8)));
  }

  /** The status publisher logs one line each pass: committed or unchanged. */
  private static long passesLogged(Path log) throws IOException {
    try (var lines = Files.lines(log)) {
      return lines.filter(l -> l.contains("status committed to") || l.contains("status unchanged on")).count();
    }
  }
}
