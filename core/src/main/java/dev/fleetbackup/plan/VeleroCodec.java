package dev.fleetbackup.plan;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.fleetbackup.model.RunCounters;
import dev.fleetbackup.model.VeleroBackup;
import dev.fleetbackup.model.VeleroLocation;
import dev.fleetbackup.model.VeleroMeta;
import dev.fleetbackup.model.VeleroRestore;
import dev.fleetbackup.model.VeleroSchedule;
import dev.fleetbackup.model.VeleroSnapshotLocation;
import dev.fleetbackup.model.VeleroServer;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The one codec between fleet-backup's Velero vocabulary (the {@code model.Velero*} records) and
 * the API's JSON objects, both ways: desired objects are encoded here before they are applied,
 * and what a member answers is decoded here before anything reads it.
 *
 * <p>Why small records and this codec, not fabric8 {@code CustomResource} classes or classes
 * generated from Velero's CRDs: the workflows and the report read these objects, and {@code model}
 * (which they may use) imports nothing but the JDK; generated classes would carry every Velero
 * field, Jackson and sundrio annotations, and mutable beans, and would still need records for the
 * report. Specs are bound reflectively: a record component is a JSON field of the same name, so a
 * new Velero field is one component (and one line of mapping in {@link VeleroRuns}), nothing here.
 * Absent stays absent: an empty Optional, list, map or string is never written, so server-side
 * apply sends, and owns, only what fleet-backup set. Unknown fields are ignored on decoding; where
 * they matter (the owned-field diff) the Differ compares the server's own JSON, never a decoded record.
 * Status is mapped by hand: it is never applied, and a member's odd value (a timestamp that does
 * not parse, a count that is no number) reads as absent rather than failing the object.
 */
public final class VeleroCodec {
  private static final JsonMapper MAPPER = JsonMapper.builder()
      .disable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .changeDefaultPropertyInclusion(i -> JsonInclude.Value.construct(JsonInclude.Include.NON_EMPTY, JsonInclude.Include.ALWAYS))
      .addMixIn(VeleroLocation.Spec.class, LocationSpecNames.class)
      .build();

  /** {@code default} is a Java keyword. */
  private interface LocationSpecNames {
    @JsonProperty("default")
    Optional<Boolean> defaultLocation();
  }

  private VeleroCodec() {}

  public static ObjectNode encode(VeleroBackup backup) {
    return object(ManagedKind.BACKUP, backup.metadata(), backup.spec(), backupStatus(backup.status()));
  }

  public static ObjectNode encode(VeleroRestore restore) {
    return object(ManagedKind.RESTORE, restore.metadata(), restore.spec(), restoreStatus(restore.status()));
  }

  public static ObjectNode encode(VeleroSchedule schedule) {
    return object(ManagedKind.SCHEDULE, schedule.metadata(), schedule.spec(), scheduleStatus(schedule.status()));
  }

  public static ObjectNode encode(VeleroLocation location) {
    return object(ManagedKind.BACKUP_STORAGE_LOCATION, location.metadata(), location.spec(), locationStatus(location.status()));
  }

  public static ObjectNode encode(VeleroSnapshotLocation location) {
    return object(ManagedKind.VOLUME_SNAPSHOT_LOCATION, location.metadata(), location.spec(), MAPPER.createObjectNode());
  }

  /** A spec as the API has it, what a run's spec hash is taken of. */
  public static JsonNode tree(VeleroBackup.Spec spec) {
    return MAPPER.valueToTree(spec);
  }

  public static JsonNode tree(VeleroRestore.Spec spec) {
    return MAPPER.valueToTree(spec);
  }

  /** @throws Unreadable when the object is not a Backup or its spec does not have Velero's shape */
  public static VeleroBackup backup(JsonNode object) throws Unreadable {
    JsonNode status = object.path("status");
    JsonNode progress = status.path("progress");
    return new VeleroBackup(meta(object, ManagedKind.BACKUP), spec(object, VeleroBackup.Spec.class),
        new VeleroBackup.Status(string(status, "phase"), instant(status, "startTimestamp"), instant(status, "completionTimestamp"),
            instant(status, "expiration"), number(progress, "totalItems"), number(progress, "itemsBackedUp"),
            number(status, "errors"), number(status, "warnings"), optionalString(status, "failureReason"), strings(status, "validationErrors"),
            counters(status, RunCounters.BACKUP_ITEM_OPERATIONS)));
  }

