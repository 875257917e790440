package dev.fleetbackup.pipeline;

import dev.fleetbackup.model.Diagnostic;
import dev.fleetbackup.model.PolicySet;
import dev.fleetbackup.model.Revision;
import dev.fleetbackup.model.SafeText;
import dev.fleetbackup.model.SourceLocation;
import dev.fleetbackup.report.StatusReport;
import dev.fleetbackup.source.GitSource;
import dev.fleetbackup.source.PolicySnapshot;
import dev.fleetbackup.source.SourceException;
import dev.fleetbackup.validate.ValidationReport;
import dev.fleetbackup.validate.Validator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * {@code fleet-backup run}: fetch the config repo, validate a new commit, keep the last good one
 * applied, run a pass over the fleet every interval (drift and statuses refresh even without a new
 * commit), and publish the report. A failing fetch, commit or publish never stops the loop, nor does
 * a bug: an exception or error is logged and the next iteration runs. Only the JVM failing (an
 * {@link OutOfMemoryError}, an {@link InternalError}) ends it, at once, so that the process exits and
 * is restarted; the Deployment runs with {@code -XX:+ExitOnOutOfMemoryError} for that, and the
 * budgets of validation keep any commit from getting there.
 */
public final class GitOpsLoop {
  private static final Logger logger = LoggerFactory.getLogger(GitOpsLoop.class);

  private final GitSource source;
  private final Validator validator;
  private final FleetPass pass;
  private final StatusPublisher publisher;
  private final Clock clock;

  private Optional<Applied> applied = Optional.empty();
  private Optional<StatusReport.Rejection> rejected = Optional.empty();
  private Optional<String> sourceProblem = Optional.empty();
  private Optional<Revision> lastFetched = Optional.empty();
  /** The report found on the status branch when this process started, until a commit is applied. */
  private Optional<StatusReport> inherited = Optional.empty();
  private boolean started;

  private record Applied(Revision revision, PolicySet policies) {}

  /** What to do with a head that does not contain the applied commit (a force-push, a rollback of the branch). */
  public enum History {
    /** Validate and apply it like any head, and report the rewrite. */
    FOLLOW,
    /** {@code --require-fast-forward}: refuse it, keep the applied commit, and report the rewrite. */
    FAST_FORWARD_ONLY
  }

  private final History history;

  public GitOpsLoop(GitSource source, Validator validator, FleetPass pass, StatusPublisher publisher, Clock clock) {
    this(source, validator, pass, publisher, clock, History.FOLLOW);
  }

  public GitOpsLoop(GitSource source, Validator validator, FleetPass pass, StatusPublisher publisher, Clock clock,
      History history) {
    this.source = source;
    this.validator = validator;
    this.pass = pass;
    this.publisher = publisher;
    this.clock = clock;
    this.history = history;
  }

  /** Runs iterations until {@code stop} says so, waiting between them on {@code waiter}. */
  public void run(Trigger waiter, BooleanSupplier stop) throws InterruptedException {
    while (!stop.getAsBoolean()) {
      try {
        iterate();
      } catch (RuntimeException | Error e) {
        if (isFatal(e)) {
          logger.error("the JVM cannot go on ({}); exiting so that the process is restarted", e.toString(), e);
          throw e;
        }
        logger.error("iteration failed; the loop goes on with the next one", e);
      }
      waiter.awaitNext();
    }
  }

  /** The JVM itself failing: nothing it does afterwards can be trusted. A stack overflow unwinds cleanly. */
  static boolean isFatal(Throwable e) {
    return e instanceof VirtualMachineError && !(e instanceof StackOverflowError);
  }

  /** Waits for the next pass: the interval, or a manual trigger, whichever comes first. */
  @FunctionalInterface
  public interface Trigger {
    void awaitNext() throws InterruptedException;
  }

  /** What one iteration did: the pass's outcome ({@link PassOutcome#NONE} before a commit was valid), and the report published. */
  public record Iteration(PassOutcome outcome, StatusReport report) {}

