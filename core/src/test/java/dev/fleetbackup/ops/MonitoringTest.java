package dev.fleetbackup.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.fleetbackup.model.Diagnostic;
import dev.fleetbackup.model.Revision;
import dev.fleetbackup.model.SourceLocation;
import dev.fleetbackup.report.StatusReport;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** deploy/monitoring as a user installs it: the PodMonitor finds the pods, and every series its rules and dashboard read is served. */
class MonitoringTest {
  private static final Path RULES = Path.of("deploy/monitoring/prometheusrule.yaml");
  private static final Path DASHBOARD = Path.of("deploy/monitoring/dashboard.json");
  private static final Pattern SERIES = Pattern.compile("fleet_backup_[a-z_]+");
  private static final Instant STARTED = Instant.parse("2026-05-01T01:00:00Z");

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final FleetMetrics metrics = new FleetMetrics(registry);

  @Test
  void theDaemonsIntervalStartPublishAndEachSchedulesPeriodAreSeries() throws Exception {
    metrics.running(Duration.ofMinutes(2), STARTED);
    metrics.record(Reports.afterFirstPass());
    metrics.published(Reports.FINISHED.plusSeconds(3));

    assertThat(samples()).contains(
        entry("fleet_backup_interval_seconds", 120.0),
        entry("fleet_backup_start_timestamp_seconds", (double) STARTED.getEpochSecond()),
        entry("fleet_backup_last_publish_timestamp_seconds", (double) Reports.FINISHED.plusSeconds(3).getEpochSecond()),
        // "0 2 * * *": a run a day
        entry("fleet_backup_backup_schedule_period_seconds{name=\"nightly\",namespace=\"default\"}", 86400.0));
  }

  @Test
  void beforeItsFirstPassAStandbyServesOnlyItsPace() throws Exception {
    metrics.running(Duration.ofMinutes(1), STARTED);

    assertThat(samples().keySet()).contains("fleet_backup_interval_seconds", "fleet_backup_start_timestamp_seconds")
        .noneMatch(k -> k.startsWith("fleet_backup_last_publish_timestamp_seconds") || k.startsWith("fleet_backup_last_pass"));
  }

  @Test
  void everySeriesTheRulesAndTheDashboardReadIsOneFleetMetricsServes() throws Exception {
    metrics.running(Duration.ofMinutes(1), STARTED);
    metrics.passOverran();
    metrics.webhookRequest(Webhook.Result.TRIGGERED);
    metrics.published(Reports.FINISHED);
    metrics.record(rejected(Reports.afterFirstPass()));
    Set<String> served = new TreeSet<>();
    samples().keySet().forEach(k -> served.add(k.replaceAll("\\{.*", "")));

    Set<String> read = new TreeSet<>();
    for (Path file : List.of(RULES, DASHBOARD)) {
      Matcher m = SERIES.matcher(Files.readString(file));
      while (m.find()) {
        read.add(m.group());
      }
    }

    assertThat(read).hasSizeGreaterThan(15);
    assertThat(served).containsAll(read);
  }

  @Test
  @SuppressWarnings("unchecked")
  void thePodMonitorSelectsTheDeploymentsPodsAndScrapesItsOpsPort() throws Exception {
    Map<String, Object> monitor = yaml(Path.of("deploy/monitoring/podmonitor.yaml"));
    Map<String, Object> deployment = yaml(Path.of("deploy/base/deployment.yaml"));
    Map<String, Object> template = (Map<String, Object>) ((Map<String, Object>) deployment.get("spec")).get("template");
    Map<String, String> podLabels = (Map<String, String>) ((Map<String, Object>) template.get("metadata")).get("labels");
    Map<String, Object> container = ((List<Map<String, Object>>) ((Map<String, Object>) template.get("spec")).get("containers")).get(0);
    Map<String, Object> spec = (Map<String, Object>) monitor.get("spec");

    assertThat(podLabels).containsAllEntriesOf((Map<String, String>) ((Map<String, Object>) spec.get("selector")).get("matchLabels"));
    assertThat((List<String>) ((Map<String, Object>) spec.get("namespaceSelector")).get("matchNames"))
        .containsExactly((String) ((Map<String, Object>) deployment.get("metadata")).get("namespace"));
    Map<String, Object> endpoint = ((List<Map<String, Object>>) spec.get("podMetricsEndpoints")).get(0);
    assertThat((List<Map<String, Object>>) container.get("ports")).anySatisfy(port -> assertThat(port.get("name")).isEqualTo(endpoint.get("port")));
    assertThat((List<String>) container.get("args")).contains("--ops-addr=:8080");
    assertThat(endpoint).containsEntry("path", "/metrics");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> yaml(Path file) throws Exception {
    return (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file));
  }

  private Map<String, Double> samples() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ExpositionFormats.init().getPrometheusTextFormatWriter().write(out, registry.scrape());
    return Scrape.samples(out.toString(StandardCharsets.UTF_8));
  }

  private static StatusReport rejected(StatusReport report) {
    Revision head = new Revision("main", "9".repeat(40), Reports.FINISHED);
    return new StatusReport(report.finishedAt(), report.took(), report.applied(),
        Optional.of(new StatusReport.Rejection(head, List.of(Diagnostic.error(new SourceLocation("backups/nightly.yaml", 9, 13),
            "schedule \"0 2 * *\": a cron expression needs 5 fields")))), Optional.empty(),
        report.clusters(), report.backups(), report.restores(), report.migrations());
  }
}
