package dev.fleetbackup.observe;

import dev.fleetbackup.plan.Conventions;
import dev.fleetbackup.plan.ManagedKind;
import dev.fleetbackup.plan.ObjectRef;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * What fleet-backup has applied to one member, kept in ConfigMap {@code kube-system/fleet-backup-inventory}.
 * Pruning deletes only what is listed here. Entries of kinds this version does not know are kept
 * as they are ({@code foreign}), so an older fleet-backup never forgets what a newer one applied.
 */
public record Inventory(List<InventoryEntry> entries, List<JsonNode> foreign) {
  public static final Inventory EMPTY = new Inventory(List.of(), List.of());
  public static final ObjectRef REF =
      new ObjectRef(ManagedKind.CONFIG_MAP, Conventions.INVENTORY_NAMESPACE, Conventions.INVENTORY_NAME);
  /** The ConfigMap key holding the entries. */
  public static final String DATA_KEY = "inventory.json";
  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  public Inventory {
    Map<ObjectRef, InventoryEntry> unique = new LinkedHashMap<>();
    entries.stream().sorted().forEach(e -> unique.putIfAbsent(e.ref(), e));
    entries = List.copyOf(unique.values());
    foreign = foreign.stream().map(JsonNode::deepCopy).toList();
  }

  public static Inventory of(Collection<InventoryEntry> entries) {
    return new Inventory(List.copyOf(entries), List.of());
  }

  public Set<ObjectRef> refs() {
    return entries.stream().map(InventoryEntry::ref).collect(Collectors.toUnmodifiableSet());
  }

  public Optional<InventoryEntry> entry(ObjectRef ref) {
    return entries.stream().filter(e -> e.ref().equals(ref)).findFirst();
  }

  public int size() {
    return entries.size() + foreign.size();
  }

  /** The entries a prune could delete: of a kind fleet-backup deletes, and not a tombstone. */
  public long deletable() {
    return entries.stream().filter(e -> !e.tombstone() && e.ref().kind().prune() == ManagedKind.Prune.DELETE).count();
  }

  public Inventory withEntries(Collection<InventoryEntry> newEntries) {
    return new Inventory(List.copyOf(newEntries), foreign);
  }

  /** The serialised form: {@code {"version":1,"objects":[{"group","kind","namespace","name","run":{...}}]}}. */
  public String toJson() {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("version", 1);
    ArrayNode objects = root.putArray("objects");
    for (InventoryEntry e : entries) {
      ObjectNode o = objects.addObject();
      o.put("group", e.ref().kind().group());
      o.put("kind", e.ref().kind().kind());
      if (!e.ref().namespace().isEmpty()) {
        o.put("namespace", e.ref().namespace());
      }
      o.put("name", e.ref().name());
      e.run().ifPresent(r -> {
        ObjectNode run = o.putObject("run");
        run.put("base", r.base());
        run.put("number", r.number());
        run.put("specHash", r.specHash());
      });
      if (e.tombstone()) {
        o.put("tombstone", true);
      }
      e.uid().ifPresent(uid -> o.put("uid", uid));
    }
    foreign.forEach(objects::add);
    return MAPPER.writeValueAsString(root);
  }

  /** The ConfigMap that holds this inventory, as fleet-backup applies it: labelled, with the digest of its JSON. */
  public ObjectNode toConfigMap() {
    ObjectNode configMap = JsonNodeFactory.instance.objectNode();
    configMap.put("apiVersion", REF.kind().apiVersion());
    configMap.put("kind", REF.kind().kind());
    ObjectNode metadata = configMap.putObject("metadata");
    metadata.put("name", REF.name());
    metadata.put("namespace", REF.namespace());
    metadata.putObject("labels").put(Conventions.MANAGED_BY, Conventions.MANAGED_BY_VALUE);
    String json = toJson();
    metadata.putObject("annotations").put(Conventions.INVENTORY_SHA256, sha256(json));
    configMap.putObject("data").put(DATA_KEY, json);
    return configMap;
  }

  /** The digest fleet-backup writes beside the JSON: SHA-256 of its UTF-8 bytes, in lower-case hex. */
  static String sha256(String json) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /** The inventory a member holds in its ConfigMap, empty when it has none yet. */
  public static Inventory read(Optional<? extends JsonNode> configMap) throws InventoryException {
    return configMap.isEmpty() ? EMPTY : fromConfigMap(configMap.get());
  }

  /** The inventory a member's ConfigMap holds; one without the key is damaged. */
  public static Inventory fromConfigMap(JsonNode configMap) throws InventoryException {
    JsonNode json = configMap.path("data").path(DATA_KEY);
    if (!json.isString()) {
      throw new InventoryException(REF + " has no key " + DATA_KEY);
    }
    return parse(json.asString());
  }

  /** Parses {@link #toJson()}; a damaged inventory is an error, never an empty one (that would orphan everything). */
  public static Inventory parse(String json) throws InventoryException {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JacksonException e) {
      throw new InventoryException("inventory is not valid JSON: " + e.getOriginalMessage());
    }
    if (root.path("version").asInt(0) != 1 || !root.path("objects").isArray()) {
      throw new InventoryException("inventory has an unknown format (version " + root.path("version") + ")");
    }
    List<InventoryEntry> entries = new ArrayList<>();
    List<JsonNode> foreign = new ArrayList<>();
    for (JsonNode o : root.path("objects")) {
      Optional<ManagedKind> kind = ManagedKind.of(o.path("group").asString(""), o.path("kind").asString(""));
      String name = o.path("name").asString("");
      if (kind.isEmpty() || name.isEmpty()) {
        foreign.add(o);
        continue;
      }
      ObjectRef ref;
      try {
        ref = new ObjectRef(kind.get(), o.path("namespace").asString(""), name);
      } catch (IllegalArgumentException e) {
        foreign.add(o);
        continue;
      }
      Optional<InventoryEntry.RunRecord> run = o.has("run")
          ? Optional.of(new InventoryEntry.RunRecord(o.path("run").path("base").asString(""),
              o.path("run").path("number").asInt(1), o.path("run").path("specHash").asString("")))
          : Optional.empty();
      entries.add(new InventoryEntry(ref, run, run.isPresent() && o.path("tombstone").asBoolean(false),
          Optional.of(o.path("uid").asString(""))));
    }
    return new Inventory(entries, foreign);
  }

  /** The inventory could not be read. */
  public static final class InventoryException extends Exception {
    private static final long serialVersionUID = 1L;

    public InventoryException(String message) {
      super(message);
    }
  }
}
