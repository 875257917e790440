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

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "text, json or yaml (default: ${DEFAULT-VALUE}).")
  OutputFormat output = OutputFormat.text;

  @Mixin
  GuardrailOptions guardrails = new GuardrailOptions();

  private final Validator validator;

  ValidateCommand(Validator validator) {
    this.validator = validator;
  }

  @Override
  public Integer call() throws IOException {
    PolicySnapshot snapshot = new DirectoryReader(repo).read("working-tree", path);
    ValidationReport report = validator.withGuardrails(guardrails.value()).validate(snapshot);
    PrintWriter out = spec.commandLine().getOut();
    if (output.structured()) {
      out.println(Json.write(toJson(report), output));
    } else {
      report.diagnostics().forEach(d -> out.println(DiagnosticLine.render(d)));
      report.omittedLine().ifPresent(out::println);
      out.println(report.summary());
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
