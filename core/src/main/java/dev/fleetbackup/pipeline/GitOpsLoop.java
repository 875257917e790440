package dev.fleetbackup.pipeline;

import dev.fleetbackup.model.Diagnostic;
import dev.fleetbackup.model.PolicySet;
import dev.fleetbackup.model.Revision;
import dev.fleetbackup.model.SafeText;
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

  private record Applied(Revision revision, PolicySet policies) {}

  public GitOpsLoop(GitSource source, Validator validator, FleetPass pass, StatusPublisher publisher, Clock clock) {
    this.source = source;
    this.validator = validator;
    this.pass = pass;
    this.publisher = publisher;
    this.clock = clock;
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

  /** One iteration: fetch, validate a new commit, pass over the fleet, publish. */
  public Iteration iterate() {
    Instant started = clock.instant();
    fetchAndValidate();
    PassOutcome outcome = applied.map(a -> pass.run(a.policies())).orElse(PassOutcome.NONE);
    log(outcome);
    Instant finished = clock.instant();
    StatusReport report = new StatusReport(finished, Duration.between(started, finished), applied.map(Applied::revision),
        rejected, sourceProblem, outcome.clusters(), outcome.backups(), outcome.restores(), outcome.migrations());
    try {
      logger.info(publisher.publish(report));
    } catch (Exception e) {
      logger.warn("status not published: {}", e.getMessage());
    }
    return new Iteration(outcome, report);
  }

  /** What the pass changed in each member, at INFO when it changed something, and why a member failed. */
  private static void log(PassOutcome outcome) {
    for (PassOutcome.Member member : outcome.members()) {
      MDC.put("cluster", member.cluster());
      try {
        Optional<String> changed = ChangeLog.line(member.outcome());
        changed.ifPresent(line -> logger.info("{}: {}", SafeText.oneLine(member.cluster()), line));
        member.failure().ifPresent(f -> logger.warn("{}: {} ({})", SafeText.oneLine(member.cluster()),
            SafeText.oneLine(f.message()), f.reason()));
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
      logger.info(report.summary());
    } else {
      List<Diagnostic> errors = report.diagnostics().stream().filter(Diagnostic::isError).toList();
      rejected = Optional.of(new StatusReport.Rejection(head, errors, report.errorCount()));
      logger.warn("rejected {}: {}; keeping {}", head, report.summary(), keeping());
      errors.forEach(error -> logger.warn("  {}", error));
      report.omittedLine().ifPresent(line -> logger.warn("  {}", line));
    }
  }

  private String keeping() {
    return appliedRevision().map(Revision::toString).orElse("nothing applied yet");
  }
}
