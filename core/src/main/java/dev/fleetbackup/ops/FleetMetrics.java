package dev.fleetbackup.ops;

import dev.fleetbackup.model.ClusterRun;
import dev.fleetbackup.model.ClusterState;
import dev.fleetbackup.model.Revision;
import dev.fleetbackup.model.VeleroPhase;
import dev.fleetbackup.model.VeleroRun;
import dev.fleetbackup.model.WorkflowStatus;
import dev.fleetbackup.report.StatusReport;
import dev.fleetbackup.validate.VeleroCron;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot.InfoDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The figures of each pass, for {@code /metrics}. {@link #record} takes the report of a finished
 * pass. Counters and the duration histogram accumulate; everything that describes the fleet as it
 * is now (reachable clusters, the applied revision, the last completed backup of each backup and
 * cluster) is read from the last report at scrape time, so a scrape never sees half a pass and a
 * cluster or backup that left the config repo leaves {@code /metrics} too.
 *
 * <p>Names follow Prometheus conventions under the prefix {@code fleet_backup_}; label
 * {@code namespace} and {@code name} are the config repo object's, as in Flux's
 * {@code gotk_reconcile_duration_seconds}. Every label value is a name the validator checked (a
 * Kubernetes name, a branch, a phase), so the series are as many as the config repo's objects; no
 * Secret and no message text is ever a label. The alert rules and the dashboard in
 * {@code deploy/monitoring/} read these series.
 */
public final class FleetMetrics {
  static final String SUCCEEDED = "succeeded";
  static final String FAILED = "failed";

  private final Histogram passDuration;
  private final Counter clusterPasses;
  private final Counter gitFetches;
  private final Counter objectsApplied;
  private final Counter objectsPruned;
  private final Counter passOverruns;
  private final Counter webhookRequests;
  private final Counter memberRequests;
  private final Counter drifts;
  private final AtomicReference<Optional<StatusReport>> last = new AtomicReference<>(Optional.empty());
  private final AtomicReference<Optional<Running>> running = new AtomicReference<>(Optional.empty());
  private final AtomicReference<Optional<Instant>> published = new AtomicReference<>(Optional.empty());

  /** A daemon's pace: a pass every {@code interval}, since {@code startedAt}; what "stale" is measured in. */
  private record Running(Duration interval, Instant startedAt) {}

  /** Registers the metrics in {@code registry} (one registry per process; tests make their own). */
  public FleetMetrics(PrometheusRegistry registry) {
    passDuration = Histogram.builder()
        .name("fleet_backup_pass_duration_seconds")
        .help("How long one pass took: fetch, validate, and reconcile every cluster")
        .unit(Unit.SECONDS)
        .classicOnly()
        .classicUpperBounds(0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600)
        .register(registry);
    clusterPasses = Counter.builder()
        .name("fleet_backup_cluster_passes_total")
        .help("Passes over each member cluster, by result (failed: unreachable or an error while reconciling)")
        .labelNames("cluster", "fleet", "result")
        .register(registry);
    gitFetches = Counter.builder()
        .name("fleet_backup_git_fetches_total")
        .help("Fetches of the config repo, by result")
        .labelNames("result")
        .register(registry);
    objectsApplied = Counter.builder()
        .name("fleet_backup_objects_applied_total")
        .help("Objects created or changed in member clusters by server-side apply")
        .labelNames("cluster")
        .register(registry);
    objectsPruned = Counter.builder()
        .name("fleet_backup_objects_pruned_total")
        .help("Objects deleted from member clusters because they left the config")
        .labelNames("cluster")
        .register(registry);
    passOverruns = Counter.builder()
        .name("fleet_backup_pass_overruns_total")
        .help("Passes that took longer than the interval (the next one started at once)")
        .register(registry);
    webhookRequests = Counter.builder()
        .name("fleet_backup_webhook_requests_total")
        .help("Requests to the webhook, by how they were answered (triggered: a fetch and pass requested)")
        .labelNames("result")
        .register(registry);
    memberRequests = Counter.builder()
        .name("fleet_backup_member_requests_total")
        .help("Requests sent to each member cluster by passes, by type (read, dry_run, write, watch: a watch started or renewed)")
        .labelNames("cluster", "type")
        .register(registry);
    drifts = Counter.builder()
        .name("fleet_backup_drift_detected_total")
        .help("Changes made outside fleet-backup to objects it reconciles, seen by its watches (each asks for a pass)")
        .labelNames("cluster")
        .register(registry);
    registry.register(new CurrentState());
  }

  /** The daemon runs a pass every {@code interval}, since {@code startedAt} (not called for {@code --once}). */
  public void running(Duration interval, Instant startedAt) {
    running.set(Optional.of(new Running(interval, startedAt)));
  }

  /** A pass's report reached the status branch (committed, or found there already) at {@code at}. */
  public void published(Instant at) {
    published.set(Optional.of(at));
  }

  /** A pass took longer than the interval. */
  public void passOverran() {
    passOverruns.inc();
  }

  /** The requests one pass sent to {@code cluster}. */
  public void requestsSent(String cluster, int reads, int dryRuns, int writes, int watches) {
    memberRequests.labelValues(cluster, "read").inc(reads);
    memberRequests.labelValues(cluster, "dry_run").inc(dryRuns);
    memberRequests.labelValues(cluster, "write").inc(writes);
    memberRequests.labelValues(cluster, "watch").inc(watches);
  }

  /** A watch saw {@code cluster} drift. */
  public void drifted(String cluster) {
    drifts.labelValues(cluster).inc();
  }

  /** A request to the webhook, answered as {@code result} says. */
  public void webhookRequest(Webhook.Result result) {
    webhookRequests.labelValues(result.label()).inc();
  }


  /** Takes the report of a finished pass. Thread-safe; scrapes may run at the same time. */
  public void record(StatusReport report) {
    passDuration.observe(report.took().toNanos() / 1e9);
    gitFetches.labelValues(report.sourceProblem().isEmpty() ? SUCCEEDED : FAILED).inc();
    for (ClusterState cluster : report.clusters()) {
      clusterPasses.labelValues(cluster.cluster(), cluster.fleet(), succeeded(cluster) ? SUCCEEDED : FAILED).inc();
      ClusterState.ApplySummary apply = cluster.lastApply();
      objectsApplied.labelValues(cluster.cluster()).inc(apply.created() + apply.configured());
      objectsPruned.labelValues(cluster.cluster()).inc(apply.deleted());
    }
    last.set(Optional.of(report));
  }

  private static boolean succeeded(ClusterState cluster) {
    return !cluster.failed();
  }

  private static double bool(boolean b) {
    return b ? 1 : 0;
  }

  private static double seconds(Instant instant) {
    return instant.toEpochMilli() / 1000.0;
  }

  /** The gauges and info metrics, built from the last report on every scrape. */
  private final class CurrentState implements MultiCollector {
    @Override
    public MetricSnapshots collect() {
      List<MetricSnapshot> out = new ArrayList<>();
      running.get().ifPresent(run -> {
        out.add(gauge("fleet_backup_interval_seconds", "The time between two passes (--interval)",
            Stream.of(point(run.interval().toMillis() / 1000.0))));
        out.add(gauge("fleet_backup_start_timestamp_seconds", "When this process started its loop (Unix time)",
            Stream.of(point(seconds(run.startedAt())))));
      });
      published.get().ifPresent(at -> out.add(gauge("fleet_backup_last_publish_timestamp_seconds",
          "When a pass's report last reached the status branch (Unix time)", Stream.of(point(seconds(at))))));
      Optional<StatusReport> maybe = last.get();
      if (maybe.isEmpty()) {
        return new MetricSnapshots(out);
      }
      StatusReport r = maybe.get();
      out.add(gauge("fleet_backup_last_pass_timestamp_seconds", "When the last pass finished (Unix time)",
          Stream.of(point(seconds(r.finishedAt())))));
      out.add(gauge("fleet_backup_git_fetch_succeeded", "1 if the last fetch of the config repo succeeded",
          Stream.of(point(bool(r.sourceProblem().isEmpty())))));
      out.add(info("fleet_backup_applied_revision", "The config repo commit in force",
          r.applied().stream().map(FleetMetrics::revisionLabels)));
      out.add(info("fleet_backup_rejected_revision", "The newest commit, when it failed validation",
          r.rejected().stream().map(rejection -> revisionLabels(rejection.revision()))));
      out.add(clusterGauge(r, "fleet_backup_cluster_last_pass_succeeded",
          "1 if the last pass over the cluster succeeded", c -> bool(succeeded(c))));
      out.add(clusterGauge(r, "fleet_backup_cluster_reachable",
          "1 if the cluster's API server answered in the last pass", c -> bool(c.reachable())));
      out.add(clusterGauge(r, "fleet_backup_cluster_velero_ready",
          "1 if Velero runs in the cluster", c -> bool(c.veleroReady())));
      out.add(clusterGauge(r, "fleet_backup_backup_location_available",
          "1 if the cluster's default BackupStorageLocation is Available", c -> bool(c.backupLocationAvailable())));
      out.add(gauge("fleet_backup_last_completed_backup_timestamp_seconds",
          "When the newest completed Velero run of each backup finished in each cluster (Unix time)",
          r.backups().stream().flatMap(FleetMetrics::lastCompleted)));
      out.add(gauge("fleet_backup_backup_schedule_period_seconds",
          "The longest time between two runs of each scheduled backup's schedule, as of the last pass",
          r.backups().stream().flatMap(backup -> schedulePeriod(backup, r.finishedAt()))));
      out.add(info("fleet_backup_workflow", "The phase of each Backup, Restore and Migrate",
          Stream.of(r.backups(), r.restores(), r.migrations()).flatMap(List::stream).map(w -> Labels.of(
              "kind", w.id().kind().kind(), "namespace", w.id().namespace(), "name", w.id().name(), "phase", w.phase()))));
      return new MetricSnapshots(out);
    }
  }

  private static Labels revisionLabels(Revision revision) {
    return Labels.of("branch", revision.branch(), "revision", revision.toString(), "sha", revision.sha());
  }

  private static Stream<GaugeDataPointSnapshot> lastCompleted(WorkflowStatus backup) {
    return backup.clusters().stream().flatMap(run -> completedAt(run).stream().map(at -> GaugeDataPointSnapshot.builder()
        .labels(Labels.of("namespace", backup.id().namespace(), "name", backup.id().name(), "cluster", run.cluster()))
        .value(seconds(at))
        .build()));
  }

  private static Stream<GaugeDataPointSnapshot> schedulePeriod(WorkflowStatus backup, Instant at) {
    return backup.schedule().flatMap(s -> VeleroCron.parse(s).cron()).stream()
        .map(cron -> GaugeDataPointSnapshot.builder()
            .labels(Labels.of("namespace", backup.id().namespace(), "name", backup.id().name()))
            .value(cron.intervalAround(at.atZone(ZoneOffset.UTC)).toMillis() / 1000.0)
            .build());
  }

  private static Optional<Instant> completedAt(ClusterRun run) {
    return run.lastCompleted().filter(v -> v.phase() == VeleroPhase.COMPLETED).flatMap(VeleroRun::completed);
  }

  private static MetricSnapshot clusterGauge(StatusReport r, String name, String help, Function<ClusterState, Double> value) {
    return gauge(name, help, r.clusters().stream().map(c -> GaugeDataPointSnapshot.builder()
        .labels(Labels.of("cluster", c.cluster(), "fleet", c.fleet()))
        .value(value.apply(c))
        .build()));
  }

  private static GaugeDataPointSnapshot point(double value) {
    return GaugeDataPointSnapshot.builder().value(value).build();
  }

  // A snapshot with the same labels twice fails the whole scrape; the first one wins instead.

  private static MetricSnapshot gauge(String name, String help, Stream<GaugeDataPointSnapshot> points) {
    GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
    Set<Labels> seen = new HashSet<>();
    points.filter(p -> seen.add(p.getLabels())).forEach(b::dataPoint);
    return b.build();
  }

  private static MetricSnapshot info(String name, String help, Stream<Labels> labels) {
    InfoSnapshot.Builder b = InfoSnapshot.builder().name(name).help(help);
    Set<Labels> seen = new HashSet<>();
    labels.filter(seen::add).forEach(l -> b.dataPoint(InfoDataPointSnapshot.builder().labels(l).build()));
    return b.build();
  }
}