  /** @throws Unreadable when the object is not a Restore or its spec does not have Velero's shape */
  public static VeleroRestore restore(JsonNode object) throws Unreadable {
    JsonNode status = object.path("status");
    JsonNode progress = status.path("progress");
    return new VeleroRestore(meta(object, ManagedKind.RESTORE), spec(object, VeleroRestore.Spec.class),
        new VeleroRestore.Status(string(status, "phase"), instant(status, "startTimestamp"), instant(status, "completionTimestamp"),
            number(progress, "totalItems"), number(progress, "itemsRestored"), number(status, "errors"), number(status, "warnings"),
            optionalString(status, "failureReason"), strings(status, "validationErrors"),
            counters(status, RunCounters.RESTORE_ITEM_OPERATIONS)));
  }

  private static RunCounters counters(JsonNode status, String itemOperations) {
    return RunCounters.read(field -> number(status, field), field -> string(status, field),
        field -> number(status.path("hookStatus"), field), itemOperations);
  }

  /** @throws Unreadable when the object is not a Schedule or its spec does not have Velero's shape */
  public static VeleroSchedule schedule(JsonNode object) throws Unreadable {
    JsonNode status = object.path("status");
    return new VeleroSchedule(meta(object, ManagedKind.SCHEDULE), spec(object, VeleroSchedule.Spec.class),
        new VeleroSchedule.Status(string(status, "phase"), instant(status, "lastBackup"), strings(status, "validationErrors")));
  }

  /** @throws Unreadable when the object is not a BackupStorageLocation or its spec does not have Velero's shape */
  public static VeleroLocation location(JsonNode object) throws Unreadable {
    JsonNode status = object.path("status");
    return new VeleroLocation(meta(object, ManagedKind.BACKUP_STORAGE_LOCATION), spec(object, VeleroLocation.Spec.class),
        new VeleroLocation.Status(string(status, "phase"), optionalString(status, "message"), instant(status, "lastSyncedTime"),
            instant(status, "lastValidationTime")));
  }

  /** The Velero server from its Deployment, if there is one: ready once a replica is, the version from the image of container {@code velero}. */
  public static VeleroServer server(Optional<? extends JsonNode> deployment) {
    if (deployment.isEmpty()) {
      return VeleroServer.ABSENT;
    }
    JsonNode d = deployment.get();
    boolean ready = d.path("status").path("readyReplicas").asInt(0) > 0;
    Optional<String> version = Optional.empty();
    for (JsonNode container : d.path("spec").path("template").path("spec").path("containers")) {
      if (VeleroInstall.SERVER.equals(container.path("name").asString("")) && container.path("image").isString()) {
        version = VeleroServer.tag(container.path("image").asString());
        break;
      }
    }
    return new VeleroServer(true, ready, version);
  }

  /** The metadata of any object fleet-backup runs (a Velero object or the CRD installer Job). */
  public static VeleroMeta meta(JsonNode object) {
    JsonNode m = object.path("metadata");
    return new VeleroMeta(m.path("name").asString(""), m.path("namespace").asString(""), stringMap(m.path("labels")),
        stringMap(m.path("annotations")), instant(m, "creationTimestamp"));
  }

  private static VeleroMeta meta(JsonNode object, ManagedKind kind) throws Unreadable {
    VeleroMeta meta = meta(object);
    String found = object.path("kind").asString("");
    if (!found.isEmpty() && !found.equals(kind.kind())) {
      throw new Unreadable(kind.kind() + " " + meta.name() + ": is a " + found);
    }
    return meta;
  }

  private static <T> T spec(JsonNode object, Class<T> type) throws Unreadable {
    JsonNode spec = object.path("spec");
    try {
      return MAPPER.treeToValue(spec.isObject() ? spec : MAPPER.createObjectNode(), type);
    } catch (JacksonException e) {
      throw new Unreadable(object.path("kind").asString("object") + " " + object.path("metadata").path("name").asString("")
          + ": its spec does not have Velero's shape (" + e.getOriginalMessage() + ")");
    }
  }

