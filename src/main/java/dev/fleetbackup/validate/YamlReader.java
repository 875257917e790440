package dev.fleetbackup.validate;

import dev.fleetbackup.model.Diagnostic;
import dev.fleetbackup.model.SourceLocation;
import dev.fleetbackup.model.SourceMap;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Parse;
import org.snakeyaml.engine.v2.events.AliasEvent;
import org.snakeyaml.engine.v2.events.CollectionStartEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.NodeEvent;
import org.snakeyaml.engine.v2.events.ScalarEvent;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.resolver.CoreScalarResolver;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads a YAML file into JSON trees with the position of every node, from snakeyaml-engine's event
 * stream. Building the tree ourselves, without recursion, lets hostile input be refused with an
 * error instead of an out-of-memory or a stack overflow: nesting depth, alias use and the size of
 * the expanded tree are bounded.
 */
final class YamlReader {
  static final int MAX_DEPTH = 64;
  static final int MAX_ALIASES = 100;
  static final int MAX_EXPANDED_NODES = 100_000;

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private final ScalarResolver resolver = new CoreScalarResolver(false);

  /** Thrown for YAML this product refuses; it carries the diagnostic to report. */
  static final class YamlProblem extends Exception {
    private final transient Diagnostic diagnostic;

    YamlProblem(Diagnostic diagnostic) {
      super(diagnostic.message(), null, false, false);
      this.diagnostic = diagnostic;
    }

    Diagnostic diagnostic() {
      return diagnostic;
    }
  }

  List<YamlDocument> read(String file, String text) throws YamlProblem {
    LoadSettings settings = LoadSettings.builder()
        .setLabel(file)
        .setAllowDuplicateKeys(false)
        .setAllowRecursiveKeys(false)
        .setMaxAliasesForCollections(MAX_ALIASES)
        .setCodePointLimit(Math.max(text.length() + 1, 1024))
        .build();
    try {
      return new Builder(file).build(new Parse(settings).parseString(text));
    } catch (MarkedYamlEngineException e) {
      Mark mark = e.getProblemMark().or(e::getContextMark).orElse(null);
      throw new YamlProblem(Diagnostic.error(location(file, Optional.ofNullable(mark)), "invalid YAML: " + e.getProblem()));
    } catch (YamlEngineException e) {
      throw new YamlProblem(Diagnostic.error(SourceLocation.startOf(file), "invalid YAML: " + e.getMessage()));
    }
  }

  private static SourceLocation location(String file, Optional<Mark> mark) {
    return mark.map(m -> new SourceLocation(file, m.getLine() + 1, m.getColumn() + 1))
        .orElse(SourceLocation.startOf(file));
  }

  /** A collection being built: its node, its pointer, and for mappings the key awaiting its value. */
  private static final class Frame {
    final JsonNode node;
    final String pointer;
    final Optional<String> anchor;
    String pendingKey;
    int nextIndex;
    int weight = 1;

    Frame(JsonNode node, String pointer, Optional<String> anchor) {
      this.node = node;
      this.pointer = pointer;
      this.anchor = anchor;
    }
  }

  private final class Builder {
    private final String file;
    private final List<YamlDocument> documents = new ArrayList<>();
    private final Deque<Frame> stack = new ArrayDeque<>();
    private final Map<String, JsonNode> anchors = new HashMap<>();
    private final Map<String, Integer> anchorWeights = new HashMap<>();
    private Map<String, SourceLocation> values = new HashMap<>();
    private Map<String, SourceLocation> keys = new HashMap<>();
    private JsonNode root;
    private int expandedNodes;
    private int aliases;

    Builder(String file) {
      this.file = file;
    }

    List<YamlDocument> build(Iterable<Event> events) throws YamlProblem {
      for (Event event : events) {
        switch (event.getEventId()) {
          case DocumentStart -> startDocument();
          case DocumentEnd -> endDocument();
          case MappingStart -> startCollection((NodeEvent) event, NODES.objectNode());
          case SequenceStart -> startCollection((NodeEvent) event, NODES.arrayNode());
          case MappingEnd, SequenceEnd -> endCollection();
          case Scalar -> scalar((ScalarEvent) event);
          case Alias -> alias((AliasEvent) event);
          default -> { /* stream start/end and comments carry nothing we keep */ }
        }
      }
      return documents;
    }

    private void startDocument() {
      root = null;
      values = new HashMap<>();
      keys = new HashMap<>();
      anchors.clear();
      anchorWeights.clear();
      expandedNodes = 0;
      aliases = 0;
    }

    private void endDocument() {
      if (root != null && !root.isNull()) {
        documents.add(new YamlDocument(root, new SourceMap(file, values, keys)));
      }
    }

    private void startCollection(NodeEvent event, JsonNode node) throws YamlProblem {
      SourceLocation at = location(file, event.getStartMark());
      rejectExplicitTag(((CollectionStartEvent) event).getTag(), at, true);
      if (stack.size() >= MAX_DEPTH) {
        throw new YamlProblem(Diagnostic.error(at, "YAML nested deeper than " + MAX_DEPTH + " levels"));
      }
      String pointer = nextPointer(at);
      values.put(pointer, at);
      stack.push(new Frame(node, pointer, event.getAnchor().map(a -> a.getValue())));
    }

