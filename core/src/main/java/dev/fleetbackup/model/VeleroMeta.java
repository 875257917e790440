package dev.fleetbackup.model;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The metadata fleet-backup writes on the objects it runs in a member (Velero's, and the CRD
 * installer Job) and reads back from them: where the run annotations and the creator labels live.
 *
 * @param created the server's {@code creationTimestamp}; absent on a desired object
 */
public record VeleroMeta(String name, String namespace, Map<String, String> labels, Map<String, String> annotations,
    Optional<Instant> created) {

  public VeleroMeta {
    Objects.requireNonNull(name, "name");
    namespace = namespace == null ? "" : namespace;
    labels = Collections2.map(labels);
    annotations = Collections2.map(annotations);
    created = Collections2.optional(created);
  }

  /** Desired metadata: no creation time yet. */
  public static VeleroMeta of(String name, String namespace, Map<String, String> labels, Map<String, String> annotations) {
    return new VeleroMeta(name, namespace, labels, annotations, Optional.empty());
  }
}