  /**
   * One iteration: fetch, validate a new commit, pass over the fleet, publish. The first one of a
   * process whose head commit is not valid goes on enforcing the revision the status branch says
   * was applied, validated again.
   */
  public Iteration iterate() {
    Instant began = clock.instant();
    fetchAndValidate();
    if (!started) {
      started = true;
      if (applied.isEmpty()) {
        restoreApplied();
      }
    }
    PassOutcome outcome = applied.map(a -> pass.run(a.policies())).orElse(PassOutcome.NONE);
    // asked to stop during the pass: said again after publishing, which may swallow it, so that the wait ends at once
    boolean interrupted = Thread.currentThread().isInterrupted();
    log(outcome);
    Instant finished = clock.instant();
    StatusReport report = applied.isEmpty() && inherited.isPresent()
        ? inheritedView(inherited.get(), finished, Duration.between(began, finished))
        : new StatusReport(finished, Duration.between(began, finished), applied.map(Applied::revision),
            rejected, sourceProblem, outcome.clusters(), outcome.backups(), outcome.restores(), outcome.migrations());
    try {
      logger.info(publisher.publish(report));
    } catch (Exception e) {
      logger.warn("status not published: {}", e.getMessage());
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return new Iteration(outcome, report);
  }

  /** What the pass changed in each member, at INFO when it changed something, and why a member failed or needs a person. */
  private static void log(PassOutcome outcome) {
    for (PassOutcome.Member member : outcome.members()) {
      MDC.put("cluster", member.cluster());
      try {
        Optional<String> changed = ChangeLog.line(member.outcome());
        changed.ifPresent(line -> logger.info("{}: {}", SafeText.oneLine(member.cluster()), line));
        member.failure().ifPresent(f -> logger.warn("{}: {} ({})", SafeText.oneLine(member.cluster()),
            SafeText.oneLine(f.message()), f.reason()));
        member.outcome().warnings().forEach(w -> logger.warn("{}: {} ({})", SafeText.oneLine(member.cluster()),
            SafeText.oneLine(w.message()), w.reason()));
      } finally {
        MDC.remove("cluster");
      }
    }
  }

  public Optional<Revision> appliedRevision() {
    return applied.map(Applied::revision);
  }

  private void fetchAndValidate() {
    Revision head;
    try {
      head = source.fetch();
      sourceProblem = Optional.empty();
    } catch (SourceException e) {
      sourceProblem = Optional.of(e.getMessage());
      logger.warn("{}; keeping {}", e.getMessage(), keeping());
      return;
    }
    if (lastFetched.equals(Optional.of(head))) {
      return;
    }
    lastFetched = Optional.of(head);
    logger.info("fetched {}", head);
    if (rewrites(head)) {
      return;
    }
    ValidationReport report;
    try {
      PolicySnapshot snapshot = source.read(head);
      report = validator.validate(snapshot);
    } catch (SourceException e) {
      sourceProblem = Optional.of(e.getMessage());
      lastFetched = Optional.empty();
      logger.warn(e.getMessage());
      return;
    } catch (RuntimeException | StackOverflowError e) {
      // a bug, not the commit's fault as far as anyone can tell; the commit is not applied either way
      logger.error("validating {} failed; keeping {}", head, keeping(), e);
      rejected = Optional.of(new StatusReport.Rejection(head, List.of()));
      return;
    }
    if (report.valid()) {
      applied = Optional.of(new Applied(head, report.policies()));
      rejected = Optional.empty();
      inherited = Optional.empty();
      logger.info(report.summary());
    } else {
      List<Diagnostic> errors = report.diagnostics().stream().filter(Diagnostic::isError).toList();
      rejected = Optional.of(new StatusReport.Rejection(head, errors, report.errorCount()));
      logger.warn("rejected {}: {}; keeping {}", head, report.summary(), keeping());
      errors.forEach(error -> logger.warn("  {}", error));
      report.omittedLine().ifPresent(line -> logger.warn("  {}", line));
    }
  }

  /**
   * Whether {@code head} is refused for leaving the applied commit out of its history ("main moved
   * from X to Y, which does not contain X"): logged always, and with {@code --require-fast-forward}
   * the head is rejected, so the status branch shows it, and the applied commit stays.
   */
  private boolean rewrites(Revision head) {
    if (applied.isEmpty()) {
      return false;
    }
    Revision current = applied.get().revision();
    boolean forward;
    try {
      forward = source.contains(head, current);
    } catch (SourceException e) {
      logger.warn(e.getMessage());
      forward = false;
    }
    if (forward) {
      return false;
    }
    String moved = head.branch() + " moved from " + current.shortSha() + " to " + head.shortSha() + ", which does not contain "
        + current.shortSha() + " (history rewritten)";
    if (history == History.FOLLOW) {
      logger.warn("{}; following it", moved);
      return false;
    }
    logger.warn("{}; refused, keeping {}", moved, current);
    rejected = Optional.of(new StatusReport.Rejection(head, List.of(Diagnostic.error(SourceLocation.startOf("."),
        moved + ": refused by --require-fast-forward, " + current.shortSha() + " stays applied"))));
    return true;
  }

  /**
   * A restarted reconciler (a new pod, a fresh work folder) whose head commit is invalid: the
   * revision the status branch last showed applied is read, validated again and enforced, so that
   * nothing stops being reconciled because of a rejected commit. A revision that cannot be read
   * (history rewritten) or is no longer valid is not applied; the status branch keeps its view then.
   */
  private void restoreApplied() {
    Optional<StatusReport> last;
    try {
      last = publisher.lastPublished();
    } catch (Exception e) {
      logger.warn("cannot read the last status: {}", SafeText.oneLine(String.valueOf(e.getMessage())));
      return;
    }
    Optional<Revision> revision = last.flatMap(StatusReport::applied);
    if (revision.isEmpty()) {
      return;
    }
    inherited = last;
    try {
      ValidationReport report = validator.validate(source.read(revision.get()));
      if (report.valid()) {
        applied = Optional.of(new Applied(revision.get(), report.policies()));
        logger.info("applying {}, as the status branch shows, until a new commit is valid", revision.get());
      } else {
        logger.warn("{}, applied before this process started, is not valid now ({}); nothing applied", revision.get(),
            report.summary());
      }
    } catch (SourceException e) {
      logger.warn("{}, applied before this process started, cannot be read ({}); nothing applied", revision.get(),
          SafeText.oneLine(e.getMessage()));
    }
  }

  /**
   * What to publish while nothing is applied, for a status branch that showed an applied revision:
   * its clusters and workflows as they were, with this process's rejection and source problem,
   * never a view emptied by a rejected commit.
   */
  private StatusReport inheritedView(StatusReport last, Instant finished, Duration took) {
    return new StatusReport(finished, took, last.applied(), rejected.or(last::rejected), sourceProblem, last.clusters(),
        last.backups(), last.restores(), last.migrations());
  }

  private String keeping() {
    return appliedRevision().map(Revision::toString).orElse("nothing applied yet");
  }
}
