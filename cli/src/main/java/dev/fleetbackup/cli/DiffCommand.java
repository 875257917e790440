package dev.fleetbackup.cli;

import dev.fleetbackup.pipeline.MemberResult;
import dev.fleetbackup.pipeline.PassReport;
import dev.fleetbackup.pipeline.Pipeline;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "diff",
    description = {"Show what apply would change in every member cluster, by a server-side dry run that writes nothing.",
        "Prints one line per object (cluster, Kind/namespace/name, created|changed|deleted|unchanged|skipped),",
        "then a unified YAML diff of the fields fleet-backup owns, one section per cluster. Secret values are masked."},
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {"0:no differences", "1:differences (or an invalid config repo)", "2:a cluster failed, usage or internal error"})
final class DiffCommand implements Callable<Integer> {
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

  DiffCommand(Pipeline pipeline) {
    this.pipeline = pipeline;
  }

  @Override
  public Integer call() throws IOException {
    var credentials = clusters.credentials(spec.commandLine());
    PassReport report = pipeline.withGuardrails(guardrails.value())
        .run(new Pipeline.Request(repo.read(), credentials, clusters.selected(), new Pipeline.DiffOnly()));
    PrintWriter out = spec.commandLine().getOut();
    try {
      if (report instanceof PassReport.Invalid invalid) {
        PassRendering.invalid(invalid.validation(), output.output, out);
        return ExitCode.FINDINGS.code();
      }
      PassReport.Completed completed = (PassReport.Completed) report;
      if (output.output == OutputFormat.json) {
        out.println(Json.MAPPER.writeValueAsString(PassRendering.json(completed)));
      } else {
        PassRendering.diffText(completed, out);
      }
      return exitCode(completed).code();
    } finally {
      out.flush();
    }
  }

  static ExitCode exitCode(PassReport.Completed report) {
    boolean failed = report.members().stream().anyMatch(m -> m instanceof MemberResult.Failed
        || m instanceof MemberResult.Diffed d && !d.changes().failures().isEmpty());
    if (failed) {
      return ExitCode.ERROR;
    }
    boolean differs = report.members().stream().anyMatch(m -> m instanceof MemberResult.Diffed d && d.changes().hasDifferences());
    return differs ? ExitCode.FINDINGS : ExitCode.OK;
  }
}
