package dev.fleetbackup.validate;

import dev.fleetbackup.model.Diagnostic;
import dev.fleetbackup.model.SafeText;
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
 * error instead of an out-of-memory or a stack overflow: nesting depth, alias use, documents and the
 * size of the expanded tree are bounded. {@link #measure} walks the same events and applies the same
 * limits without building anything, so a caller can budget many files before building any.
 */
final class YamlReader {
  static final int MAX_DEPTH = 64;
  /** Aliases per document. */
  static final int MAX_ALIASES = 100;
  static final int MAX_DOCUMENTS = 1_000;
  /** YAML nodes per file, every alias counted as the nodes it stands for. */
  static final int MAX_NODES = 100_000;
  /**
   * Positions are kept for JSON Pointers up to this length; a node below a longer path is located at
   * its nearest ancestor that has one. Without it a chain of long keys would make every node below
   * it carry a copy of the chain.
   */
  static final int MAX_POINTER_LENGTH = 256;

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private final ScalarResolver resolver = new CoreScalarResolver(false);

  /** How many nodes a file may expand to, and what to say where it expands to more. */
  record NodeLimit(long nodes, String exceeded) {
    static final NodeLimit PER_FILE = new NodeLimit(MAX_NODES,
        "YAML expands to more than " + MAX_NODES + " nodes in this file (alias bomb?); the file is refused");
  }

  /** Thrown for YAML this product refuses; it carries the diagnostic and the nodes counted before it. */
  static final class YamlProblem extends Exception {
    private final transient Diagnostic diagnostic;
    private final long nodes;

    YamlProblem(Diagnostic diagnostic, long nodes) {
      super(diagnostic.message(), null, false, false);
      this.diagnostic = diagnostic;
      this.nodes = nodes;
    }

    Diagnostic diagnostic() {
      return diagnostic;
    }

    /** How many nodes the file expanded to before the problem. */
    long nodes() {
      return nodes;
    }
  }

  /** Builds every document of a file. */
  List<YamlDocument> read(String file, String text, NodeLimit limit) throws YamlProblem {
    Builder builder = new Builder(file, limit, true);
    walk(builder, text);
    return builder.documents;
  }

  /** Counts the nodes of a file, building nothing; the same events are refused as {@link #read} refuses. */
  long measure(String file, String text, NodeLimit limit) throws YamlProblem {
    Builder builder = new Builder(file, limit, false);
    walk(builder, text);
    return builder.expandedNodes;
  }

  private void walk(Builder builder, String text) throws YamlProblem {
    LoadSettings settings = LoadSettings.builder()
        .setLabel(builder.file)
        .setAllowDuplicateKeys(false)
        .setAllowRecursiveKeys(false)
        .setMaxAliasesForCollections(MAX_ALIASES)
        .setCodePointLimit(Math.max(text.length() + 1, 1024))
        .build();
    try {
      builder.build(new Parse(settings).parseString(text));
    } catch (MarkedYamlEngineException e) {
      Mark mark = e.getProblemMark().or(e::getContextMark).orElse(null);
      throw builder.problem(location(builder.file, Optional.ofNullable(mark)), "invalid YAML: " + Untrusted.text(e.getProblem()));
    } catch (YamlEngineException e) {
      throw builder.problem(SourceLocation.startOf(builder.file), "invalid YAML: " + Untrusted.text(e.getMessage()));
    }
  }

  private static SourceLocation location(String file, Optional<Mark> mark) {
    return mark.map(m -> new SourceLocation(file, m.getLine() + 1, m.getColumn() + 1))
        .orElse(SourceLocation.startOf(file));
  }

  /**
   * A collection being built: its node (none while measuring), its pointer (none past
   * {@link #MAX_POINTER_LENGTH}), and for mappings the key awaiting its value.
   */
  private static final class Frame {
    final boolean mapping;
    final JsonNode node;
    final String pointer;
    final Optional<String> anchor;
    String pendingKey;
    String pendingPointer;
    int nextIndex;
    long weight = 1;

    Frame(boolean mapping, JsonNode node, String pointer, Optional<String> anchor) {
      this.mapping = mapping;
      this.node = node;
      this.pointer = pointer;
      this.anchor = anchor;
    }
  }

  private final class Builder {
    private final String file;
    private final NodeLimit limit;
    private final boolean build;
    private final List<YamlDocument> documents = new ArrayList<>();
    private final Deque<Frame> stack = new ArrayDeque<>();
    private final Map<String, JsonNode> anchors = new HashMap<>();
    private final Map<String, Long> anchorWeights = new HashMap<>();
    private Map<String, SourceLocation> values = new HashMap<>();
    private Map<String, SourceLocation> keys = new HashMap<>();
    private JsonNode root;
    private long expandedNodes;
    private int documentCount;
    private int aliases;

    Builder(String file, NodeLimit limit, boolean build) {
      this.file = file;
      this.limit = limit;
      this.build = build;
    }

    YamlProblem problem(SourceLocation at, String message) {
      return new YamlProblem(Diagnostic.error(at, message), expandedNodes);
    }

    void build(Iterable<Event> events) throws YamlProblem {
      for (Event event : events) {
        switch (event.getEventId()) {
          case DocumentStart -> startDocument(event);
          case DocumentEnd -> endDocument();
          case MappingStart -> startCollection((NodeEvent) event, true);
          case SequenceStart -> startCollection((NodeEvent) event, false);
          case MappingEnd, SequenceEnd -> endCollection();
          case Scalar -> scalar((ScalarEvent) event);
          case Alias -> alias((AliasEvent) event);
          default -> { /* stream start/end and comments carry nothing we keep */ }
        }
      }
    }

    private void startDocument(Event event) throws YamlProblem {
      if (++documentCount > MAX_DOCUMENTS) {
        throw problem(location(file, event.getStartMark()),
            "more than " + MAX_DOCUMENTS + " YAML documents in this file; the file is refused");
      }
      root = null;
      values = new HashMap<>();
      keys = new HashMap<>();
      anchors.clear();
      anchorWeights.clear();
      aliases = 0;
    }

    private void endDocument() {
      if (build && root != null && !root.isNull()) {
        documents.add(new YamlDocument(root, new SourceMap(file, values, keys)));
      }
    }

    private void startCollection(NodeEvent event, boolean mapping) throws YamlProblem {
      SourceLocation at = location(file, event.getStartMark());
      rejectExplicitTag(((CollectionStartEvent) event).getTag(), at, true);
      if (stack.size() >= MAX_DEPTH) {
        throw problem(at, "YAML nested deeper than " + MAX_DEPTH + " levels");
      }
      String pointer = nextPointer(at);
      record(pointer, at);
      count(1, at);
      JsonNode node = !build ? null : mapping ? NODES.objectNode() : NODES.arrayNode();
      stack.push(new Frame(mapping, node, pointer, event.getAnchor().map(a -> a.getValue())));
    }

    private void endCollection() {
      Frame done = stack.pop();
      done.anchor.ifPresent(a -> anchor(a, done.node, done.weight));
      attach(done.node, done.weight);
    }

    private void scalar(ScalarEvent event) throws YamlProblem {
      SourceLocation at = location(file, event.getStartMark());
      Frame parent = stack.peek();
      if (parent != null && parent.mapping && parent.pendingKey == null) {
        String key = event.getValue();
        if (build && parent.node.has(key)) {
          throw problem(at, "duplicate key " + SafeText.quote(key));
        }
        String pointer = child(parent.pointer, key);
        if (pointer != null) {
          keys.put(pointer, at);
        }
        parent.pendingKey = key;
        parent.pendingPointer = pointer;
        return;
      }
      rejectExplicitTag(event.getTag(), at, false);
      JsonNode value = build ? scalarValue(event, at) : null;
      String pointer = nextPointer(at);
      record(pointer, at);
      count(1, at);
      event.getAnchor().ifPresent(a -> anchor(a.getValue(), value, 1));
      attach(value, 1);
    }

    private void alias(AliasEvent event) throws YamlProblem {
      SourceLocation at = location(file, event.getStartMark());
      String name = event.getAlias().getValue();
      Long weight = anchorWeights.get(name);
      if (weight == null) {
        throw problem(at, "unknown alias " + SafeText.quote("*" + name));
      }
      if (++aliases > MAX_ALIASES) {
        throw problem(at, "more than " + MAX_ALIASES + " YAML aliases in one document");
      }
      Frame parent = stack.peek();
      if (parent != null && parent.mapping && parent.pendingKey == null) {
        throw problem(at, "an alias cannot be used as a mapping key");
      }
      String pointer = nextPointer(at);
      record(pointer, at);
      count(weight, at);
      attach(anchors.get(name), weight);
    }

    private void anchor(String name, JsonNode node, long weight) {
      if (build) {
        anchors.put(name, node);
      }
      anchorWeights.put(name, weight);
    }

    private void record(String pointer, SourceLocation at) {
      if (build && pointer != null) {
        values.put(pointer, at);
      }
    }

    /** Counts a node as it starts, an alias as the nodes it stands for. */
    private void count(long nodes, SourceLocation at) throws YamlProblem {
      expandedNodes += nodes;
      if (expandedNodes > limit.nodes()) {
        throw problem(at, limit.exceeded());
      }
    }

    /** Puts a finished node (of {@code weight} nodes, aliases expanded) into its parent. */
    private void attach(JsonNode node, long weight) {
      Frame parent = stack.peek();
      if (parent == null) {
        root = node;
        return;
      }
      parent.weight += weight;
      if (parent.mapping) {
        if (build) {
          ((ObjectNode) parent.node).set(parent.pendingKey, node);
        }
        parent.pendingKey = null;
        parent.pendingPointer = null;
      } else {
        if (build) {
          ((ArrayNode) parent.node).add(node);
        }
        parent.nextIndex++;
      }
    }

    /** The pointer of the node about to be attached to the current parent; null past the length kept. */
    private String nextPointer(SourceLocation at) throws YamlProblem {
      Frame parent = stack.peek();
      if (parent == null) {
        return "";
      }
      if (parent.mapping) {
        if (parent.pendingKey == null) {
          throw problem(at, "mapping keys must be plain scalars");
        }
        return parent.pendingPointer; // the key's own: one string for the key and its value
      }
      return parent.pointer == null ? null : SourceMap.child(parent.pointer, parent.nextIndex);
    }

    private String child(String pointer, String key) {
      if (!build || pointer == null || pointer.length() + key.length() >= MAX_POINTER_LENGTH) {
        return null;
      }
      String child = SourceMap.child(pointer, key);
      return child.length() > MAX_POINTER_LENGTH ? null : child;
    }

    private JsonNode scalarValue(ScalarEvent event, SourceLocation at) throws YamlProblem {
      String text = event.getValue();
      Tag tag = event.getTag()
          .map(Tag::new)
          .orElseGet(() -> event.isPlain() ? resolver.resolve(text, true) : Tag.STR);
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
        throw problem(at, SafeText.quote(text) + " is not a valid " + tag.getValue());
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
        throw problem(at, "unsupported YAML tag " + SafeText.quote(tag.get()));
      }
    }
  }
}
