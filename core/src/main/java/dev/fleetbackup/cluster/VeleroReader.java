package dev.fleetbackup.cluster;

import dev.fleetbackup.model.VeleroBackup;
import dev.fleetbackup.model.VeleroLocation;
import dev.fleetbackup.model.VeleroRestore;
import dev.fleetbackup.model.VeleroSchedule;
import dev.fleetbackup.model.VeleroServer;
import dev.fleetbackup.plan.ManagedKind;
import dev.fleetbackup.plan.ObjectRef;
import dev.fleetbackup.plan.VeleroCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads a member's Velero objects in Velero's namespace as typed records: one request per call,
 * all reads. A kind the member does not serve yet (Velero's CRDs not installed) reads as none;
 * an object that is not what its kind says fails the read ({@link RequestFailure.Kind#OTHER}).
 */
public final class VeleroReader {
  /** The Velero server's Deployment, as {@code velero install} names it. */
  public static final String SERVER = "velero";
  private final String namespace;

  public VeleroReader(String namespace) {
    this.namespace = namespace;
  }

  public List<VeleroBackup> backups(MemberConnection member, Map<String, String> labels) throws MemberException {
    return list(member, ManagedKind.BACKUP, labels, VeleroCodec::backup);
  }

  public List<VeleroRestore> restores(MemberConnection member, Map<String, String> labels) throws MemberException {
    return list(member, ManagedKind.RESTORE, labels, VeleroCodec::restore);
  }

  public List<VeleroSchedule> schedules(MemberConnection member) throws MemberException {
    return list(member, ManagedKind.SCHEDULE, Map.of(), VeleroCodec::schedule);
  }

  public List<VeleroLocation> locations(MemberConnection member) throws MemberException {
    return list(member, ManagedKind.BACKUP_STORAGE_LOCATION, Map.of(), VeleroCodec::location);
  }

  /** One storage location, if it exists. */
  public Optional<VeleroLocation> location(MemberConnection member, String name) throws MemberException {
    Optional<ObjectNode> found = member.get(new ObjectRef(ManagedKind.BACKUP_STORAGE_LOCATION, namespace, name));
    return found.isEmpty() ? Optional.empty() : Optional.of(decode(found.get(), VeleroCodec::location));
  }

  /** The Velero Deployment's readiness and version. */
  public VeleroServer server(MemberConnection member) throws MemberException {
    return VeleroCodec.server(member.get(new ObjectRef(ManagedKind.DEPLOYMENT, namespace, SERVER)));
  }

  private <T> List<T> list(MemberConnection member, ManagedKind kind, Map<String, String> labels, Decoder<T> decoder)
      throws MemberException {
    List<ObjectNode> objects;
    try {
      objects = member.list(kind, namespace, labels);
    } catch (MemberException e) {
      if (e.kind() == RequestFailure.Kind.NOT_FOUND) {
        return List.of(); // Velero's CRDs are not installed (yet): no objects of the kind exist
      }
      throw e;
    }
    List<T> out = new ArrayList<>();
    for (ObjectNode object : objects) {
      out.add(decode(object, decoder));
    }
    return out;
  }

  private static <T> T decode(JsonNode object, Decoder<T> decoder) throws MemberException {
    try {
      return decoder.decode(object);
    } catch (VeleroCodec.Unreadable e) {
      throw new MemberException(new RequestFailure(RequestFailure.Kind.OTHER, 0, e.getMessage()));
    }
  }

  private interface Decoder<T> {
    T decode(JsonNode object) throws VeleroCodec.Unreadable;
  }
}
