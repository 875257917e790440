package dev.fleetbackup.cli;

import dev.fleetbackup.cluster.CredentialSource;
import dev.fleetbackup.model.FlagDuration;
import dev.fleetbackup.model.PolicySet;
import dev.fleetbackup.pipeline.Concurrency;
import dev.fleetbackup.pipeline.ExitCode;
import dev.fleetbackup.pipeline.PassOutcome;
import dev.fleetbackup.pipeline.Pipeline;
import dev.fleetbackup.pipeline.Selection;
import dev.fleetbackup.pipeline.Timeouts;
import dev.fleetbackup.plan.FleetPlan;
import dev.fleetbackup.source.PolicySnapshot;
import dev.fleetbackup.validate.Guardrails;
import dev.fleetbackup.validate.ValidationReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What {@code diff} and {@code apply} share: validate the repo (an invalid one is printed as
 * {@code validate} prints it, and no member is contacted), check the {@code --cluster} names, run
 * the pass, print its outcome, and exit with the status the outcome gives.
 */
abstract class PassCommand implements Callable<Integer> {
  /** How long a pass stopped by {@code --timeout} may take to come back with its outcome. */
  private static final Duration STOP_GRACE = Duration.ofSeconds(30);

  @Spec
  CommandSpec spec;

  @Mixin
  RepoOptions repo = new RepoOptions();

  @Mixin
  ClusterOptions clusters = new ClusterOptions();

  @Mixin
  OutputOptions output = new OutputOptions();

  @Mixin
  GuardrailOptions guardrails = new GuardrailOptions();

  @Option(names = "--timeout", paramLabel = "DURATION",
      description = {"How long the whole command may take; when it runs out, the members still being worked on stop at",
          "their next request and are reported interrupted, and the command exits 2 (default: 0s, no bound).",
          "--request-timeout bounds each request, --member-timeout each member's part of the pass."})
  Duration timeout = Duration.ZERO;

  final Function<Guardrails, Runner> runners;

  PassCommand(Function<Guardrails, Runner> runners) {
    this.runners = runners;
  }

  /** Validation and the pass, under the command's guardrails: the pipeline, or a test's stand-in. */
  interface Runner {
    ValidationReport validate(PolicySnapshot snapshot);

    PassOutcome run(PolicySet policies, Pipeline.Request request);

    /** The desired objects of every member, planned offline ({@code diff --offline}). */
    FleetPlan plan(PolicySet policies);

    /** {@code pipeline} under each command's guardrails. */
    static Function<Guardrails, Runner> of(Pipeline pipeline) {
      return guardrails -> {
        Pipeline guarded = pipeline.withGuardrails(guardrails);
        return new Runner() {
          @Override
          public ValidationReport validate(PolicySnapshot snapshot) {
            return guarded.validate(snapshot);
          }

          @Override
          public PassOutcome run(PolicySet policies, Pipeline.Request request) {
            return guarded.run(policies, request);
          }

          @Override
          public FleetPlan plan(PolicySet policies) {
            return guarded.plan(policies);
          }
        };
      };
    }
  }

  /** Diff only, or apply too. */
  abstract Pipeline.Mode mode();

  /** The exit status of an invalid config repo: a finding for apply, an error for diff (as kubectl diff's). */
  ExitCode invalidRepo() {
    return ExitCode.FINDINGS;
  }

  /** The outcome for people, and the exit status. */
  abstract ExitCode text(PassOutcome outcome, PrintWriter out);

  @Override
  public Integer call() throws IOException {
    long start = System.nanoTime();
    CredentialSource credentials = clusters.credentials(spec.commandLine());
    Concurrency concurrency = clusters.concurrency(spec.commandLine());
    Timeouts timeouts = clusters.timeouts(spec.commandLine());
    Runner guarded = runners.apply(guardrails.value());
    PolicySnapshot snapshot = repo.read();
    ValidationReport validation = guarded.validate(snapshot);
    PrintWriter out = spec.commandLine().getOut();
    try {
      if (!validation.valid()) {
        PassRendering.invalid(validation, output.output, out);
        return invalidRepo().code();
      }
      PolicySet policies = validation.policies();
      Pipeline.Request request = new Pipeline.Request(credentials, selection(policies), mode(), concurrency, timeouts);
      Optional<PassOutcome> bounded = timeout.isZero() ? Optional.of(guarded.run(policies, request))
          : within(timeout.minusNanos(System.nanoTime() - start), () -> guarded.run(policies, request));
      if (bounded.isEmpty()) {
        return ExitCode.ERROR.code();
      }
      PassOutcome outcome = bounded.get();
      if (output.output.structured()) {
        out.println(Json.write(PassRendering.json(snapshot.revision(), outcome), output.output));
        return outcome.exitCode().code();
      }
      return text(outcome, out).code();
    } finally {
      out.flush();
    }
  }

  /** The {@code --cluster} members; one the config repo does not have is a usage error, before any member is contacted. */
  Selection selection(PolicySet policies) {
    return clusters.selection(spec.commandLine(), policies);
  }

  /**
   * The pass, stopped when {@code left} runs out ({@code --timeout}): its thread is interrupted, so
   * that each member still being worked on stops at its next request and is reported interrupted;
   * empty when even that does not come back.
   */
  private Optional<PassOutcome> within(Duration left, Supplier<PassOutcome> pass) {
    CompletableFuture<PassOutcome> result = new CompletableFuture<>();
    Thread worker = new Thread(() -> {
      try {
        result.complete(pass.get());
      } catch (Throwable e) {
        result.completeExceptionally(e);
      }
    }, "pass");
    worker.setDaemon(true);
    worker.start();
    PrintWriter err = spec.commandLine().getErr();
    try {
      try {
        return Optional.of(result.get(Math.max(0, left.toNanos()), TimeUnit.NANOSECONDS));
      } catch (TimeoutException e) {
        worker.interrupt();
        err.println("fleet-backup: " + spec.name() + " did not finish within --timeout " + FlagDuration.format(timeout)
            + "; the members still being worked on were stopped");
        err.flush();
        return Optional.of(result.get(STOP_GRACE.toNanos(), TimeUnit.NANOSECONDS));
      }
    } catch (TimeoutException e) {
      err.println("fleet-backup: the pass did not stop within " + FlagDuration.format(STOP_GRACE) + " of --timeout");
      err.flush();
      return Optional.empty();
    } catch (InterruptedException e) {
      worker.interrupt();
      Thread.currentThread().interrupt();
      return Optional.empty();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    }
  }
}
