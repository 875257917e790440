package dev.fleetbackup.apply;

import java.util.List;

/**
 * Whether this instance may still write to a member: with leader election, whether it still holds
 * the Lease; with shards, whether it holds its own Lease and the member is assigned to it. Checked
 * before every write, so that after another replica took over nothing more is written, not even
 * the rest of a pass already under way.
 */
@FunctionalInterface
public interface Fence {
  /** No election: this instance always writes. */
  Fence NONE = member -> true;

  boolean holds(String member);

  /**
   * A pass starts over {@code members} (in the order the fleets list them): the ones it takes, to
   * observe, diff and apply. Every one but with shards, where a replica takes those it holds.
   */
  default List<String> take(List<String> members) {
    return members;
  }

  /** The reason a write this fence stopped is recorded with, and its message. */
  default String reason() {
    return "NotLeader";
  }

  default String message() {
    return "not written: this instance no longer holds the Lease";
  }
}