  private static ObjectNode object(ManagedKind kind, VeleroMeta meta, Object spec, ObjectNode status) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("apiVersion", kind.apiVersion());
    root.put("kind", kind.kind());
    ObjectNode metadata = root.putObject("metadata");
    metadata.put("name", meta.name());
    metadata.put("namespace", meta.namespace());
    if (!meta.labels().isEmpty()) {
      meta.labels().forEach(metadata.putObject("labels")::put);
    }
    if (!meta.annotations().isEmpty()) {
      meta.annotations().forEach(metadata.putObject("annotations")::put);
    }
    meta.created().ifPresent(t -> metadata.put("creationTimestamp", t.toString()));
    root.set("spec", MAPPER.valueToTree(spec));
    if (!status.isEmpty()) {
      root.set("status", status);
    }
    return root;
  }

  private static ObjectNode backupStatus(VeleroBackup.Status s) {
    ObjectNode out = runStatus(s.phaseText(), s.startTimestamp(), s.completionTimestamp());
    s.expiration().ifPresent(t -> out.put("expiration", t.toString()));
    progress(out, s.totalItems(), "itemsBackedUp", s.itemsBackedUp());
    counts(out, s.errors(), s.warnings(), s.failureReason(), s.validationErrors());
    out.setAll((ObjectNode) MAPPER.valueToTree(s.counters().fields(RunCounters.BACKUP_ITEM_OPERATIONS)));
    return out;
  }

  private static ObjectNode restoreStatus(VeleroRestore.Status s) {
    ObjectNode out = runStatus(s.phaseText(), s.startTimestamp(), s.completionTimestamp());
    progress(out, s.totalItems(), "itemsRestored", s.itemsRestored());
    counts(out, s.errors(), s.warnings(), s.failureReason(), s.validationErrors());
    out.setAll((ObjectNode) MAPPER.valueToTree(s.counters().fields(RunCounters.RESTORE_ITEM_OPERATIONS)));
    return out;
  }

  private static ObjectNode scheduleStatus(VeleroSchedule.Status s) {
    ObjectNode out = MAPPER.createObjectNode();
    putIf(out, "phase", s.phaseText());
    s.lastBackup().ifPresent(t -> out.put("lastBackup", t.toString()));
    strings(out, "validationErrors", s.validationErrors());
    return out;
  }

  private static ObjectNode locationStatus(VeleroLocation.Status s) {
    ObjectNode out = MAPPER.createObjectNode();
    putIf(out, "phase", s.phaseText());
    s.message().ifPresent(m -> out.put("message", m));
    s.lastSyncedTime().ifPresent(t -> out.put("lastSyncedTime", t.toString()));
    s.lastValidationTime().ifPresent(t -> out.put("lastValidationTime", t.toString()));
    return out;
  }

  private static ObjectNode runStatus(String phase, Optional<Instant> start, Optional<Instant> completion) {
    ObjectNode out = MAPPER.createObjectNode();
    putIf(out, "phase", phase);
    start.ifPresent(t -> out.put("startTimestamp", t.toString()));
    completion.ifPresent(t -> out.put("completionTimestamp", t.toString()));
    return out;
  }

  private static void progress(ObjectNode status, int total, String doneKey, int done) {
    if (total != 0 || done != 0) {
      ObjectNode progress = status.putObject("progress");
      progress.put("totalItems", total);
      progress.put(doneKey, done);
    }
  }

  private static void counts(ObjectNode status, int errors, int warnings, Optional<String> failureReason, List<String> validationErrors) {
    if (errors != 0) {
      status.put("errors", errors);
    }
    if (warnings != 0) {
      status.put("warnings", warnings);
    }
    failureReason.ifPresent(r -> status.put("failureReason", r));
    strings(status, "validationErrors", validationErrors);
  }

  private static void putIf(ObjectNode node, String field, String value) {
    if (!value.isEmpty()) {
      node.put(field, value);
    }
  }

  private static void strings(ObjectNode node, String field, List<String> values) {
    if (!values.isEmpty()) {
      values.forEach(node.putArray(field)::add);
    }
  }

  private static String string(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isString() ? value.asString() : "";
  }

  private static Optional<String> optionalString(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isString() ? Optional.of(value.asString()) : Optional.empty();
  }

  private static int number(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isNumber() && value.canConvertToInt() ? value.intValue() : 0;
  }

  private static List<String> strings(JsonNode node, String field) {
    List<String> out = new ArrayList<>();
    for (JsonNode item : node.path(field)) {
      out.add(item.isString() ? item.asString() : item.toString());
    }
    return out;
  }

  private static Map<String, String> stringMap(JsonNode node) {
    Map<String, String> out = new LinkedHashMap<>();
    node.properties().forEach(e -> out.put(e.getKey(), e.getValue().isString() ? e.getValue().asString() : e.getValue().toString()));
    return out;
  }

  /** An RFC 3339 time as Kubernetes writes it; anything else reads as absent. */
  private static Optional<Instant> instant(JsonNode node, String field) {
    JsonNode value = node.path(field);
    if (!value.isString() || value.asString().isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(value.asString()));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** A member's object that is not what its kind says. The message names the object, never a Secret. */
  public static final class Unreadable extends Exception {
    private static final long serialVersionUID = 1L;

    public Unreadable(String message) {
      super(message);
    }
  }
}
