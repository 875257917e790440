package dev.fleetbackup.validate;

import dev.fleetbackup.model.ConfigResource;
import dev.fleetbackup.model.Diagnostic;
import dev.fleetbackup.model.Kind;
import dev.fleetbackup.model.ObjectMeta;
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
import java.util.Set;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;

/**
 * Validates a snapshot of the config repo: YAML, then each document against its kind's schema,
 * then the rules across files. Never throws for a user's mistake; every problem is a diagnostic.
 * Thread-safe: one instance serves every pass.
 */
public final class Validator {
  private static final Set<String> OUR_GROUPS = Arrays.stream(Kind.values())
      .map(k -> k.apiVersion().substring(0, k.apiVersion().indexOf('/'))).collect(Collectors.toUnmodifiableSet());
  private static final String KURATOR_CLUSTER_API_VERSION = Kind.ATTACHED_CLUSTER.apiVersion();
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
    List<Definition> definitions = new ArrayList<>();
    int objects = 0;
    for (FileResult result : results) {
      definitions.addAll(result.definitions());
      objects += result.documents();
    }
    if (definitions.isEmpty() && diagnostics.errors() == 0) {
      // A mistyped folder in CI must not pass as a valid, empty config repo.
      diagnostics.add(Diagnostic.error(SourceLocation.startOf("."),
          "no Fleet, AttachedCluster, Backup, Restore or Migrate found under " + SafeText.quote(snapshot.folder())));
    }
    // Every object that passed its schema meets every rule, even a duplicate or one whose
    // neighbours failed: fixing the errors shown must not bring others to light.
    PolicySet everyValid = PolicySet.of(definitions.stream().flatMap(d -> d.resource().stream()).toList());
    CrossFileRules.checkEachObject(everyValid, diagnostics::add);
    GuardrailRules.check(everyValid, guardrails, diagnostics::add);
    PolicySet policies = PolicySet.of(withoutDuplicates(definitions, diagnostics));
    // An object that failed its schema exists all the same: a reference to it is no second error.
    Set<ResourceId> invalid = definitions.stream().filter(d -> d.resource().isEmpty()).map(Definition::id).collect(Collectors.toSet());
    CrossFileRules.checkReferences(policies, invalid, diagnostics::add);
    policies = ClusterApiMembers.with(policies, diagnostics::add);
    return new ValidationReport(policies, diagnostics.first(), diagnostics.errors(), diagnostics.warnings(),
        snapshot.files().size() + snapshot.refused().size(), objects);
  }

  /**
   * A document of a known kind with a name, where it names itself, and its model record when it
   * passed its schema.
   */
  private record Definition(ResourceId id, SourceLocation at, Optional<ConfigResource> resource) {}

  private record FileResult(List<Definition> definitions, int documents) {}

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
    List<Definition> definitions = new ArrayList<>();
    for (YamlDocument document : documents) {
      Optional<Kind> kind = identify(document, diagnostics);
      if (kind.isEmpty()) {
        continue;
      }
      List<Diagnostic> problems = schemas.check(kind.get(), document);
      problems.forEach(diagnostics::add);
      if (problems.isEmpty()) {
        ConfigResource resource = binder.bind(kind.get(), document);
        definitions.add(new Definition(resource.id(), resource.locate("/metadata/name"), Optional.of(resource)));
      } else {
        named(kind.get(), document).ifPresent(id ->
            definitions.add(new Definition(id, document.source().valueAt("/metadata/name"), Optional.empty())));
      }
    }
    return new FileResult(definitions, documents.size());
  }

  /** The identity of a document that failed its schema, when its name can still be read. */
  private static Optional<ResourceId> named(Kind kind, YamlDocument document) {
    JsonNode metadata = document.tree().path("metadata");
    JsonNode name = metadata.path("name");
    JsonNode namespace = metadata.path("namespace");
    if (!name.isString() || name.stringValue().isEmpty() || !(namespace.isMissingNode() || namespace.isString())) {
      return Optional.empty();
    }
    String ns = namespace.isString() && !namespace.stringValue().isEmpty() ? namespace.stringValue() : ObjectMeta.DEFAULT_NAMESPACE;
    return Optional.of(new ResourceId(kind, ns, name.stringValue()));
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
    if (known.isEmpty() && !isOurs(apiVersion, kind)) {
      // Kurator keeps an Application and the workloads it delivers beside its policies: they are
      // somebody else's business, not a mistake.
      diagnostics.add(Diagnostic.warning(document.source().valueAt("/kind"), "skipped " + SafeText.quote(kind)
          + " (" + SafeText.quote(apiVersion) + "): not a kind fleet-backup manages"));
    } else if (known.isEmpty()) {
      String expected = Kind.ofKind(kind)
          .map(k -> "; " + k.kind() + " is " + k.apiVersion())
          .orElse("; expected one of " + Arrays.stream(Kind.values())
              .map(k -> k.apiVersion() + " " + k.kind()).collect(Collectors.joining(", ")));
      diagnostics.add(Diagnostic.error(document.source().valueAt("/apiVersion"),
          "unsupported object: apiVersion " + SafeText.quote(apiVersion) + ", kind " + SafeText.quote(kind) + expected));
    }
    return known;
  }

  /**
   * Whether a document claims fleet-backup's API groups, where an unknown kind or version is a typo.
   * Kurator's own {@code cluster.kurator.dev Cluster} lives there too and is not ours to read.
   */
  private static boolean isOurs(String apiVersion, String kind) {
    String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
    return OUR_GROUPS.contains(group) && !(KURATOR_CLUSTER_API_VERSION.equals(apiVersion) && "Cluster".equals(kind));
  }

  /**
   * Names are unique per kind and namespace, and an AttachedCluster's across namespaces too: its
   * name is the cluster's name in the Velero objects, the status and the metrics. The definition
   * that comes later in path order is the error, on its name, saying where the other is; only the
   * first is kept, if it passed its schema.
   */
  private static List<ConfigResource> withoutDuplicates(List<Definition> definitions, Diagnostics diagnostics) {
    Map<ResourceId, Definition> first = new HashMap<>();
    List<ConfigResource> unique = new ArrayList<>();
    definitions.stream()
        .sorted(Comparator.comparing(Definition::at))
        .forEach(definition -> {
          Definition earlier = first.putIfAbsent(uniqueName(definition.id()), definition);
          if (earlier == null) {
            definition.resource().ifPresent(unique::add);
          } else if (earlier.id().equals(definition.id())) {
            diagnostics.add(Diagnostic.error(definition.at(), "duplicate " + definition.id().kind().kind() + " "
                + SafeText.quote(definition.id().qualifiedName()) + ": also defined at " + earlier.at()));
          } else {
            diagnostics.add(Diagnostic.error(definition.at(), "AttachedCluster " + SafeText.quote(definition.id().qualifiedName())
                + " has the name of " + SafeText.quote(earlier.id().qualifiedName()) + " at " + earlier.at()
                + ": cluster names are unique across namespaces, as fleet-backup names each cluster's Velero objects,"
                + " status and metrics by it"));
          }
        });
    return unique;
  }

  private static ResourceId uniqueName(ResourceId id) {
    return id.kind() == Kind.ATTACHED_CLUSTER ? new ResourceId(id.kind(), "", id.name()) : id;
  }
}
