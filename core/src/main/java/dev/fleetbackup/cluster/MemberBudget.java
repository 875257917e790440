package dev.fleetbackup.cluster;

import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The time one member may take in one pass, spent only while the pass works on that member (its
 * observation, then its diff and apply), not while it waits for the other members between the
 * two: a slow member is cut off once it is spent, and a member that waited for a slow one still
 * has all of its own. Every request to the member is bounded by what is left. Measured on the
 * monotonic clock of the process, as it bounds real waiting.
 */
public final class MemberBudget {
  private final Duration total;
  private final LongSupplier nanoTime;
  private long spentNanos;
  private long workingSince = -1;

  public MemberBudget(Duration total) {
    this(total, System::nanoTime);
  }

  MemberBudget(Duration total, LongSupplier nanoTime) {
    this.total = Objects.requireNonNull(total, "total");
    this.nanoTime = nanoTime;
    if (total.isNegative() || total.isZero()) {
      throw new IllegalArgumentException("a member's budget must be positive, not " + total);
    }
  }

  public Duration total() {
    return total;
  }

  /** The pass starts working on the member. */
  public synchronized void start() {
    if (workingSince < 0) {
      workingSince = nanoTime.getAsLong();
    }
  }

  /** The pass stops working on the member (until the next {@link #start}). */
  public synchronized void stop() {
    if (workingSince >= 0) {
      spentNanos += nanoTime.getAsLong() - workingSince;
      workingSince = -1;
    }
  }

  /** What is left, zero when it is spent. */
  public synchronized Duration remaining() {
    long spent = spentNanos + (workingSince < 0 ? 0 : nanoTime.getAsLong() - workingSince);
    return Duration.ofNanos(Math.max(0, total.toNanos() - spent));
  }
}
