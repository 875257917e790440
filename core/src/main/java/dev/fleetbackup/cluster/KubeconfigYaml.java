package dev.fleetbackup.cluster;

import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Parse;
import org.snakeyaml.engine.v2.events.CollectionStartEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.ScalarEvent;
import org.snakeyaml.engine.v2.exceptions.DuplicateKeyException;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Reads a kubeconfig's YAML into maps, lists and scalars, bounded: at most {@link Kubeconfig#MAX_BYTES},
 * one document, nesting at most {@value #MAX_DEPTH} levels deep (snakeyaml-engine composes
 * recursively), no aliases (no kubeconfig writer makes them, and they are how a small file becomes
 * a huge tree), no tags, no duplicate keys. Problems are described by line and column only: the
 * parser's own messages quote the text, and the text holds credentials.
 */
final class KubeconfigYaml {
  static final int MAX_DEPTH = 32;

  private KubeconfigYaml() {}

  /** The root mapping. */
  static Map<?, ?> read(String text) throws KubeconfigCheck.Refusal {
    if (text.length() > Kubeconfig.MAX_BYTES) {
      throw refused("larger than 1 MiB");
    }
    LoadSettings settings = LoadSettings.builder()
        .setAllowDuplicateKeys(false)
        .setAllowRecursiveKeys(false)
        .setMaxAliasesForCollections(0)
        .setCodePointLimit(Kubeconfig.MAX_BYTES)
        .setEnvConfig(Optional.empty())
        .setSchema(new CoreSchema())
        .build();
    try {
      scan(new Parse(settings).parseString(text));
      Object root = new Load(settings).loadFromString(text);
      if (!(root instanceof Map<?, ?> map)) {
        throw refused("not a kubeconfig (a YAML mapping with clusters, users and contexts)");
      }
      return map;
    } catch (DuplicateKeyException e) {
      throw refused("a repeated key" + at(e.getProblemMark()));
    } catch (MarkedYamlEngineException e) {
      throw refused("not valid YAML" + at(e.getProblemMark().or(e::getContextMark)));
    } catch (YamlEngineException e) {
      throw refused("not valid YAML");
    }
  }

  /** The bounds the composer does not keep, checked on the event stream, which is read without recursion. */
  private static void scan(Iterable<Event> events) throws KubeconfigCheck.Refusal {
    int depth = 0;
    int documents = 0;
    for (Event event : events) {
      switch (event.getEventId()) {
        case DocumentStart -> {
          if (++documents > 1) {
            throw refused("more than one YAML document" + at(event.getStartMark()));
          }
        }
        case MappingStart, SequenceStart -> {
          if (((CollectionStartEvent) event).getTag().isPresent()) {
            throw refused("a YAML tag" + at(event.getStartMark()));
          }
          if (++depth > MAX_DEPTH) {
            throw refused("nested deeper than " + MAX_DEPTH + " levels" + at(event.getStartMark()));
          }
        }
        case MappingEnd, SequenceEnd -> depth--;
        case Scalar -> {
          if (((ScalarEvent) event).getTag().isPresent()) {
            throw refused("a YAML tag" + at(event.getStartMark()));
          }
        }
        case Alias -> throw refused("a YAML alias" + at(event.getStartMark()));
        default -> { /* stream start and end, document end, comments */ }
      }
    }
  }

  private static String at(Optional<Mark> mark) {
    return mark.map(m -> " at line " + (m.getLine() + 1) + ", column " + (m.getColumn() + 1)).orElse("");
  }

  private static KubeconfigCheck.Refusal refused(String what) {
    return new KubeconfigCheck.Refusal(what, "");
  }
}
