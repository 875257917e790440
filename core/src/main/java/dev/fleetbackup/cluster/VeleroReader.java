package dev.fleetbackup.cluster;

import dev.fleetbackup.model.VeleroPhase;
import dev.fleetbackup.model.VeleroRun;
import dev.fleetbackup.plan.ManagedKind;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the Velero objects of a member as they are: Backups, Restores, Schedules and storage
 * locations, with their phase parsed. For status and the workflows; it never writes.
 */
public final class VeleroReader {
  private final String namespace;

  public VeleroReader(String namespace) {
    this.namespace = namespace;
  }

  /** One observed Velero object: its identity, labels, annotations and phase; {@code raw} for anything else. */
  public record Observed(ManagedKind kind, String name, Map<String, String> labels, Map<String, String> annotations,
      String phase, GenericKubernetesResource raw) {
    public Observed {
      labels = Map.copyOf(labels);
      annotations = Map.copyOf(annotations);
    }

    /** The phase of a Backup or Restore; Schedules and locations have their own words (Enabled, Available). */
    public VeleroPhase runPhase() {
      return VeleroPhase.parse(phase);
    }
  }

  public List<Observed> list(MemberConnection connection, ManagedKind kind, Map<String, String> labels) {
    if (!kind.isVelero() && kind != ManagedKind.JOB) {
      throw new IllegalArgumentException(kind + " is not a Velero kind");
    }
    List<Observed> out = new ArrayList<>();
    for (GenericKubernetesResource r : connection.list(kind, namespace, labels)) {
      Object status = r.getAdditionalProperties().get("status");
      String phase = status instanceof Map<?, ?> m && m.get("phase") instanceof String s ? s : "";
      out.add(new Observed(kind, r.getMetadata().getName(), orEmpty(r.getMetadata().getLabels()),
          orEmpty(r.getMetadata().getAnnotations()), phase, r));
    }
    return out;
  }

  /** Backups or Restores as {@link VeleroRun}s, the form status reports use. */
  public List<VeleroRun> runs(MemberConnection connection, ManagedKind kind, Map<String, String> labels) {
    if (kind != ManagedKind.BACKUP && kind != ManagedKind.RESTORE) {
      throw new IllegalArgumentException(kind + " is not a run kind");
    }
    return list(connection, kind, labels).stream().map(o -> toRun(connection.cluster(), o)).toList();
  }

  /** A Backup or Restore as the status vocabulary has it. */
  public static VeleroRun toRun(String cluster, Observed o) {
    Map<?, ?> status = o.raw().getAdditionalProperties().get("status") instanceof Map<?, ?> m ? m : Map.of();
    Map<?, ?> progress = status.get("progress") instanceof Map<?, ?> p ? p : Map.of();
    List<String> validationErrors = status.get("validationErrors") instanceof List<?> l
        ? l.stream().map(String::valueOf).toList() : List.of();
    return new VeleroRun(cluster, o.name(), o.runPhase(),
        instant(status.get("startTimestamp")), instant(status.get("completionTimestamp")), instant(status.get("expiration")),
        number(progress.get("totalItems")), number(progress.get(o.kind() == ManagedKind.BACKUP ? "itemsBackedUp" : "itemsRestored")),
        number(status.get("errors")), number(status.get("warnings")),
        Optional.ofNullable(status.get("failureReason")).map(String::valueOf), validationErrors);
  }

  private static Optional<Instant> instant(Object value) {
    try {
      return value instanceof String s && !s.isEmpty() ? Optional.of(Instant.parse(s)) : Optional.empty();
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static int number(Object value) {
    return value instanceof Number n ? n.intValue() : 0;
  }

  private static Map<String, String> orEmpty(Map<String, String> map) {
    return map == null ? Map.of() : map;
  }
}
