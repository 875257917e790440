package dev.fleetbackup.diff;

import dev.fleetbackup.observe.Inventory;
import dev.fleetbackup.observe.InventoryEntry;
import dev.fleetbackup.observe.InventoryOrigin;
import dev.fleetbackup.plan.ResolvedPlan;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What differs between the plan and one member cluster, object by object, as a server-side dry
 * run found it. {@code apply} writes exactly the differences listed here.
 *
 * @param inventory the member's inventory as read
 * @param desiredEntries the entries of the inventory apply writes: every object of the resolved
 *     plan, entries kept although not rendered now (they must not be pruned later), the tombstones
 *     of runs, and, when the inventory was edited, the entries that would have been pruned
 * @param origin who wrote the inventory as read: nothing is pruned on the word of an edited one
 */
public record ChangeSet(String cluster, List<Change> changes, List<ObjectFailure> failures, Inventory inventory,
    List<InventoryEntry> desiredEntries, ResolvedPlan plan, InventoryOrigin origin) {

  public ChangeSet {
    changes = List.copyOf(changes);
    failures = List.copyOf(failures);
    desiredEntries = List.copyOf(desiredEntries);
    Objects.requireNonNull(origin, "origin");
  }

  /** A change set of a member that had no inventory. */
  public ChangeSet(String cluster, List<Change> changes, List<ObjectFailure> failures, Inventory inventory,
      List<InventoryEntry> desiredEntries, ResolvedPlan plan) {
    this(cluster, changes, failures, inventory, desiredEntries, plan, new InventoryOrigin.None());
  }

  public List<Change> differences() {
    return changes.stream().filter(c -> c.action().isDifference()).toList();
  }

  public boolean hasDifferences() {
    return changes.stream().anyMatch(c -> c.action().isDifference());
  }

  public long count(Action action) {
    return changes.stream().filter(c -> c.action() == action).count();
  }

  /** How many objects of each action, in enum order: {@code {CREATED=2, UNCHANGED=12}}. */
  public Map<Action, Long> counts() {
    Map<Action, Long> counts = new TreeMap<>();
    changes.forEach(c -> counts.merge(c.action(), 1L, Long::sum));
    return counts;
  }
}
