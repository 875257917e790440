package dev.fleetbackup.cli;

import dev.fleetbackup.cluster.CredentialSource;
import dev.fleetbackup.model.PolicySet;
import dev.fleetbackup.pipeline.Concurrency;
import dev.fleetbackup.pipeline.ExitCode;
import dev.fleetbackup.pipeline.PassOutcome;
import dev.fleetbackup.pipeline.Pipeline;
import dev.fleetbackup.pipeline.Selection;
import dev.fleetbackup.plan.FleetPlan;
import dev.fleetbackup.source.PolicySnapshot;
import dev.fleetbackup.validate.Guardrails;
import dev.fleetbackup.validate.ValidationReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * What {@code diff} and {@code apply} share: validate the repo (an invalid one is printed as
 * {@code validate} prints it, and no member is contacted), check the {@code --cluster} names, run
 * the pass, print its outcome, and exit with the status the outcome gives.
 */
abstract class PassCommand implements Callable<Integer> {
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

  /** The outcome for people. */
  abstract void text(PassOutcome outcome, PrintWriter out);

  @Override
  public Integer call() throws IOException {
    CredentialSource credentials = clusters.credentials(spec.commandLine());
    Concurrency concurrency = clusters.concurrency(spec.commandLine());
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
      PassOutcome outcome = guarded.run(policies, new Pipeline.Request(credentials, selection(policies), mode(), concurrency));
      if (output.output.structured()) {
        out.println(Json.write(PassRendering.json(snapshot.revision(), outcome), output.output));
      } else {
        text(outcome, out);
      }
      return outcome.exitCode().code();
    } finally {
      out.flush();
    }
  }

  /** The {@code --cluster} members; one the config repo does not have is a usage error, before any member is contacted. */
  Selection selection(PolicySet policies) {
    Selection.Choice choice = Selection.of(policies, clusters.clusters);
    if (choice instanceof Selection.Unknown unknown) {
      throw new ParameterException(spec.commandLine(), "--cluster: " + unknown.message());
    }
    return ((Selection.Chosen) choice).selection();
  }
}