    private void endCollection() throws YamlProblem {
      Frame done = stack.pop();
      done.anchor.ifPresent(a -> {
        anchors.put(a, done.node);
        anchorWeights.put(a, done.weight);
      });
      attach(done.node, done.weight, done.pointer);
    }

    private void scalar(ScalarEvent event) throws YamlProblem {
      SourceLocation at = location(file, event.getStartMark());
      Frame parent = stack.peek();
      if (parent != null && parent.node.isObject() && parent.pendingKey == null) {
        String key = event.getValue();
        String pointer = SourceMap.child(parent.pointer, key);
        if (parent.node.has(key)) {
          throw new YamlProblem(Diagnostic.error(at, "duplicate key \"" + key + "\""));
        }
        keys.put(pointer, at);
        parent.pendingKey = key;
        return;
      }
      JsonNode value = scalarValue(event, at);
      String pointer = nextPointer(at);
      values.put(pointer, at);
      event.getAnchor().ifPresent(a -> {
        anchors.put(a.getValue(), value);
        anchorWeights.put(a.getValue(), 1);
      });
      attach(value, 1, pointer);
    }

    private void alias(AliasEvent event) throws YamlProblem {
      SourceLocation at = location(file, event.getStartMark());
      String name = event.getAlias().getValue();
      JsonNode target = anchors.get(name);
      if (target == null) {
        throw new YamlProblem(Diagnostic.error(at, "unknown alias *" + name));
      }
      if (++aliases > MAX_ALIASES) {
        throw new YamlProblem(Diagnostic.error(at, "more than " + MAX_ALIASES + " YAML aliases in one document"));
      }
      Frame parent = stack.peek();
      if (parent != null && parent.node.isObject() && parent.pendingKey == null) {
        throw new YamlProblem(Diagnostic.error(at, "an alias cannot be used as a mapping key"));
      }
      String pointer = nextPointer(at);
      values.put(pointer, at);
      attach(target, anchorWeights.get(name), pointer);
    }

    /** Puts a finished node into its parent, counting the nodes an alias expands to. */
    private void attach(JsonNode node, int weight, String pointer) throws YamlProblem {
      expandedNodes += weight;
      if (expandedNodes > MAX_EXPANDED_NODES) {
        throw new YamlProblem(Diagnostic.error(values.get(pointer),
            "YAML document expands to more than " + MAX_EXPANDED_NODES + " nodes (alias bomb?)"));
      }
      Frame parent = stack.peek();
      if (parent == null) {
        root = node;
        return;
      }
      parent.weight += weight;
      if (parent.node instanceof ObjectNode object) {
        object.set(parent.pendingKey, node);
        parent.pendingKey = null;
      } else {
        ((ArrayNode) parent.node).add(node);
        parent.nextIndex++;
      }
    }

    /** The pointer of the node about to be attached to the current parent. */
    private String nextPointer(SourceLocation at) throws YamlProblem {
      Frame parent = stack.peek();
      if (parent == null) {
        return "";
      }
      if (parent.node.isObject()) {
        if (parent.pendingKey == null) {
          throw new YamlProblem(Diagnostic.error(at, "mapping keys must be plain scalars"));
        }
        return SourceMap.child(parent.pointer, parent.pendingKey);
      }
      return SourceMap.child(parent.pointer, parent.nextIndex);
    }

    private JsonNode scalarValue(ScalarEvent event, SourceLocation at) throws YamlProblem {
      String text = event.getValue();
      Tag tag = event.getTag()
          .map(Tag::new)
          .orElseGet(() -> event.isPlain() ? resolver.resolve(text, true) : Tag.STR);
      rejectExplicitTag(event.getTag(), at, false);
      try {
        if (tag.equals(Tag.NULL)) {
          return NODES.nullNode();
        } else if (tag.equals(Tag.BOOL)) {
          return NODES.booleanNode(Boolean.parseBoolean(text.toLowerCase(Locale.ROOT)));
        } else if (tag.equals(Tag.INT)) {
          return NODES.numberNode(parseInteger(text));
        } else if (tag.equals(Tag.FLOAT)) {
          return NODES.numberNode(new BigDecimal(text));
        }
      } catch (NumberFormatException e) {
        throw new YamlProblem(Diagnostic.error(at, "\"" + text + "\" is not a valid " + tag.getValue()));
      }
      return NODES.stringNode(text);
    }

    private BigInteger parseInteger(String text) {
      String t = text.startsWith("+") ? text.substring(1) : text;
      if (t.startsWith("0x")) {
        return new BigInteger(t.substring(2), 16);
      }
      if (t.startsWith("0o")) {
        return new BigInteger(t.substring(2), 8);
      }
      return new BigInteger(t);
    }

    /** Only the standard tags of the YAML core schema mean anything in a Kubernetes manifest. */
    private void rejectExplicitTag(Optional<String> tag, SourceLocation at, boolean collection) throws YamlProblem {
      if (tag.isEmpty()) {
        return;
      }
      List<String> allowed = collection
          ? List.of(Tag.MAP.getValue(), Tag.SEQ.getValue())
          : List.of(Tag.STR.getValue(), Tag.INT.getValue(), Tag.FLOAT.getValue(), Tag.BOOL.getValue(), Tag.NULL.getValue());
      if (!allowed.contains(tag.get())) {
        throw new YamlProblem(Diagnostic.error(at, "unsupported YAML tag " + tag.get()));
      }
    }
  }
}
