package dev.fleetbackup.cli;

import dev.fleetbackup.model.FlagDuration;
import dev.fleetbackup.model.SafeText;
import dev.fleetbackup.pipeline.ExitCode;
import dev.fleetbackup.report.StatusFiles;
import dev.fleetbackup.report.StatusReport;
import dev.fleetbackup.report.TerminalView;
import dev.fleetbackup.source.GitSource;
import dev.fleetbackup.source.SourceException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "status",
    description = {"Show the fleet's status from the status branch that `run` writes.",
        "Clusters, backups, restores, migrations, and what needs attention first."},
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {"0:nothing needs attention", "1:something needs attention, the report is older than --max-age, or there is"
        + " no report yet", "2:the repo cannot be read"})
final class StatusCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  GitRemoteOptions git = new GitRemoteOptions();

  @Mixin
  OutputOptions output = new OutputOptions();

  @Option(names = "--status-branch", paramLabel = "BRANCH", description = "Default: ${DEFAULT-VALUE}.")
  String statusBranch = RunCommand.DEFAULT_STATUS_BRANCH;

  @Option(names = "--max-age", paramLabel = "DURATION",
      description = {"Exit 1 when the last pass finished longer ago than this, e.g. 3 intervals: a reconciler that stopped",
          "leaves a page that looks current (default: no limit)."})
  Duration maxAge;

  private final Clock clock;

  StatusCommand(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Integer call() throws IOException, SourceException {
    PrintWriter out = spec.commandLine().getOut();
    Optional<byte[]> json;
    try (GitSource source = GitSource.open(git.remote(), statusBranch, "", git.clone("status"))) {
      json = source.statusBranch(statusBranch, "fleet-backup", "fleet-backup@localhost").read(StatusFiles.STATUS_JSON);
    }
    if (json.isEmpty()) {
      spec.commandLine().getErr()
          .println(SafeText.oneLine("no status report on branch " + statusBranch + " of " + git.remote() + " yet"));
      return ExitCode.FINDINGS.code();
    }
    // read as a report in both formats: whoever can push to the repo can write the branch, and
    // only a status file (valid JSON, so no raw control character) is printed as it is
    StatusReport report = new StatusFiles().parse(json.get());
    if (output.output == OutputFormat.json) {
      out.print(new String(json.get(), StandardCharsets.UTF_8));
    } else if (output.output == OutputFormat.yaml) {
      out.print(Json.write(Json.MAPPER.readTree(json.get()), OutputFormat.yaml));
    } else {
      out.print(new TerminalView().render(report));
    }
    boolean stale = maxAge != null && report.finishedAt().plus(maxAge).isBefore(clock.instant());
    if (stale) {
      spec.commandLine().getErr().println("stale: the last pass finished at " + report.finishedAt() + ", more than "
          + FlagDuration.format(maxAge) + " ago");
    }
    out.flush();
    return (stale || report.needsAttention() ? ExitCode.FINDINGS : ExitCode.OK).code();
  }
}
