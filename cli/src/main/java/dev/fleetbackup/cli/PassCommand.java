package dev.fleetbackup.cli;

import dev.fleetbackup.cluster.CredentialSource;
import dev.fleetbackup.model.PolicySet;
import dev.fleetbackup.pipeline.ExitCode;
import dev.fleetbackup.pipeline.PassOutcome;
import dev.fleetbackup.pipeline.Pipeline;
import dev.fleetbackup.pipeline.Selection;
import dev.fleetbackup.source.PolicySnapshot;
import dev.fleetbackup.validate.ValidationReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
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

  private final Pipeline pipeline;

  PassCommand(Pipeline pipeline) {
    this.pipeline = pipeline;
  }

  /** Diff only, or apply too. */
  abstract Pipeline.Mode mode();

  /** The outcome for people. */
  abstract void text(PassOutcome outcome, PrintWriter out);

  @Override
  public Integer call() throws IOException {
    CredentialSource credentials = clusters.credentials(spec.commandLine());
    Pipeline guarded = pipeline.withGuardrails(guardrails.value());
    PolicySnapshot snapshot = repo.read();
    ValidationReport validation = guarded.validate(snapshot);
    PrintWriter out = spec.commandLine().getOut();
    try {
      if (!validation.valid()) {
        PassRendering.invalid(validation, output.output, out);
        return ExitCode.FINDINGS.code();
      }
      PolicySet policies = validation.policies();
      PassOutcome outcome = guarded.run(policies, new Pipeline.Request(credentials, selection(policies), mode()));
      if (output.output == OutputFormat.json) {
        out.println(Json.MAPPER.writeValueAsString(PassRendering.json(snapshot.revision(), outcome)));
      } else {
        text(outcome, out);
      }
      return outcome.exitCode().code();
    } finally {
      out.flush();
    }
  }

  /** The {@code --cluster} members; one the config repo does not have is a usage error, before any member is contacted. */
  private Selection selection(PolicySet policies) {
    Selection.Choice choice = Selection.of(policies, clusters.clusters);
    if (choice instanceof Selection.Unknown unknown) {
      throw new ParameterException(spec.commandLine(), "--cluster: " + unknown.message());
    }
    return ((Selection.Chosen) choice).selection();
  }
}
