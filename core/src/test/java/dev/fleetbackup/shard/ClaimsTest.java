package dev.fleetbackup.shard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetbackup.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Replicas simulated on one manual clock, each with its own {@link Claims}, renewing and listing
 * their Leases every retry period (out of step with one another); after every step of 100 ms no
 * member may be held by two replicas.
 */
class ClaimsTest {
  private static final Duration LEASE = Duration.ofSeconds(6);
  private static final Duration DEADLINE = Duration.ofSeconds(4);
  private static final Duration RETRY = Duration.ofSeconds(1);
  private static final Duration STEP = Duration.ofMillis(100);
  private static final Set<String> MEMBERS = IntStream.rangeClosed(1, 12).mapToObj(i -> "member" + i)
      .collect(Collectors.toCollection(TreeSet::new));

  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-02T06:00:00Z"));
  private final Fleet fleet = new Fleet();

  @Test
  void aReplicaAloneTakesEveryMemberOnceItsLeaseAnnouncedThemAndTheRenewDeadlinePassed() {
    Replica a = fleet.start("a", MEMBERS, 0);
    fleet.run(Duration.ofSeconds(1));
    assertThat(a.claims.owned(MEMBERS)).as("not yet: another replica may still be writing").isEmpty();
    fleet.run(DEADLINE.plus(RETRY));
    assertThat(a.claims.owned(MEMBERS)).isEqualTo(MEMBERS);
  }

  @Test
  void threeReplicasShareTheMembersAsTheRingSaysEachMemberHeldByExactlyOne() {
    fleet.start("a", MEMBERS, 0);
    fleet.start("b", MEMBERS, 300);
    fleet.start("c", MEMBERS, 700);
    fleet.run(Duration.ofSeconds(10));
    assertThat(fleet.holders()).isEqualTo(BoundedLoadRing.assign(List.of("a", "b", "c"), MEMBERS));
  }

  @Test
  void aDeadReplicasMembersAreTakenOnceItsLeaseRanOutAndNotBefore() {
    fleet.start("a", MEMBERS, 0);
    fleet.start("b", MEMBERS, 300);
    Replica c = fleet.start("c", MEMBERS, 700);
    fleet.run(Duration.ofSeconds(10));
    Set<String> hersBefore = c.claims.owned(MEMBERS);
    assertThat(hersBefore).isNotEmpty();
    Instant lastRenewal = c.lastRenewal;
    c.kill();
    Instant takenOver = fleet.runUntil(() -> fleet.holders().keySet().containsAll(MEMBERS), Duration.ofSeconds(20));
    Duration after = Duration.between(lastRenewal, takenOver);
    assertThat(after).as("its Lease seen unchanged for the lease duration, then at once")
        .isGreaterThanOrEqualTo(LEASE).isLessThanOrEqualTo(LEASE.plus(RETRY.multipliedBy(2)));
    assertThat(fleet.holders()).isEqualTo(BoundedLoadRing.assign(List.of("a", "b"), MEMBERS));
  }

  @Test
  void aReplicaThatShutsDownReleasesItsLeaseAndTheOthersTakeItsMembersAtTheirNextList() {
    fleet.start("a", MEMBERS, 0);
    Replica b = fleet.start("b", MEMBERS, 500);
    fleet.run(Duration.ofSeconds(10));
    Instant released = clock.instant();
    b.release();
    Instant takenOver = fleet.runUntil(() -> fleet.holders().keySet().containsAll(MEMBERS), Duration.ofSeconds(10));
    assertThat(Duration.between(released, takenOver)).isLessThanOrEqualTo(RETRY);
  }

  @Test
  void anAddedReplicaTakesOnlyItsShareAfterTheOthersGaveItUp() {
    fleet.start("a", MEMBERS, 0);
    fleet.start("b", MEMBERS, 300);
    fleet.run(Duration.ofSeconds(10));
    Map<String, String> before = fleet.holders();
    Instant joined = clock.instant();
    fleet.start("c", MEMBERS, 500);
    fleet.runUntil(() -> fleet.holders().containsValue("c") && fleet.holders().keySet().containsAll(MEMBERS),
        Duration.ofSeconds(20));
    Map<String, String> after = fleet.holders();
    assertThat(Duration.between(joined, clock.instant())).as("the renew deadline after it announced itself")
        .isGreaterThanOrEqualTo(DEADLINE);
    assertThat(after).isEqualTo(BoundedLoadRing.assign(List.of("a", "b", "c"), MEMBERS));
    List<String> moved = MEMBERS.stream().filter(m -> !before.get(m).equals(after.get(m))).toList();
    assertThat(moved).as("only what the new replica took moved").allMatch(m -> after.get(m).equals("c"));
  }

  @Test
  void aReplicaThatCannotReachTheManagementClusterStopsWithinTheRenewDeadline() {
    Replica a = fleet.start("a", MEMBERS, 0);
    fleet.run(Duration.ofSeconds(10));
    assertThat(a.claims.owned(MEMBERS)).isEqualTo(MEMBERS);
    Instant cut = clock.instant();
    a.cutOff = true;
    fleet.runUntil(() -> a.claims.owned(MEMBERS).isEmpty(), Duration.ofSeconds(10));
    assertThat(Duration.between(cut, clock.instant())).isLessThanOrEqualTo(DEADLINE);
    assertThat(a.claims.held()).isFalse();
  }

