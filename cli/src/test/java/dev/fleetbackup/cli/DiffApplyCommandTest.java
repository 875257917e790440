package dev.fleetbackup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/** The command-line edges of diff and apply that need no cluster; the rest is FleetApplyIT. */
class DiffApplyCommandTest {
  @TempDir
  Path dir;

  private final Cli cli = new Cli();

  @Test
  void withoutAWayToReachTheClustersIsAUsageError() {
    assertThat(cli.run("diff", "--repo", "sample-repo")).isEqualTo(2);
    assertThat(cli.err.toString()).contains("one of --kubeconfig, --kubeconfig-dir or --secrets-dir is required");
  }

  @Test
  void anInvalidRepoIsReportedLikeValidateAndNoClusterIsContacted() throws IOException {
    Files.writeString(dir.resolve("fleet.yaml"), """
        apiVersion: fleet.kurator.dev/v1alpha1
        kind: Fleet
        metadata:
          name: quickstart
        spec:
          clusters: 3
        """);
    assertThat(cli.run("apply", "--repo", dir.toString(), "--kubeconfig-dir", dir.resolve("nowhere").toString())).isEqualTo(1);
    assertThat(cli.out.toString()).contains("fleet.yaml:6:").contains("1 error");
  }

  /** As kubectl diff: 1 means differences, so a repo that cannot be diffed at all is an error (2). */
  @Test
  void diffOfAnInvalidRepoExitsTwoNotOneWhichMeansDifferences() throws IOException {
    Files.writeString(dir.resolve("fleet.yaml"), """
        apiVersion: fleet.kurator.dev/v1alpha1
        kind: Fleet
        metadata:
          name: quickstart
        spec:
          clusters: 3
        """);
    assertThat(cli.run("diff", "--repo", dir.toString(), "--kubeconfig-dir", dir.resolve("nowhere").toString())).isEqualTo(2);
    assertThat(cli.out.toString()).contains("fleet.yaml:6:").contains("1 error");
  }

  @Test
  void aMissingKubeconfigFailsThatClusterOnlyAndNamesTheFileNotItsContent() {
    int exit = cli.run("diff", "--repo", "sample-repo", "--kubeconfig-dir", dir.toString(), "--cluster", "kurator-member2");
    assertThat(exit).isEqualTo(2);
    assertThat(cli.out.toString())
        .contains("kurator-member2  error      kubeconfig of cluster kurator-member2: no file " + dir.resolve("kurator-member2.config"))
        .doesNotContain("kurator-member1");
  }

  @Test
  void anUnknownClusterIsAUsageError() {
    assertThat(cli.run("diff", "--repo", "sample-repo", "--kubeconfig-dir", dir.toString(), "--cluster", "nope")).isEqualTo(2);
    assertThat(cli.err.toString()).contains("no member cluster named nope");
  }

  @ParameterizedTest
  @CsvSource({"diff,0", "apply,513", "run,-1"})
  void concurrentOutsideOneToFiveHundredTwelveIsAUsageErrorBeforeAnyClusterIsContacted(String command, String n) {
    List<String> args = new ArrayList<>(List.of(command, "--repo", "sample-repo", "--kubeconfig-dir", dir.toString(), "--concurrent", n));
    if (command.equals("run")) {
      args.addAll(List.of("--once", "--work-dir", dir.resolve("work").toString()));
    }
    int exit = cli.run(args.toArray(String[]::new));
    assertThat(exit).isEqualTo(2);
    assertThat(cli.err.toString()).startsWith("--concurrent " + n + ": between 1 and 512 members at a time");
  }
}
