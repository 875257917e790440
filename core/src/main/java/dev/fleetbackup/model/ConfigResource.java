package dev.fleetbackup.model;

/** One object of the config repo, with where each of its nodes stands in its file. */
public sealed interface ConfigResource permits Fleet, AttachedCluster, Backup, Restore, Migrate {

  ObjectMeta metadata();

  SourceMap source();

  Kind kind();

  default ResourceId id() {
    return new ResourceId(kind(), metadata().namespace(), metadata().name());
  }

  /** Where the node at a JSON Pointer of this object stands, for error messages. */
  default SourceLocation locate(String pointer) {
    return source().valueAt(pointer);
  }
}
