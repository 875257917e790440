package dev.fleetbackup.validate;

import dev.fleetbackup.model.AttachedCluster;
import dev.fleetbackup.model.Backup;
import dev.fleetbackup.model.ConfigResource;
import dev.fleetbackup.model.Fleet;
import dev.fleetbackup.model.Kind;
import dev.fleetbackup.model.Migrate;
import dev.fleetbackup.model.ObjectMeta;
import dev.fleetbackup.model.Restore;
import dev.fleetbackup.model.SourceMap;
import java.util.Map;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/** Binds a schema-valid document to its model record; the schema has already vouched for its shape. */
final class ModelBinder {
  // Other Kurator plugins (metric, grafana, ...) pass the schema but have no place in the model.
  private final ObjectMapper mapper = JsonMapper.builder()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  /**
   * A bound object keeps the positions of its values only: after the schema, nothing points at a
   * key, and an applied commit's objects stay in memory until the next one.
   */
  ConfigResource bind(Kind kind, YamlDocument document) {
    SourceMap source = new SourceMap(document.source().file(), document.source().values(), Map.of());
    JsonNode tree = document.tree();
    ObjectMeta metadata = mapper.treeToValue(tree.get("metadata"), ObjectMeta.class);
    JsonNode spec = tree.path("spec");
    return switch (kind) {
      case FLEET -> new Fleet(metadata, mapper.treeToValue(spec, Fleet.Spec.class), source);
      case ATTACHED_CLUSTER ->
          new AttachedCluster(metadata, mapper.treeToValue(spec, AttachedCluster.Spec.class), source);
      case BACKUP -> new Backup(metadata, mapper.treeToValue(spec, Backup.Spec.class), source);
      case RESTORE -> new Restore(metadata, mapper.treeToValue(spec, Restore.Spec.class), source);
      case MIGRATE -> new Migrate(metadata, mapper.treeToValue(spec, Migrate.Spec.class), source);
    };
  }
}
