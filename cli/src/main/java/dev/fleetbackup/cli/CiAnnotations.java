package dev.fleetbackup.cli;

import dev.fleetbackup.model.Diagnostic;
import dev.fleetbackup.model.SafeText;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Diagnostics as CI systems take them: GitHub Actions workflow commands ({@code ::error file=…}),
 * which annotate the offending line of a pull request, and a SARIF 2.1.0 log, which code scanning
 * uploads. Paths and messages come from the config repo: each goes through {@link SafeText} and
 * then the workflow commands' own escaping, so a value can neither end its command nor start one.
 */
final class CiAnnotations {
  static final String SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
  private static final String ERROR_RULE = "fleet-backup/policy-error";
  private static final String WARNING_RULE = "fleet-backup/policy-warning";

  private CiAnnotations() {}

  /** One {@code ::error} or {@code ::warning} line, as GitHub's toolkit writes it. */
  static String github(Diagnostic d) {
    return "::" + (d.isError() ? "error" : "warning") + " file=" + property(d.location().file()) + ",line=" + d.location().line()
        + ",col=" + d.location().column() + ",title=fleet-backup::" + data(SafeText.oneLine(d.message()));
  }

  static Map<String, Object> sarif(List<Diagnostic> diagnostics, String version) {
    Map<String, Object> driver = new LinkedHashMap<>();
    driver.put("name", "fleet-backup");
    driver.put("version", version);
    driver.put("rules", List.of(
        rule(ERROR_RULE, "A policy of the config repo is invalid: fleet-backup rejects the commit and keeps the last good one applied."),
        rule(WARNING_RULE, "A policy of the config repo is valid, but does not do what it may seem to.")));
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("tool", Map.of("driver", driver));
    run.put("results", diagnostics.stream().map(CiAnnotations::result).toList());
    Map<String, Object> log = new LinkedHashMap<>();
    log.put("$schema", SARIF_SCHEMA);
    log.put("version", "2.1.0");
    log.put("runs", List.of(run));
    return log;
  }

  private static Map<String, Object> rule(String id, String description) {
    return Map.of("id", id, "shortDescription", Map.of("text", description));
  }

  private static Map<String, Object> result(Diagnostic d) {
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("ruleId", d.isError() ? ERROR_RULE : WARNING_RULE);
    result.put("level", d.isError() ? "error" : "warning");
    result.put("message", Map.of("text", d.message()));
    result.put("locations", List.of(Map.of("physicalLocation", Map.of(
        "artifactLocation", Map.of("uri", uri(d.location().file())),
        "region", Map.of("startLine", Math.max(1, d.location().line()), "startColumn", Math.max(1, d.location().column()))))));
    return result;
  }

  /** A repo-relative path as a URI reference: a space or a {@code #} in a file name is percent-encoded. */
  private static String uri(String path) {
    try {
      return new URI(null, null, path, null).toASCIIString();
    } catch (URISyntaxException e) {
      return SafeText.oneLine(path);
    }
  }

  /** The escaping of a workflow command's message (toolkit's {@code escapeData}). */
  private static String data(String text) {
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
  }

  /** The escaping of a workflow command's property value (toolkit's {@code escapeProperty}). */
  private static String property(String text) {
    return data(SafeText.oneLine(text)).replace(":", "%3A").replace(",", "%2C");
  }
}
