package dev.fleetbackup.cli;

import dev.fleetbackup.diff.Masking;
import dev.fleetbackup.model.SafeText;
import dev.fleetbackup.pipeline.ExitCode;
import dev.fleetbackup.pipeline.Pipeline;
import dev.fleetbackup.pipeline.Selection;
import dev.fleetbackup.plan.DesiredObject;
import dev.fleetbackup.plan.FleetPlan;
import dev.fleetbackup.plan.ManagedKind;
import dev.fleetbackup.plan.MemberPlan;
import dev.fleetbackup.plan.Unrendered;
import dev.fleetbackup.source.PolicySnapshot;
import dev.fleetbackup.validate.ValidationReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.ObjectNode;

@Command(name = "build",
    description = {"Print the objects fleet-backup would apply to each member cluster, as `flux build` does: no cluster is",
        "contacted and no credential is read, so a pull-request check can show them. Secret values are never shown.",
        "Runs (Backups, Restores) appear under their first name; a pass numbers a run from what its member holds."},
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {"0:built", "1:invalid config repo", "2:usage or internal error"})
final class BuildCommand implements Callable<Integer> {
  /** {@code -o}: the objects as a YAML stream, or all of them in one JSON document. */
  enum Format { yaml, json }

  @Spec
  CommandSpec spec;

  @Mixin
  RepoOptions repo = new RepoOptions();

  @Option(names = "--cluster", paramLabel = "NAME", description = "Only this member cluster (repeatable; default: all).")
  List<String> clusters = List.of();

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "yaml or json (default: ${DEFAULT-VALUE}).")
  Format output = Format.yaml;

  @Mixin
  GuardrailOptions guardrails = new GuardrailOptions();

  private final Pipeline pipeline;

  BuildCommand(Pipeline pipeline) {
    this.pipeline = pipeline;
  }

  @Override
  public Integer call() throws IOException {
    Pipeline guarded = pipeline.withGuardrails(guardrails.value());
    PolicySnapshot snapshot = repo.read();
    ValidationReport validation = guarded.validate(snapshot);
    PrintWriter out = spec.commandLine().getOut();
    try {
      if (!validation.valid()) {
        PassRendering.invalid(validation, output == Format.json ? OutputFormat.json : OutputFormat.text, out);
        return ExitCode.FINDINGS.code();
      }
      Selection selection = ClusterOptions.selection(spec.commandLine(), "--cluster", validation.policies(), clusters);
      FleetPlan plan = guarded.plan(validation.policies());
      List<MemberPlan> members = plan.members().stream().filter(m -> selection.includes(m.cluster())).toList();
      if (output == Format.json) {
        out.println(Json.write(json(snapshot.revision(), members), OutputFormat.json));
      } else {
        members.forEach(member -> yaml(member, out));
      }
      return ExitCode.OK.code();
    } finally {
      out.flush();
    }
  }

  private static void yaml(MemberPlan member, PrintWriter out) {
    out.println("# cluster " + SafeText.oneLine(member.cluster()) + " (namespace " + SafeText.oneLine(member.namespace())
        + ", fleet " + SafeText.oneLine(member.fleet().orElse("none")) + "): " + member.objects().size() + " objects");
    for (DesiredObject object : member.objects()) {
      if (object.isRun()) {
        out.println("# a run: created once, never applied again");
      }
      out.print(Json.write(shown(object), OutputFormat.yaml));
    }
    for (Unrendered u : member.unrendered()) {
      out.println("# not rendered: " + SafeText.oneLine(u.ref() + ": " + u.message()));
    }
  }

  private static Map<String, Object> json(String revision, List<MemberPlan> members) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("revision", revision);
    json.put("clusters", members.stream().map(member -> {
      Map<String, Object> cluster = new LinkedHashMap<>();
      cluster.put("cluster", member.cluster());
      cluster.put("objects", member.objects().stream().map(BuildCommand::shown).toList());
      cluster.put("unrendered", member.unrendered().stream().map(u -> Map.of("object", u.ref().toString(),
          "reason", u.reason().name(), "message", u.message())).toList());
      return cluster;
    }).toList());
    return json;
  }

  /** The manifest as printed: a Secret's values masked, though an offline plan holds only placeholders. */
  private static ObjectNode shown(DesiredObject object) {
    ObjectNode manifest = object.manifest().deepCopy();
    if (object.ref().kind() == ManagedKind.SECRET) {
      Masking.maskSecret(manifest);
    }
    return manifest;
  }
}
