package dev.fleetbackup.observe;

import dev.fleetbackup.plan.ManagedKind;
import dev.fleetbackup.plan.ObjectRef;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/**
 * The objects of one member as its observation read them: each object fleet-backup reconciles, may
 * prune, or keeps its inventory in, and everything of the kinds it listed. Asking for an object the
 * observation did not read is a bug, not an absent object: what a pass decides, it decides from this
 * one read.
 *
 * @param present the objects that exist, by ref
 * @param read the refs read one by one, present or not
 * @param listed the kinds listed in full, per namespace: an object of one that is not present does not exist
 * @param unreadable the refs whose read the member answered with an error (403, 500), with its words
 */
public record LiveObjects(Map<ObjectRef, ObjectNode> present, Set<ObjectRef> read, Set<Scope> listed,
    Map<ObjectRef, String> unreadable) {
  public static final LiveObjects NONE = new LiveObjects(Map.of(), Set.of(), Set.of(), Map.of());

  /** A kind in a namespace ("" for cluster-scoped kinds). */
  public record Scope(ManagedKind kind, String namespace) {
    static Scope of(ObjectRef ref) {
      return new Scope(ref.kind(), ref.namespace());
    }
  }

  public LiveObjects {
    present = Map.copyOf(present);
    read = Set.copyOf(read);
    listed = Set.copyOf(listed);
    unreadable = Map.copyOf(unreadable);
  }

  /** Whether {@code ref} was read, one by one or by a list of its kind. */
  public boolean knows(ObjectRef ref) {
    return read.contains(ref) || listed.contains(Scope.of(ref));
  }

  /**
   * The object as the member had it, a copy, or empty when it did not exist.
   *
   * @throws Unreadable when the member answered its read with an error
   * @throws IllegalStateException when the observation did not read it
   */
  public Optional<ObjectNode> get(ObjectRef ref) throws Unreadable {
    if (unreadable.containsKey(ref)) {
      throw new Unreadable(unreadable.get(ref));
    }
    if (!knows(ref)) {
      throw new IllegalStateException(ref + " was not observed");
    }
    return Optional.ofNullable(present.get(ref)).map(ObjectNode::deepCopy);
  }

  /** The member answered the read of one object with an error; the message is the member's. */
  public static final class Unreadable extends Exception {
    private static final long serialVersionUID = 1L;

    Unreadable(String message) {
      super(message);
    }
  }
}
