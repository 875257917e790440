package dev.fleetbackup.controller;

import dev.fleetbackup.apply.Fence;
import java.util.function.BooleanSupplier;

/** A replica's fence under leader election: it holds while the Lease is held, and not before the candidate starts. */
final class LeaderFence implements Fence {
  private volatile BooleanSupplier leading = () -> false;

  void follow(BooleanSupplier isLeader) {
    leading = isLeader;
  }

  @Override
  public boolean holds(String member) {
    return leading.getAsBoolean();
  }
}
