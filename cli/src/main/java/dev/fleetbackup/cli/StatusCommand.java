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
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
    exitCodeList = {"0:nothing needs attention", "1:something needs attention, the report is stale (no pass for 3 of the"
        + " reconciler's intervals, or older than --max-age), or there is no report yet", "2:the repo cannot be read"})
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
      description = {"Exit 1 when the last pass finished longer ago than this (default: 3 of the intervals the report",
          "says the reconciler passes at; a reconciler that stopped leaves a page that looks current)."})
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
    Instant now = clock.instant();
    if (output.output == OutputFormat.json) {
      out.print(new String(json.get(), StandardCharsets.UTF_8));
    } else if (output.output == OutputFormat.yaml) {
      out.print(Json.write(Json.MAPPER.readTree(json.get()), OutputFormat.yaml));
    } else {
      out.print(new TerminalView().render(report, now));
    }
    Optional<String> stale = stale(report, now);
    stale.ifPresent(spec.commandLine().getErr()::println);
    out.flush();
    return (stale.isPresent() || report.needsAttention() ? ExitCode.FINDINGS : ExitCode.OK).code();
  }

  /** Why the report is stale as of {@code now}, if it is: older than --max-age, or else 3 of its intervals. */
  private Optional<String> stale(StatusReport report, Instant now) {
    Duration age = Duration.between(report.finishedAt(), now).truncatedTo(ChronoUnit.SECONDS);
    String lead = "stale: the last pass finished at " + report.finishedAt().truncatedTo(ChronoUnit.SECONDS) + ", "
        + FlagDuration.format(age) + " ago, ";
    if (maxAge != null) {
      return report.finishedAt().plus(maxAge).isBefore(now)
          ? Optional.of(lead + "more than --max-age " + FlagDuration.format(maxAge)) : Optional.empty();
    }
    return report.isStaleAt(now) ? Optional.of(lead + "more than " + StatusReport.STALE_INTERVALS + " intervals of "
        + FlagDuration.format(report.interval().orElseThrow()) + ": the reconciler has stopped") : Optional.empty();
  }
}
