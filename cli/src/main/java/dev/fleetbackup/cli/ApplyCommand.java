package dev.fleetbackup.cli;

import dev.fleetbackup.apply.ApplyOptions;
import dev.fleetbackup.pipeline.PassReport;
import dev.fleetbackup.pipeline.Pipeline;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "apply",
    description = {"One full pass over every member cluster, printing what it did.",
        "Installs Velero and brings the Velero objects of every member cluster into the shape the config repo describes,",
        "then prunes what fleet-backup applied earlier and no longer wants."},
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {"0:every cluster applied", "1:invalid config repo", "2:a cluster failed or was refused, usage or internal error"})
final class ApplyCommand implements Callable<Integer> {
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

  @Option(names = "--allow-mass-delete",
      description = "Allow a pass to delete more than --max-delete-share of what fleet-backup manages in a cluster (e.g. when removing the backup plugin).")
  boolean allowMassDelete;

  @Option(names = "--max-delete-share", paramLabel = "SHARE",
      description = "The mass-deletion guard: the share of managed objects one pass may delete (default: ${DEFAULT-VALUE}).")
  double maxDeleteShare = ApplyOptions.DEFAULTS.maxDeleteShare();

  private final Pipeline pipeline;

  ApplyCommand(Pipeline pipeline) {
    this.pipeline = pipeline;
  }

  @Override
  public Integer call() throws IOException {
    var credentials = clusters.credentials(spec.commandLine());
    ApplyOptions options = new ApplyOptions(maxDeleteShare,
        allowMassDelete ? ApplyOptions.Deletes.ALLOW_MASS_DELETE : ApplyOptions.Deletes.GUARDED,
        ApplyOptions.DEFAULTS.waitTimeout());
    PassReport report = pipeline.withGuardrails(guardrails.value())
        .run(new Pipeline.Request(repo.read(), credentials, clusters.selected(), new Pipeline.Apply(options)));
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
        PassRendering.applyText(completed, out);
      }
      return (completed.anyFailed() ? ExitCode.ERROR : ExitCode.OK).code();
    } finally {
      out.flush();
    }
  }
}
