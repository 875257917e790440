package dev.fleetbackup.validate;

import dev.fleetbackup.model.SourceMap;
import tools.jackson.databind.JsonNode;

/** One YAML document of a file, as a JSON tree plus where each of its nodes stands. */
record YamlDocument(JsonNode tree, SourceMap source) {}
