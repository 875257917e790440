package dev.fleetbackup.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetbackup.testkit.TestkitBinaries;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * deploy/monitoring's alert rules under Prometheus's own promtool (built by the test kit): they
 * parse, and each alert fires on the series that should raise it and stays quiet on those that
 * should not (fixtures/monitoring/alerts-test.yaml).
 */
class AlertRulesIT {
  private static final Logger logger = LoggerFactory.getLogger(AlertRulesIT.class);
  private static final Path PROMETHEUS_RULE = Path.of("deploy/monitoring/prometheusrule.yaml");
  private static final Path TESTS = Path.of("core/src/test/resources/fixtures/monitoring/alerts-test.yaml");

  @TempDir
  static Path dir;
  private static Path promtool;

  /** The PrometheusRule's spec is a Prometheus rule file; promtool reads that, not the custom resource. */
  @BeforeAll
  @SuppressWarnings("unchecked")
  static void rulesFile() throws IOException {
    promtool = TestkitBinaries.locate().promtool();
    Map<String, Object> rule = (Map<String, Object>) new Load(LoadSettings.builder().build())
        .loadFromString(Files.readString(PROMETHEUS_RULE));
    assertThat(rule).containsEntry("kind", "PrometheusRule");
    Files.writeString(dir.resolve("rules.yaml"), new Dump(DumpSettings.builder().build()).dumpToString(rule.get("spec")));
    Files.copy(TESTS, dir.resolve("alerts-test.yaml"));
  }

  @Test
  void theRulesAreValid() throws Exception {
    String out = promtool("check", "rules", "rules.yaml");

    assertThat(out).contains("SUCCESS: 7 rules found");
  }

  @Test
  void eachAlertFiresAndStaysQuietWhereItShould() throws Exception {
    String out = promtool("test", "rules", "alerts-test.yaml");

    assertThat(out).contains("SUCCESS").doesNotContain("FAILED");
  }

  @Test
  void aRuleThatDoesNotFireWhereItShouldFailsTheTests() throws Exception {
    Path broken = dir.resolve("broken");
    Files.createDirectories(broken);
    Files.writeString(broken.resolve("rules.yaml"), Files.readString(dir.resolve("rules.yaml"))
        .replace("fleet_backup_cluster_reachable) == 0", "fleet_backup_cluster_reachable) == 2"));
    Files.copy(TESTS, broken.resolve("alerts-test.yaml"));

    Process p = new ProcessBuilder(promtool.toString(), "test", "rules", "alerts-test.yaml").directory(broken.toFile())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();

    assertThat(p.exitValue()).isNotZero();
    assertThat(out).contains("FAILED").contains("FleetBackupClusterUnreachable");
  }

  /** Runs promtool in the rules' folder; a non-zero exit fails the test with promtool's words. */
  private static String promtool(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of(promtool.toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
    logger.info("promtool {}:\n{}", String.join(" ", args), out);
    assertThat(p.exitValue()).as("promtool %s:%n%s", String.join(" ", args), out).isZero();
    return out;
  }
}
