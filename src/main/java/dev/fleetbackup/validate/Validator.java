package dev.fleetbackup.validate;

import dev.fleetbackup.model.ConfigResource;
import dev.fleetbackup.model.Diagnostic;
import dev.fleetbackup.model.Kind;
import dev.fleetbackup.model.PolicySet;
import dev.fleetbackup.model.ResourceId;
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
    List<Diagnostic> diagnostics = new ArrayList<>(snapshot.refused());
    // Files are independent until the cross-file rules, so they are read in parallel.
    List<FileResult> results = snapshot.files().parallelStream().map(this::readFile).toList();
    List<ConfigResource> resources = new ArrayList<>();
    int objects = 0;
    for (FileResult result : results) {
      diagnostics.addAll(result.diagnostics());
      resources.addAll(result.resources());
      objects += result.documents();
    }
    resources = withoutDuplicates(resources, diagnostics);
    PolicySet policies = PolicySet.of(resources);
    boolean everyObjectRead = diagnostics.stream().noneMatch(Diagnostic::isError);
    CrossFileRules.checkEachObject(policies, diagnostics::add);
    GuardrailRules.check(policies, guardrails, diagnostics::add);
    if (everyObjectRead) {
      // References into a file that failed would only repeat its error as "no such object".
      CrossFileRules.checkReferences(policies, diagnostics::add);
    }
    return new ValidationReport(policies, diagnostics, snapshot.files().size() + snapshot.refused().size(), objects);
  }

  private record FileResult(List<ConfigResource> resources, List<Diagnostic> diagnostics, int documents) {}

  private FileResult readFile(PolicyFile file) {
    List<YamlDocument> documents;
    try {
      documents = new YamlReader().read(file.path(), file.text());
    } catch (YamlReader.YamlProblem problem) {
      return new FileResult(List.of(), List.of(problem.diagnostic()), 0);
    }
    List<ConfigResource> resources = new ArrayList<>();
    List<Diagnostic> diagnostics = new ArrayList<>();
    for (YamlDocument document : documents) {
      Optional<Kind> kind = identify(document, diagnostics);
      if (kind.isEmpty()) {
        continue;
      }
      List<Diagnostic> problems = schemas.check(kind.get(), document);
      if (problems.isEmpty()) {
        resources.add(binder.bind(kind.get(), document));
      }
      diagnostics.addAll(problems);
    }
    return new FileResult(resources, diagnostics, documents.size());
  }

  private static Optional<Kind> identify(YamlDocument document, List<Diagnostic> diagnostics) {
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
          .map(k -> "; " + kind + " is " + k.apiVersion())
          .orElse("; expected one of " + Arrays.stream(Kind.values())
              .map(k -> k.apiVersion() + " " + k.kind()).collect(Collectors.joining(", ")));
      diagnostics.add(Diagnostic.error(document.source().valueAt("/kind"),
          "unsupported object " + apiVersion + " " + kind + expected));
    }
    return known;
  }

  /** Names are unique per kind and namespace; the second definition is the error. */
  private static List<ConfigResource> withoutDuplicates(List<ConfigResource> resources, List<Diagnostic> diagnostics) {
    Map<ResourceId, ConfigResource> first = new HashMap<>();
    List<ConfigResource> unique = new ArrayList<>();
    resources.stream()
        .sorted(Comparator.comparing(r -> r.locate("")))
        .forEach(resource -> {
          ConfigResource earlier = first.putIfAbsent(resource.id(), resource);
          if (earlier == null) {
            unique.add(resource);
          } else {
            diagnostics.add(Diagnostic.error(resource.locate("/metadata/name"), resource.id().kind().kind() + " \""
                + resource.id().qualifiedName() + "\" is already defined at " + earlier.locate("/metadata/name")));
          }
        });
    return unique;
  }
}
