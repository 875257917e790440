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
    List<WorkflowStatus> migrations) {

  public StatusReport {
    clusters = List.copyOf(clusters);
    backups = List.copyOf(backups);
    restores = List.copyOf(restores);
    migrations = List.copyOf(migrations);
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
        restores, migrations);
  }
}
