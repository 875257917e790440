package dev.fleetbackup.cli;

import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

/** The one JSON writer of the command line, and its YAML twin for {@code -o yaml}. */
final class Json {
  static final ObjectMapper MAPPER = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
  /**
   * Every string double-quoted, each on one line (no folding of long ones): a line break, an escape
   * sequence or a {@code ::} a cluster or the repo wrote stays escaped inside its own value.
   */
  private static final ObjectMapper YAML = YAMLMapper.builder().disable(YAMLWriteFeature.SPLIT_LINES).build();

  private Json() {}

  /** {@code value} as {@code -o json} or {@code -o yaml} prints it: the same tree either way. */
  static String write(Object value, OutputFormat format) {
    return switch (format) {
      case json -> MAPPER.writeValueAsString(value);
      case yaml -> YAML.writeValueAsString(value);
      case text -> throw new IllegalArgumentException("text is rendered by each command");
    };
  }
}
