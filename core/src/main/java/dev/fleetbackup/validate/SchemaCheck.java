package dev.fleetbackup.validate;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import dev.fleetbackup.model.Diagnostic;
import dev.fleetbackup.model.Kind;
import dev.fleetbackup.model.SafeText;
import dev.fleetbackup.model.SourceMap;
import dev.fleetbackup.model.SourceLocation;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Checks a document against its kind's JSON Schema from {@code schemas/} (packaged in the jar) and
 * turns each schema error into a diagnostic on the offending value, or on the key of an unknown
 * field.
 */
final class SchemaCheck {
  static final String SCHEMA_ID_PREFIX = "https://fleet-backup.dev/schemas/";
  private static final String CHART_VALUES = "/spec/plugin/backup/extraArgs/";

  /** The regular expressions of schemas/, said in words. */
  private static final Map<String, String> PATTERN_RULES = Map.of(
      "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$",
      "is not a valid name: use lower case letters, digits, '-' and '.', starting and ending with a letter or digit",
      "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$",
      "is not a valid namespace name: use lower case letters, digits and '-', starting and ending with a letter or digit",
      "^[-._a-zA-Z0-9]+$",
      "is not a valid Secret key: use letters, digits, '-', '_' and '.'",
      "^[+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+|[numkMGTPE]|[KMGTPE]i)?$",
      "is not a Kubernetes quantity such as 500m, 1 or 512Mi",
      "^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$",
      "is not a valid label value: use letters, digits, '-', '_' and '.', starting and ending with a letter or digit",
      "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$",
      "is not a valid label or annotation key: an optional DNS prefix and '/', then a name of at most 63 letters, digits, '-', '_' and '.'");

  /** The schemas, loaded when a document is first checked: a command that validates nothing never waits for them. */
  private static final class Loaded {
    static final Map<Kind, Schema> SCHEMAS = load();

    private static Map<Kind, Schema> load() {
      SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
          builder -> builder.schemaIdResolvers(ids -> ids.mapPrefix(SCHEMA_ID_PREFIX, "classpath:schemas/")));
      Map<Kind, Schema> schemas = new EnumMap<>(Kind.class);
      for (Kind kind : Kind.values()) {
        Schema schema = registry.getSchema(SchemaLocation.of(SCHEMA_ID_PREFIX + kind.schemaFile()));
        schema.initializeValidators();
        schemas.put(kind, schema);
      }
      return schemas;
    }
  }

  /** The schema's problems with a document, one per location: the first is the one worth reading. */
  List<Diagnostic> check(Kind kind, YamlDocument document) {
    Map<SourceLocation, Diagnostic> byLocation = new LinkedHashMap<>();
    for (Error error : Loaded.SCHEMAS.get(kind).validate(document.tree())) {
      Diagnostic diagnostic = toDiagnostic(error, document.source());
      byLocation.putIfAbsent(diagnostic.location(), diagnostic);
    }
    return List.copyOf(byLocation.values());
  }

  private static Diagnostic toDiagnostic(Error error, SourceMap source) {
    String pointer = pointer(error.getInstanceLocation());
    String field = fieldPath(error.getInstanceLocation());
    String property = error.getProperty();
    return switch (error.getKeyword()) {
      case "additionalProperties", "unevaluatedProperties" -> {
        String child = SourceMap.child(pointer, property);
        yield Diagnostic.error(source.keyAt(child), "unknown field " + SafeText.quote(join(field, property))
            + (child.startsWith(CHART_VALUES) ? ": not a Velero chart value fleet-backup maps (see the README's table);"
                + " it refuses the others rather than ignore them" : ""));
      }
      case "required" ->
          Diagnostic.error(source.valueAt(pointer), "missing required field " + SafeText.quote(join(field, property)));
      default -> Diagnostic.error(source.valueAt(pointer), describe(field, error));
    };
  }

  /**
   * The field (a path of the user's keys) and networknt's words; networknt may repeat what it read
   * (a property name, a value), so its message is cut and made one line too.
   */
  private static String describe(String field, Error error) {
    String prefix = field.isEmpty() ? "" : Untrusted.text(field) + ": ";
    if ("pattern".equals(error.getKeyword())) {
      String rule = PATTERN_RULES.getOrDefault(String.valueOf(error.getArguments()[0]), "must match " + error.getArguments()[0]);
      JsonNode value = error.getInstanceNode();
      return prefix + SafeText.quote(value.isString() ? value.stringValue() : value.toString()) + " " + rule;
    }
    String message = error.getMessage();
    // networknt prefixes its messages with the JSONPath of the instance; we name the field our way.
    String path = error.getInstanceLocation() + ": ";
    return prefix + Untrusted.text(message.startsWith(path) ? message.substring(path.length()) : message);
  }

  private static String join(String field, String property) {
    return field.isEmpty() ? property : field + "." + property;
  }

  private static String pointer(NodePath path) {
    StringBuilder pointer = new StringBuilder();
    for (int i = 0; i < path.getNameCount(); i++) {
      Object element = path.getElement(i);
      pointer.append('/').append(element.toString().replace("~", "~0").replace("/", "~1"));
    }
    return pointer.toString();
  }

  /** {@code spec.destination.clusters[0].name}, the way users read a field. */
  static String fieldPath(NodePath path) {
    StringBuilder field = new StringBuilder();
    for (int i = 0; i < path.getNameCount(); i++) {
      Object element = path.getElement(i);
      if (element instanceof Integer index) {
        field.append('[').append(index).append(']');
      } else {
        if (field.length() > 0) {
          field.append('.');
        }
        field.append(element);
      }
    }
    return field.toString();
  }
}
