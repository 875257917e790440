package dev.fleetbackup.validate;

import dev.fleetbackup.model.ConfigResource;
import dev.fleetbackup.model.Diagnostic;
import dev.fleetbackup.model.Kind;
import dev.fleetbackup.model.PolicySet;
import dev.fleetbackup.model.ResourceId;
import dev.fleetbackup.model.SafeText;
import dev.fleetbackup.model.SourceLocation;
import dev.fleetbackup.source.PolicyFile;
import dev.fleetbackup.source.PolicySnapshot;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;

/**
 * Validates a snapshot of the config repo: YAML, then each document against its kind's schema,
 * then the rules across files. Never throws for a user's mistake; every problem is a diagnostic.
 * Thread-safe: one instance serves every pass.
 */
public final class Validator {
  private final SchemaCheck schemas;
  private final ModelBinder binder;
  private final Guardrails guardrails;

  /** A validator with the default {@link Guardrails}. */
  public Validator() {
    this(new SchemaCheck(), new ModelBinder(), Guardrails.DEFAULTS);
  }

  private Validator(SchemaCheck schemas, ModelBinder binder, Guardrails guardrails) {
    this.schemas = schemas;
    this.binder = binder;
    this.guardrails = guardrails;
  }

  /** The same validator (its schemas are loaded once) holding policies to these guardrails. */
  public Validator withGuardrails(Guardrails guardrails) {
    return new Validator(schemas, binder, guardrails);
  }

  public ValidationReport validate(PolicySnapshot snapshot) {
    Diagnostics diagnostics = new Diagnostics(ValidationReport.MAX_DIAGNOSTICS);
    snapshot.refused().forEach(diagnostics::add);
    List<PolicyFile> admitted = YamlBudget.admit(snapshot.files(), diagnostics::add);
    // Files are independent until the cross-file rules, so they are read in parallel.
    List<FileResult> results = admitted.parallelStream().map(file -> readFile(file, diagnostics)).toList();
    List<ConfigResource> resources = new ArrayList<>();
    int objects = 0;
    for (FileResult result : results) {
      resources.addAll(result.resources());
      objects += result.documents();
    }
    resources = withoutDuplicates(resources, diagnostics);
    PolicySet policies = PolicySet.of(resources);
    boolean everyObjectRead = diagnostics.errors() == 0;
    CrossFileRules.checkEachObject(policies, diagnostics::add);
    GuardrailRules.check(policies, guardrails, diagnostics::add);
    if (everyObjectRead) {
      // References into a file that failed would only repeat its error as "no such object".
      CrossFileRules.checkReferences(policies, diagnostics::add);
    }
    return new ValidationReport(policies, diagnostics.first(), diagnostics.errors(), diagnostics.warnings(),
        snapshot.files().size() + snapshot.refused().size(), objects);
  }

  private record FileResult(List<ConfigResource> resources, int documents) {}

  /** One file's documents, checked and bound; never throws, so one file cannot stop the others. */
  private FileResult readFile(PolicyFile file, Diagnostics diagnostics) {
    try {
      return checkFile(file, diagnostics);
    } catch (RuntimeException | StackOverflowError e) {
      diagnostics.add(Diagnostic.error(SourceLocation.startOf(file.path()),
          "internal error while validating this file, please report it: " + Untrusted.text(e.toString())));
      return new FileResult(List.of(), 0);
    }
  }

  private FileResult checkFile(PolicyFile file, Diagnostics diagnostics) {
    List<YamlDocument> documents;
    try {
      documents = new YamlReader().read(file.path(), file.text(), YamlReader.NodeLimit.PER_FILE);
    } catch (YamlReader.YamlProblem problem) {
      diagnostics.add(problem.diagnostic());
      return new FileResult(List.of(), 0);
    }
    List<ConfigResource> resources = new ArrayList<>();
    for (YamlDocument document : documents) {
      Optional<Kind> kind = identify(document, diagnostics);
      if (kind.isEmpty()) {
        continue;
      }
      List<Diagnostic> problems = schemas.check(kind.get(), document);
      if (problems.isEmpty()) {
        resources.add(binder.bind(kind.get(), document));
      }
      problems.forEach(diagnostics::add);
    }
    return new FileResult(resources, documents.size());
  }

  private static Optional<Kind> identify(YamlDocument document, Diagnostics diagnostics) {
    JsonNode tree = document.tree();
    if (!tree.isObject()) {
      diagnostics.add(Diagnostic.error(document.source().valueAt(""), "a document must be a mapping with apiVersion and kind"));
      return Optional.empty();
    }
    String apiVersion = tree.path("apiVersion").asString("");
    String kind = tree.path("kind").asString("");
    if (apiVersion.isEmpty() || kind.isEmpty()) {
      diagnostics.add(Diagnostic.error(document.source().valueAt(""), "missing required field \""
          + (apiVersion.isEmpty() ? "apiVersion" : "kind") + "\""));
      return Optional.empty();
    }
    Optional<Kind> known = Kind.of(apiVersion, kind);
    if (known.isEmpty()) {
      String expected = Kind.ofKind(kind)
          .map(k -> "; " + k.kind() + " is " + k.apiVersion())
          .orElse("; expected one of " + Arrays.stream(Kind.values())
              .map(k -> k.apiVersion() + " " + k.kind()).collect(Collectors.joining(", ")));
      diagnostics.add(Diagnostic.error(document.source().valueAt("/apiVersion"),
          "unsupported object: apiVersion " + SafeText.quote(apiVersion) + ", kind " + SafeText.quote(kind) + expected));
    }
    return known;
  }

  /** Names are unique per kind and namespace; the second definition is the error. */
  private static List<ConfigResource> withoutDuplicates(List<ConfigResource> resources, Diagnostics diagnostics) {
    Map<ResourceId, ConfigResource> first = new HashMap<>();
    List<ConfigResource> unique = new ArrayList<>();
    resources.stream()
        .sorted(Comparator.comparing(r -> r.locate("")))
        .forEach(resource -> {
          ConfigResource earlier = first.putIfAbsent(resource.id(), resource);
          if (earlier == null) {
            unique.add(resource);
          } else {
            diagnostics.add(Diagnostic.error(resource.locate("/metadata/name"), resource.id().kind().kind() + " "
                + SafeText.quote(resource.id().qualifiedName()) + " is already defined at " + earlier.locate("/metadata/name")));
          }
        });
    return unique;
  }
}
