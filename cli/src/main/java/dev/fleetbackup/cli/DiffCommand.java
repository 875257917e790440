package dev.fleetbackup.cli;

import dev.fleetbackup.diff.PlanComparison;
import dev.fleetbackup.model.SafeText;
import dev.fleetbackup.pipeline.ExitCode;
import dev.fleetbackup.pipeline.PassOutcome;
import dev.fleetbackup.pipeline.Pipeline;
import dev.fleetbackup.pipeline.Selection;
import dev.fleetbackup.plan.FleetPlan;
import dev.fleetbackup.source.LocalCommit;
import dev.fleetbackup.source.PolicySnapshot;
import dev.fleetbackup.source.SourceException;
import dev.fleetbackup.validate.Guardrails;
import dev.fleetbackup.validate.ValidationReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

@Command(name = "diff",
    description = {"Show what apply would change in every member cluster, by a server-side dry run that writes nothing.",
        "Prints one line per object that would change (cluster, Kind/namespace/name, created|changed|deleted|skipped;",
        "the unchanged ones too with --show-unchanged), then a unified YAML diff of the fields fleet-backup owns,",
        "one section per cluster. Secret values are masked.",
        "With $KUBECTL_EXTERNAL_DIFF set, as for kubectl diff, that program is run once with two folders, live and merged,",
        "of the objects that would change per cluster (live/<cluster>/<Kind>.<namespace>.<name>.yaml, Secret values",
        "masked) instead of the YAML diffs; it exits 0 or 1, anything else is an error."},
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {"0:no differences", "1:differences",
        "2:an invalid config repo, a cluster failed, usage or internal error (as kubectl diff: above 1 is an error)"})
final class DiffCommand extends PassCommand {
  @Option(names = "--show-unchanged", description = "List the objects that would stay as they are too (hidden by default).")
  boolean showUnchanged;

  @Option(names = "--offline",
      description = {"Compare what the policies ask of each member at --base with what they ask in the working tree,",
          "from the plans alone: no cluster is contacted and no credential read (a pull request's check)."})
  boolean offline;

  @Option(names = "--base", paramLabel = "REF",
      description = "With --offline: the commit to compare with, as git rev-parse takes it, e.g. origin/main (default: ${DEFAULT-VALUE}).")
  String base = "HEAD";

  /** Where {@code $KUBECTL_EXTERNAL_DIFF} is read; the process's environment but in tests. */
  Map<String, String> environment = System.getenv();

  DiffCommand(Function<Guardrails, Runner> runners) {
    super(runners);
  }

  @Override
  public Integer call() throws IOException {
    if (!offline) {
      return super.call();
    }
    Runner guarded = runners.apply(guardrails.value());
    PolicySnapshot head = repo.read();
    PrintWriter out = spec.commandLine().getOut();
    try {
      ValidationReport after = guarded.validate(head);
      if (!after.valid()) {
        PassRendering.invalid(after, output.output, out);
        return invalidRepo().code();
      }
      PolicySnapshot baseSnapshot;
      try {
        baseSnapshot = LocalCommit.read(repo.repo, base, repo.path, repo.ignore.value());
      } catch (SourceException e) {
        throw new ParameterException(spec.commandLine(), "--base: " + e.getMessage());
      }
      ValidationReport before = guarded.validate(baseSnapshot);
      FleetPlan basePlan = before.valid() ? guarded.plan(before.policies()) : new FleetPlan(List.of());
      Selection selection = selection(after.policies());
      List<PlanComparison.MemberChanges> changes = PlanComparison.compare(basePlan, guarded.plan(after.policies())).stream()
          .filter(m -> selection.includes(m.cluster())).toList();
      if (output.output.structured()) {
        out.println(Json.write(PassRendering.offlineJson(baseSnapshot.revision(), before.valid(), head.revision(), changes),
            output.output));
      } else {
        PassRendering.offlineDiffText(baseSnapshot.revision(), before, changes, showUnchanged, out);
      }
      boolean differs = changes.stream().flatMap(m -> m.changes().stream()).anyMatch(c -> c.action().isDifference());
      return differs ? ExitCode.FINDINGS.code() : ExitCode.OK.code();
    } finally {
      out.flush();
    }
  }

  @Override
  Pipeline.Mode mode() {
    return new Pipeline.DiffOnly();
  }

  @Override
  ExitCode invalidRepo() {
    return ExitCode.ERROR;
  }

  /** With {@code $KUBECTL_EXTERNAL_DIFF}, that program shows the diffs between the object lines and the summary. */
  @Override
  ExitCode text(PassOutcome outcome, PrintWriter out) {
    Optional<ExternalDiff> external = ExternalDiff.from(environment);
    if (external.isEmpty()) {
      PassRendering.diffText(outcome, showUnchanged, out);
      return outcome.exitCode();
    }
    PassRendering.diffObjects(outcome, showUnchanged, false, out);
    List<ExternalDiff.Member> members = outcome.members().stream()
        .flatMap(m -> m.outcome().changeSet().stream().map(c -> new ExternalDiff.Member(m.cluster(), c.changes()))).toList();
    try {
      external.get().run(members, out);
    } catch (ExternalDiff.ExternalDiffFailed e) {
      PassRendering.diffSummaryLine(outcome, showUnchanged, out);
      out.flush();
      spec.commandLine().getErr().println("fleet-backup: " + SafeText.oneLine(e.getMessage()));
      spec.commandLine().getErr().flush();
      return ExitCode.ERROR;
    }
    PassRendering.diffSummaryLine(outcome, showUnchanged, out);
    return outcome.exitCode();
  }
}