  @Test
  void whileTheReplicasApplyDifferentMemberSetsNoneTakesANewMemberAndEachKeepsWhatItHeld() {
    Replica a = fleet.start("a", MEMBERS, 0);
    Replica b = fleet.start("b", MEMBERS, 300);
    fleet.run(Duration.ofSeconds(10));
    Map<String, String> before = fleet.holders();
    Set<String> more = new TreeSet<>(MEMBERS);
    IntStream.rangeClosed(13, 20).forEach(i -> more.add("member" + i));
    a.members(more); // a fetched the new commit, b not yet
    fleet.run(Duration.ofSeconds(10));
    Map<String, String> during = fleet.holders();
    assertThat(during.keySet()).as("no new member taken").isSubsetOf(MEMBERS);
    assertThat(during).as("each kept only what it held").allSatisfy((m, r) -> assertThat(before.get(m)).isEqualTo(r));
    b.members(more);
    fleet.run(Duration.ofSeconds(10));
    assertThat(fleet.holders()).isEqualTo(BoundedLoadRing.assign(List.of("a", "b"), more));
  }

  @Test
  void aLeaseDeletedUnderALiveReplicaIsNoProofItStoppedItsMembersWaitTheRenewDeadline() {
    fleet.start("a", MEMBERS, 0);
    Replica b = fleet.start("b", MEMBERS, 500);
    fleet.run(Duration.ofSeconds(10));
    Set<String> hers = b.claims.owned(MEMBERS);
    fleet.run(Duration.ofMillis(600)); // b renewed last: a lists before b renews again
    fleet.leases.remove("b"); // kubectl delete lease: b renews it again at its next tick
    fleet.run(Duration.ofSeconds(10)); // no member with two holders meanwhile
    assertThat(b.claims.owned(MEMBERS)).isEqualTo(hers);
  }

  /** The replicas, on one clock; checks after each step that no member has two holders. */
  private final class Fleet {
    private final List<Replica> replicas = new ArrayList<>();
    private final Map<String, Lease> leases = new LinkedHashMap<>();

    Replica start(String name, Set<String> members, long offsetMillis) {
      Replica r = new Replica(name, offsetMillis);
      r.members(members);
      replicas.add(r);
      return r;
    }

    void run(Duration time) {
      Instant end = clock.instant().plus(time);
      while (clock.instant().isBefore(end)) {
        step();
      }
    }

    Instant runUntil(java.util.function.BooleanSupplier done, Duration atMost) {
      Instant end = clock.instant().plus(atMost);
      while (!done.getAsBoolean()) {
        assertThat(clock.instant()).as("in time").isBefore(end);
        step();
      }
      return clock.instant();
    }

    private void step() {
      clock.advance(STEP);
      for (Replica r : replicas) {
        r.tick();
      }
      Map<String, List<String>> holders = new HashMap<>();
      for (Replica r : replicas) {
        for (String m : MEMBERS) {
          if (r.alive && r.claims.holds(m)) {
            holders.computeIfAbsent(m, k -> new ArrayList<>()).add(r.name);
          }
        }
      }
      assertThat(holders.values()).as("at %s", clock.instant()).allMatch(list -> list.size() == 1);
    }

    /** Member → the replica holding it, for the members someone holds. */
    Map<String, String> holders() {
      Map<String, String> out = new HashMap<>();
      for (Replica r : replicas) {
        if (r.alive) {
          Set<String> all = new TreeSet<>(MEMBERS);
          IntStream.rangeClosed(13, 20).forEach(i -> all.add("member" + i));
          r.claims.owned(all).forEach(m -> out.put(m, r.name));
        }
      }
      return out;
    }
  }

  private record Lease(String version, Optional<String> members, boolean released) {}

  private final class Replica {
    final String name;
    final Claims claims;
    final long offsetMillis;
    boolean alive = true;
    boolean cutOff;
    Instant lastRenewal;
    Instant nextTick;
    int renewals;

    Replica(String name, long offsetMillis) {
      this.name = name;
      this.offsetMillis = offsetMillis;
      this.claims = new Claims(name, new Claims.Timings(LEASE, DEADLINE), clock);
      this.nextTick = clock.instant().plusMillis(offsetMillis);
    }

    void members(Set<String> members) {
      claims.members(members);
    }

    void kill() {
      alive = false;
    }

    /** A clean shutdown: it stops writing, then marks its Lease released. */
    void release() {
      alive = false;
      fleet.leases.put(name, new Lease(name + "-" + (++renewals), claims.announced(), true));
    }

    /** Every retry period: renew its own Lease with what it announces, then list them all. */
    void tick() {
      if (!alive || clock.instant().isBefore(nextTick)) {
        return;
      }
      nextTick = nextTick.plus(RETRY);
      if (cutOff) {
        return;
      }
      Instant began = clock.instant();
      Optional<String> announced = claims.announced();
      fleet.leases.put(name, new Lease(name + "-" + (++renewals), announced, false));
      lastRenewal = began;
      claims.renewed(began, announced);
      claims.listed(clock.instant(), fleet.leases.entrySet().stream()
          .map(e -> new Claims.Peer(e.getKey(), e.getValue().version(), e.getValue().members(), e.getValue().released())).toList());
    }
  }
}
