package dev.fleetbackup.pipeline;

/**
 * How many members a pass works on at a time ({@code --concurrent}), in each of its two phases
 * (observing, then diffing and applying); the others wait their turn without spending their
 * budget.
 *
 * @param members between 1 and {@link #MAX}
 */
public record Concurrency(int members) {
  /** A bound, not a recommendation: each member in flight is a thread and a client with its connections. */
  public static final int MAX = 512;

  /**
   * 32: a member's part of a pass is a few dozen requests one after the other, each mostly waiting
   * for its API server (a round trip, a dry run, a write), so threads are cheap to have waiting
   * and a fleet of hundreds fits an interval: at about 2 s a member, 300 members take about 19 s
   * 32 at a time, 75 s 8 at a time (the pool of 8 this replaced).
   */
  public static final Concurrency DEFAULT = new Concurrency(32);

  public Concurrency {
    if (members < 1 || members > MAX) {
      throw new IllegalArgumentException("members in flight must be between 1 and " + MAX + ", not " + members);
    }
  }
}
