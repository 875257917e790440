package dev.fleetbackup.controller;

import dev.fleetbackup.apply.Fence;
import dev.fleetbackup.pipeline.StatusPart;
import dev.fleetbackup.shard.Claims;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A replica's fence under sharding: it writes to a member while {@link Claims} says it holds it
 * (its own Lease renewed, the member assigned to it and no other replica able to write to it). A
 * pass takes the members held when it starts; the status it publishes is theirs, of those it still holds.
 */
final class ShardFence implements Fence {
  private final Claims claims;
  private volatile Optional<StatusPart> taken = Optional.empty();

  ShardFence(Claims claims) {
    this.claims = claims;
  }

  @Override
  public boolean holds(String member) {
    return claims.holds(member);
  }

  @Override
  public List<String> take(List<String> members) {
    claims.members(Set.copyOf(members));
    List<String> ours = members.stream().filter(claims::holds).toList();
    taken = Optional.of(new StatusPart(members, Set.copyOf(ours)));
    return ours;
  }

  /** This replica's part of the status: the members its last pass took and it still holds; none before its first pass. */
  Optional<StatusPart> part() {
    return taken.map(p -> new StatusPart(p.members(), p.ours().stream().filter(claims::holds).collect(Collectors.toSet())));
  }

  @Override
  public String reason() {
    return "NotOwner";
  }

  @Override
  public String message() {
    return "not written: this replica no longer owns the member (its Lease was not renewed, or the member moved to another replica)";
  }
}
