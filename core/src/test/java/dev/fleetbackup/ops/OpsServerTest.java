package dev.fleetbackup.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The ops port over real HTTP: probes, and /metrics after recorded passes. */
class OpsServerTest {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final FleetMetrics metrics = new FleetMetrics(registry);
  private final Health health = new Health(Clock.fixed(Instant.parse("2026-05-01T02:00:00Z"), ZoneOffset.UTC), Optional.empty());
  private OpsServer server;

  @BeforeEach
  void start() throws Exception {
    server = OpsServer.start(new InetSocketAddress("127.0.0.1", 0), registry, health);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private URI uri(String path) {
    return server.uri().resolve(path);
  }

  @Test
  void metricsShowEveryFigureOfAPassWithItsValue() throws Exception {
    metrics.record(Reports.afterFirstPass());

    HttpResponse<String> response = Scrape.get(uri("/metrics"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain; version=0.0.4"));
    Map<String, Double> samples = Scrape.samples(response.body());
    assertThat(samples).contains(
        entry("fleet_backup_pass_duration_seconds_count", 1.0),
        entry("fleet_backup_pass_duration_seconds_sum", 2.5),
        entry("fleet_backup_pass_duration_seconds_bucket{le=\"2.5\"}", 1.0),
        entry("fleet_backup_pass_duration_seconds_bucket{le=\"1.0\"}", 0.0),
        entry("fleet_backup_last_pass_timestamp_seconds", (double) Reports.FINISHED.getEpochSecond()),
        // per cluster: result and reachability
        entry("fleet_backup_cluster_passes_total{cluster=\"kurator-member1\",fleet=\"quickstart\",result=\"succeeded\"}", 1.0),
        entry("fleet_backup_cluster_passes_total{cluster=\"kurator-member2\",fleet=\"quickstart\",result=\"succeeded\"}", 1.0),
        entry("fleet_backup_cluster_passes_total{cluster=\"kurator-member3\",fleet=\"quickstart\",result=\"failed\"}", 1.0),
        entry("fleet_backup_cluster_last_pass_succeeded{cluster=\"kurator-member1\",fleet=\"quickstart\"}", 1.0),
        entry("fleet_backup_cluster_last_pass_succeeded{cluster=\"kurator-member3\",fleet=\"quickstart\"}", 0.0),
        entry("fleet_backup_cluster_reachable{cluster=\"kurator-member1\",fleet=\"quickstart\"}", 1.0),
        entry("fleet_backup_cluster_reachable{cluster=\"kurator-member2\",fleet=\"quickstart\"}", 1.0),
        entry("fleet_backup_cluster_reachable{cluster=\"kurator-member3\",fleet=\"quickstart\"}", 0.0),
        entry("fleet_backup_cluster_velero_ready{cluster=\"kurator-member3\",fleet=\"quickstart\"}", 0.0),
        entry("fleet_backup_backup_location_available{cluster=\"kurator-member1\",fleet=\"quickstart\"}", 1.0),
        entry("fleet_backup_backup_location_available{cluster=\"kurator-member2\",fleet=\"quickstart\"}", 0.0),
        // Git
        entry("fleet_backup_git_fetches_total{result=\"succeeded\"}", 1.0),
        entry("fleet_backup_git_fetch_succeeded", 1.0),
        entry("fleet_backup_applied_revision_info{branch=\"main\",revision=\"main@sha1:4f2c9e1\",sha=\"" + Reports.APPLIED.sha() + "\"}", 1.0),
        // objects: applied = created + configured, pruned = deleted
        entry("fleet_backup_objects_applied_total{cluster=\"kurator-member1\"}", 3.0),
        entry("fleet_backup_objects_pruned_total{cluster=\"kurator-member1\"}", 1.0),
        entry("fleet_backup_objects_applied_total{cluster=\"kurator-member2\"}", 0.0),
        // the metric Velero users ask for: per backup × cluster, the last completed run
        entry("fleet_backup_last_completed_backup_timestamp_seconds{cluster=\"kurator-member1\",name=\"nightly\",namespace=\"default\"}",
            (double) Reports.MEMBER1_DONE.getEpochSecond()),
        entry("fleet_backup_last_completed_backup_timestamp_seconds{cluster=\"kurator-member2\",name=\"nightly\",namespace=\"default\"}",
            (double) Reports.MEMBER2_DONE.getEpochSecond()),
        entry("fleet_backup_workflow_info{kind=\"Migrate\",name=\"shop-to-members\",namespace=\"default\",phase=\"RestoreInProgress\"}", 1.0));
    assertThat(samples.keySet())
        .as("a cluster with no completed run has no timestamp, rather than a misleading 0")
        .noneMatch(k -> k.startsWith("fleet_backup_last_completed_backup_timestamp_seconds{cluster=\"kurator-member3\""))
        .noneMatch(k -> k.startsWith("fleet_backup_rejected_revision_info"));
  }

  @Test
  void countersAccumulateWhileTheStateFollowsTheLastPass() throws Exception {
    metrics.record(Reports.afterFirstPass());
    metrics.record(Reports.afterSecondPass());

    Map<String, Double> samples = Scrape.samples(Scrape.get(uri("/metrics")).body());

    assertThat(samples).contains(
        entry("fleet_backup_pass_duration_seconds_count", 2.0),
        entry("fleet_backup_pass_duration_seconds_sum", 3.2),
        entry("fleet_backup_git_fetches_total{result=\"succeeded\"}", 1.0),
        entry("fleet_backup_git_fetches_total{result=\"failed\"}", 1.0),
        entry("fleet_backup_git_fetch_succeeded", 0.0),
        entry("fleet_backup_objects_applied_total{cluster=\"kurator-member1\"}", 3.0),
        entry("fleet_backup_objects_pruned_total{cluster=\"kurator-member1\"}", 2.0),
        entry("fleet_backup_cluster_passes_total{cluster=\"kurator-member1\",fleet=\"quickstart\",result=\"succeeded\"}", 2.0));
    assertThat(samples.keySet())
        .as("kurator-member3 left the config: its state is gone, its counters stay")
        .noneMatch(k -> k.startsWith("fleet_backup_cluster_reachable{cluster=\"kurator-member3\""))
        .noneMatch(k -> k.startsWith("fleet_backup_workflow_info{kind=\"Migrate\""))
        .contains("fleet_backup_cluster_passes_total{cluster=\"kurator-member3\",fleet=\"quickstart\",result=\"failed\"}");
  }

  @Test
  void beforeTheFirstPassMetricsHaveNoStateYet() throws Exception {
    HttpResponse<String> response = Scrape.get(uri("/metrics"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(Scrape.samples(response.body())).containsEntry("fleet_backup_pass_duration_seconds_count", 0.0)
        .doesNotContainKey("fleet_backup_git_fetch_succeeded");
  }

  @Test
  void scrapersAskingForOpenMetricsGetIt() throws Exception {
    metrics.record(Reports.afterFirstPass());

    HttpResponse<String> response = Scrape.get(uri("/metrics"),
        "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5");

    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/openmetrics-text"));
    assertThat(response.body()).contains("# TYPE fleet_backup_applied_revision info").endsWith("# EOF\n");
  }

  @Test
  void readyWhileStandingByAndAsLeaderOnlyOnceTheFirstPassFinished() throws Exception {
    assertThat(Scrape.get(uri("/readyz")).statusCode()).as("starting").isEqualTo(503);

    health.standingBy("fleet-backup-7d9c-abcde");
    HttpResponse<String> standby = Scrape.get(uri("/readyz"));
    assertThat(standby.statusCode()).isEqualTo(200);
    assertThat(standby.body()).isEqualTo("standing by, leader is fleet-backup-7d9c-abcde\n");

    health.leading();
    HttpResponse<String> leading = Scrape.get(uri("/readyz"));
    assertThat(leading.statusCode()).isEqualTo(503);
    assertThat(leading.body()).isEqualTo("leading, first pass not finished yet\n");

    health.passFinished();
    assertThat(Scrape.get(uri("/readyz")).statusCode()).isEqualTo(200);
    assertThat(Scrape.get(uri("/healthz")).statusCode()).isEqualTo(200);

    health.leadershipLost("Lease not renewed within 30s");
    assertThat(Scrape.get(uri("/readyz")).statusCode()).isEqualTo(503);
    HttpResponse<String> live = Scrape.get(uri("/healthz"));
    assertThat(live.statusCode()).isEqualTo(503);
    assertThat(live.body()).isEqualTo("leadership lost: Lease not renewed within 30s; restart to stand by again\n");
  }

  @Test
  void answersOnlyGetAndHeadOnItsThreePaths() throws Exception {
    assertThat(Scrape.get(uri("/")).statusCode()).isEqualTo(404);
    assertThat(Scrape.get(uri("/healthz/extra")).statusCode()).isEqualTo(404);
    assertThat(Scrape.get(uri("/metricsx")).statusCode()).isEqualTo(404);
    HttpResponse<String> post = Scrape.send(HttpRequest.newBuilder(uri("/metrics"))
        .POST(HttpRequest.BodyPublishers.ofString("x")).build());
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).contains("GET, HEAD");
    HttpResponse<String> head = Scrape.send(HttpRequest.newBuilder(uri("/healthz"))
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
  }

  @Test
  void addressesAreWrittenAsFluxWritesThem() {
    assertThat(OpsServer.parseAddress(":8080")).satisfies(a -> {
      assertThat(a.getAddress().isAnyLocalAddress()).isTrue();
      assertThat(a.getPort()).isEqualTo(8080);
    });
    assertThat(OpsServer.parseAddress("127.0.0.1:9440")).isEqualTo(new InetSocketAddress("127.0.0.1", 9440));
    assertThat(OpsServer.parseAddress("[::1]:8080")).isEqualTo(new InetSocketAddress("::1", 8080));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> OpsServer.parseAddress("8080"))
        .hasMessage("address 8080: expected [HOST]:PORT, for example :8080");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> OpsServer.parseAddress(":http"))
        .hasMessage("address :http: the port is not a number");
  }

  @Test
  void aLeaderWhosePassesStopIsNotLive() {
    Instant[] now = {Instant.parse("2026-05-01T02:00:00Z")};
    Clock clock = new Clock() {
      @Override public java.time.ZoneId getZone() { return ZoneOffset.UTC; }
      @Override public Clock withZone(java.time.ZoneId zone) { return this; }
      @Override public Instant instant() { return now[0]; }
    };
    Health h = new Health(clock, Optional.of(Duration.ofMinutes(10)));
    h.leading();
    now[0] = now[0].plus(Duration.ofMinutes(9));
    assertThat(h.live().ok()).isTrue();
    h.passFinished();
    now[0] = now[0].plus(Duration.ofMinutes(10)).plusSeconds(1);
    assertThat(h.live()).isEqualTo(new Health.Check(false, "no pass finished for 601s (limit 600s)"));
    h.passFinished();
    assertThat(h.live().ok()).isTrue();
  }
}
