package dev.fleetbackup.workflows;

import dev.fleetbackup.cluster.MemberConnection;
import dev.fleetbackup.cluster.VeleroReader;
import dev.fleetbackup.plan.ManagedKind;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads what the workflows decide from in one member: every Backup (including those Velero synced
 * from other locations), Restore, Schedule and storage location in Velero's namespace, and the
 * Velero Deployment. Five requests, all reads.
 */
public final class Observer {
  private static final String SERVER = "velero";
  private final String namespace;
  private final VeleroReader reader;

  public Observer(String namespace) {
    this.namespace = namespace;
    this.reader = new VeleroReader(namespace);
  }

  /** @throws KubernetesClientException when the member cannot be read (a missing Velero CRD is read as no objects) */
  public MemberObservation observe(MemberConnection connection) {
    String cluster = connection.cluster();
    List<ObservedRun> backups = new ArrayList<>();
    for (VeleroReader.Observed o : list(connection, ManagedKind.BACKUP)) {
      backups.add(run(cluster, o, string(spec(o), "storageLocation"), ""));
    }
    List<ObservedRun> restores = new ArrayList<>();
    for (VeleroReader.Observed o : list(connection, ManagedKind.RESTORE)) {
      restores.add(run(cluster, o, "", string(spec(o), "backupName")));
    }
    List<ObservedSchedule> schedules = new ArrayList<>();
    for (VeleroReader.Observed o : list(connection, ManagedKind.SCHEDULE)) {
      Map<?, ?> status = status(o);
      schedules.add(new ObservedSchedule(o.name(), string(spec(o), "schedule"), o.phase(), created(o),
          instant(status.get("lastBackup")), strings(status.get("validationErrors"))));
    }
    List<ObservedLocation> locations = new ArrayList<>();
    for (VeleroReader.Observed o : list(connection, ManagedKind.BACKUP_STORAGE_LOCATION)) {
      Object message = status(o).get("message");
      locations.add(new ObservedLocation(o.name(), o.phase(), Optional.ofNullable(message).map(String::valueOf)));
    }
    return new MemberObservation(cluster, backups, restores, schedules, locations, server(connection));
  }

  private List<VeleroReader.Observed> list(MemberConnection connection, ManagedKind kind) {
    try {
      return reader.list(connection, kind, Map.of());
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return List.of(); // Velero's CRDs are not installed (yet)
      }
      throw e;
    }
  }

  private MemberObservation.VeleroServer server(MemberConnection connection) {
    Deployment d = connection.client().apps().deployments().inNamespace(namespace).withName(SERVER).get();
    if (d == null) {
      return MemberObservation.VeleroServer.ABSENT;
    }
    boolean ready = d.getStatus() != null && d.getStatus().getReadyReplicas() != null && d.getStatus().getReadyReplicas() > 0;
    Optional<String> version = d.getSpec().getTemplate().getSpec().getContainers().stream()
        .filter(c -> SERVER.equals(c.getName())).findFirst().map(Container::getImage).flatMap(Observer::tag);
    return new MemberObservation.VeleroServer(true, ready, version);
  }

  /** {@code velero/velero:v1.18.1} → {@code v1.18.1}; a digest or no tag tells no version. */
  static Optional<String> tag(String image) {
    String withoutDigest = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
    int colon = withoutDigest.lastIndexOf(':');
    return colon > withoutDigest.lastIndexOf('/') && colon < withoutDigest.length() - 1
        ? Optional.of(withoutDigest.substring(colon + 1)) : Optional.empty();
  }

  private static ObservedRun run(String cluster, VeleroReader.Observed o, String storageLocation, String backupName) {
    return new ObservedRun(o.name(), o.labels(), o.annotations(), created(o), VeleroReader.toRun(cluster, o),
        storageLocation, backupName);
  }

  private static Optional<Instant> created(VeleroReader.Observed o) {
    return instant(o.raw().getMetadata().getCreationTimestamp());
  }

  private static Map<?, ?> spec(VeleroReader.Observed o) {
    return o.raw().getAdditionalProperties().get("spec") instanceof Map<?, ?> m ? m : Map.of();
  }

  private static Map<?, ?> status(VeleroReader.Observed o) {
    return o.raw().getAdditionalProperties().get("status") instanceof Map<?, ?> m ? m : Map.of();
  }

  private static String string(Map<?, ?> map, String key) {
    return map.get(key) instanceof String s ? s : "";
  }

  private static List<String> strings(Object value) {
    return value instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of();
  }

  private static Optional<Instant> instant(Object value) {
    try {
      return value instanceof String s && !s.isEmpty() ? Optional.of(Instant.parse(s)) : Optional.empty();
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
