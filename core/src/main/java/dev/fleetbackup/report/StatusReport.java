package dev.fleetbackup.report;

import dev.fleetbackup.model.ClusterState;
import dev.fleetbackup.model.Diagnostic;
import dev.fleetbackup.model.Revision;
import dev.fleetbackup.model.WorkflowStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Everything the status branch says after one pass: which revision is applied, which was
 * attempted and why it was rejected, every cluster, backup, restore and migration.
 *
 * @param finishedAt when the pass finished; with {@code took}, the only parts that change every
 *     pass, so they do not count as a change of content
 * @param rejected the newest commit when it failed validation, with its errors; the applied
 *     revision stays in force
 * @param sourceProblem why the last fetch failed, when it did
 * @param interval how often the reconciler that wrote it passes, when it passes again at all
 *     ({@code run}, not {@code run --once}): a report with no pass for {@link #STALE_INTERVALS}
 *     intervals was left by a reconciler that stopped
 */
public record StatusReport(
    Instant finishedAt,
    Duration took,
    Optional<Revision> applied,
    Optional<Rejection> rejected,
    Optional<String> sourceProblem,
    List<ClusterState> clusters,
    List<WorkflowStatus> backups,
    List<WorkflowStatus> restores,
    List<WorkflowStatus> migrations,
    Optional<Duration> interval) {
  /** Intervals without a pass after which a report is stale. */
  public static final int STALE_INTERVALS = 3;

  public StatusReport {
    clusters = List.copyOf(clusters);
    backups = List.copyOf(backups);
    restores = List.copyOf(restores);
    migrations = List.copyOf(migrations);
    interval = interval == null ? Optional.empty() : interval.filter(i -> i.compareTo(Duration.ZERO) > 0);
  }

  /** A report of a pass that is not repeated, or whose interval is said later ({@link #withInterval}). */
  public StatusReport(Instant finishedAt, Duration took, Optional<Revision> applied, Optional<Rejection> rejected,
      Optional<String> sourceProblem, List<ClusterState> clusters, List<WorkflowStatus> backups,
      List<WorkflowStatus> restores, List<WorkflowStatus> migrations) {
    this(finishedAt, took, applied, rejected, sourceProblem, clusters, backups, restores, migrations, Optional.empty());
  }

  /** The same report, written by a reconciler that passes every {@code interval}. */
  public StatusReport withInterval(Optional<Duration> interval) {
    return new StatusReport(finishedAt, took, applied, rejected, sourceProblem, clusters, backups, restores, migrations,
        interval);
  }

  /**
   * When this report becomes stale: {@link #STALE_INTERVALS} intervals after its pass; empty when
   * no further pass is due.
   */
  public Optional<Instant> staleAfter() {
    return interval.map(i -> finishedAt.plus(i.multipliedBy(STALE_INTERVALS)));
  }

  /** Whether the reconciler that wrote this report has missed {@link #STALE_INTERVALS} passes by {@code now}. */
  public boolean isStaleAt(Instant now) {
    return staleAfter().filter(now::isAfter).isPresent();
  }

  /** Whether anything needs a person: a row of the page's "Needs attention". */
  public boolean needsAttention() {
    return !Attention.of(this).isEmpty();
  }

  /**
   * A commit that failed validation: its first errors in file order, at most {@link #MAX_ERRORS},
   * and how many it had in all.
   */
  public record Rejection(Revision revision, List<Diagnostic> errors, long errorCount) {
    /** Errors a rejection keeps (as many as {@code validate} prints); the count stays exact. */
    public static final int MAX_ERRORS = 100;

    public Rejection {
      errorCount = Math.max(errorCount, errors.size());
      errors = List.copyOf(errors.size() > MAX_ERRORS ? errors.subList(0, MAX_ERRORS) : errors);
    }

    public Rejection(Revision revision, List<Diagnostic> errors) {
      this(revision, errors, errors.size());
    }

    /** The errors counted but not kept. */
    public long omitted() {
      return errorCount - errors.size();
    }
  }

  /** The same report with the per-pass timing zeroed: equal content renders equal bytes. */
  public StatusReport withoutTiming() {
    return new StatusReport(Instant.EPOCH, Duration.ZERO, applied, rejected, sourceProblem, clusters, backups,
        restores, migrations, interval);
  }
}
