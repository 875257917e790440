package dev.fleetbackup.cli;

import dev.fleetbackup.model.Diagnostic;
import dev.fleetbackup.pipeline.ExitCode;
import dev.fleetbackup.source.DirectoryReader;
import dev.fleetbackup.source.PolicySnapshot;
import dev.fleetbackup.validate.ValidationReport;
import dev.fleetbackup.validate.Validator;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "validate",
    description = {"Check a config repo against the schemas and the rules across files, without touching any cluster.",
        "Prints each problem as path:line:column: error: message, then a summary."},
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {"0:valid", "1:invalid", "2:usage or internal error"})
final class ValidateCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", description = "The config repo (default: the current folder).")
  Path repo = Path.of(".");

  @Option(names = "--path", paramLabel = "SUBDIR", description = "Read only this folder of the repo.")
  String path = "";

  @Mixin
  IgnoreOptions ignore = new IgnoreOptions();

  /** {@code -o}: for people; for machines; or for CI: GitHub Actions annotations, a SARIF log for code scanning. */
  enum Format { text, json, yaml, github, sarif }

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT",
      description = {"text, json, yaml, github (workflow commands that annotate the PR's lines) or sarif (a SARIF 2.1.0 log for",
          "code scanning) (default: ${DEFAULT-VALUE})."})
  Format output = Format.text;

  @Mixin
  GuardrailOptions guardrails = new GuardrailOptions();

  private final Validator validator;

  ValidateCommand(Validator validator) {
    this.validator = validator;
  }

  @Override
  public Integer call() throws IOException {
    PolicySnapshot snapshot = new DirectoryReader(repo, ignore.value()).read("working-tree", path);
    ValidationReport report = validator.withGuardrails(guardrails.value()).validate(snapshot);
    PrintWriter out = spec.commandLine().getOut();
    switch (output) {
      case json -> out.println(Json.write(toJson(report), OutputFormat.json));
      case yaml -> out.println(Json.write(toJson(report), OutputFormat.yaml));
      case sarif -> out.println(Json.write(CiAnnotations.sarif(report.diagnostics(),
          VersionProvider.projectVersion().orElse("unknown")), OutputFormat.json));
      case github, text -> {
        report.diagnostics().forEach(d -> out.println(output == Format.github ? CiAnnotations.github(d) : DiagnosticLine.render(d)));
        report.omittedLine().ifPresent(out::println);
        out.println(report.summary());
      }
    }
    out.flush();
    return (report.valid() ? ExitCode.OK : ExitCode.FINDINGS).code();
  }

  static Map<String, Object> toJson(ValidationReport report) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("valid", report.valid());
    json.put("files", report.files());
    json.put("objects", report.objects());
    json.put("errors", report.errorCount());
    json.put("warnings", report.warningCount());
    json.put("truncated", report.omitted() > 0);
    json.put("omitted", report.omitted());
    json.put("diagnostics", diagnostics(report.diagnostics()));
    return json;
  }

  static List<Map<String, Object>> diagnostics(List<Diagnostic> diagnostics) {
    return diagnostics.stream().map(d -> {
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("file", d.location().file());
      item.put("line", d.location().line());
      item.put("column", d.location().column());
      item.put("severity", d.severity().label());
      item.put("message", d.message());
      return item;
    }).toList();
  }
}
