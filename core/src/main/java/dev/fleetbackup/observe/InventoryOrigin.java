package dev.fleetbackup.observe;

import dev.fleetbackup.model.ClusterState;
import dev.fleetbackup.model.SafeText;
import dev.fleetbackup.plan.Conventions;
import dev.fleetbackup.plan.ObjectRef;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Who wrote the inventory a member holds, as far as the member shows it. fleet-backup writes the
 * SHA-256 of the inventory's JSON beside it (annotation {@value Conventions#INVENTORY_SHA256}): JSON
 * that does not match was written by someone else, whom the ConfigMap's managedFields name (the
 * manager that last wrote its data, how and when). Neither is a signature, since whoever may write
 * the ConfigMap may also compute a digest and declare any field manager; what this catches is every
 * change that does not set out to pass as fleet-backup's (kubectl edit, apply or replace, a script).
 * A prune's own checks of the live object stay the last word either way.
 */
public sealed interface InventoryOrigin {
  /** The ConfigMap as messages name it: {@code kube-system/fleet-backup-inventory}. */
  String NAME = Inventory.REF.namespace() + "/" + Inventory.REF.name();
  /** The ConfigMap's fields a writer of the inventory holds. */
  List<List<String>> INVENTORY_FIELDS = List.of(List.of("data", Inventory.DATA_KEY),
      List.of("metadata", "annotations", Conventions.INVENTORY_SHA256));

  /** Whether an entry's word is enough for a prune: fleet-backup wrote the inventory. */
  boolean trusted();

  /** Whether apply writes the inventory even with its entries unchanged: to seal it with its digest. */
  default boolean rewrite() {
    return false;
  }

  /** What a person needs to know about it; empty when nothing. */
  default Optional<ClusterState.Warning> warning() {
    return Optional.empty();
  }

  /** The member has none, and shows no object fleet-backup applied: it was never applied to. */
  record None() implements InventoryOrigin {
    @Override
    public boolean trusted() {
      return true;
    }
  }

  /** Its JSON matches the digest fleet-backup wrote with it. */
  record Written() implements InventoryOrigin {
    @Override
    public boolean trusted() {
      return true;
    }
  }

  /**
   * Written by a version before digests, and by no other manager since: trusted this once, and
   * written again with its digest by the next apply.
   */
  record Unsealed() implements InventoryOrigin {
    @Override
    public boolean trusted() {
      return true;
    }

    @Override
    public boolean rewrite() {
      return true;
    }
  }

  /**
   * The member has none, though {@code witness} shows fleet-backup applied to it: it was deleted (or
   * its last write failed). What it listed is not known, neither the objects to prune nor the runs
   * it remembered; apply writes it again.
   */
  record Deleted(ObjectRef witness) implements InventoryOrigin {
    @Override
    public boolean trusted() {
      return true;
    }

    @Override
    public boolean rewrite() {
      return true;
    }

    @Override
    public Optional<ClusterState.Warning> warning() {
      return Optional.of(new ClusterState.Warning("InventoryDeleted", "inventory deleted", "inventory " + NAME
          + " is missing, yet " + witness + " was applied by fleet-backup: the inventory was deleted, or its last write"
          + " failed. What it listed is forgotten: objects fleet-backup applied and no longer wants are not pruned, and a"
          + " Restore removed from Git before runs again if it is brought back; apply writes it again from the objects"
          + " fleet-backup wants", Optional.empty()));
    }
  }

  /**
   * Its JSON does not match the digest fleet-backup wrote with it, or another manager wrote its
   * data: nothing is pruned on its word, and apply writes it again with the entries fleet-backup
   * can prove.
   *
   * @param by the manager that last wrote its data or digest, when managedFields name one
   */
  record Edited(Optional<ManagedFields.Writer> by) implements InventoryOrigin {
    @Override
    public boolean trusted() {
      return false;
    }

    @Override
    public boolean rewrite() {
      return true;
    }

    /** {@code was edited by kubectl-edit (Update) at 2026-12-02T03:10:00Z, not by fleet-backup}. */
    public String describe() {
      return by.map(w -> "was edited by " + SafeText.oneLine(SafeText.truncate(w.manager(), 128))
              + (w.operation().isEmpty() ? "" : " (" + SafeText.oneLine(SafeText.truncate(w.operation(), 32)) + ")")
              + w.time().map(t -> " at " + t).orElse("") + ", not by fleet-backup")
          .orElse("was changed outside fleet-backup (it does not match the digest fleet-backup wrote with it, and its"
              + " managedFields name no other writer)");
    }

    @Override
    public Optional<ClusterState.Warning> warning() {
      return Optional.of(new ClusterState.Warning("InventoryEdited", "inventory edited", "inventory " + NAME + " "
          + describe() + ": nothing is pruned in this cluster on this pass, and apply writes it again with only the entries"
          + " fleet-backup can prove (the objects it wants, the runs it remembers, the objects it applied)",
          by.flatMap(ManagedFields.Writer::time)));
    }
  }

  /** The origin of the inventory in {@code live}, the member's objects as one observation read them. */
  static InventoryOrigin of(LiveObjects live) {
    JsonNode configMap = live.present().get(Inventory.REF);
    if (configMap == null) {
      return live.present().entrySet().stream()
          .filter(e -> ManagedFields.writtenByFleetBackup(e.getValue()))
          .map(Map.Entry::getKey)
          .sorted()
          .findFirst()
          .<InventoryOrigin>map(Deleted::new)
          .orElse(new None());
    }
    Optional<ManagedFields.Writer> other = ManagedFields.lastOtherWriter(configMap, INVENTORY_FIELDS);
    String digest = configMap.path("metadata").path("annotations").path(Conventions.INVENTORY_SHA256).asString("");
    if (digest.isEmpty()) {
      return other.isPresent() ? new Edited(other) : new Unsealed();
    }
    JsonNode json = configMap.path("data").path(Inventory.DATA_KEY);
    return json.isString() && digest.equals(Inventory.sha256(json.asString())) ? new Written() : new Edited(other);
  }
}
