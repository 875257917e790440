package dev.fleetbackup.shard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BoundedLoadRingTest {
  private static final Random RANDOM = new Random(13);

  @Test
  void everyMemberGoesToOneOfTheReplicasAndNoneTakesMoreThanItsCapacity() {
    for (int m : List.of(1, 2, 3, 9, 10, 11, 100, 1000)) {
      for (int n = 1; n <= 10; n++) {
        List<String> members = ShardTable.members(m, RANDOM);
        Map<String, String> assignment = BoundedLoadRing.assign(ShardTable.replicas(n), members);
        assertThat(assignment).as("%d members, %d replicas", m, n).containsOnlyKeys(members);
        assertThat(assignment.values()).allMatch(ShardTable.replicas(n)::contains);
        int capacity = BoundedLoadRing.capacity(m, n);
        assertThat(capacity).isEqualTo((int) Math.ceil(1.25 * m / n));
        assertThat(loads(assignment).values()).as("%d members, %d replicas", m, n).allMatch(load -> load <= capacity);
      }
    }
  }

  @Test
  void noReplicaTakesMoreThanAQuarterAboveTheMeanRoundedUpToAWholeMember() {
    for (int m : List.of(12, 100, 1000)) {
      for (int n : List.of(3, 5, 10)) {
        for (int fleet = 0; fleet < 10; fleet++) {
          Map<String, Integer> loads = loads(BoundedLoadRing.assign(ShardTable.replicas(n), ShardTable.members(m, RANDOM)));
          double mean = (double) m / n;
          assertThat(loads.values()).as("%d members, %d replicas", m, n).allMatch(load -> load <= Math.ceil(1.25 * mean));
          if (m >= 100 * n) {
            assertThat(loads.values()).as("%d members, %d replicas: over 1.25 × the mean by less than one", m, n)
                .allMatch(load -> load / mean < 1.25 + 1 / mean);
          }
        }
      }
    }
  }

  @Test
  void everyReplicaComputesTheSameAssignmentWhateverOrderItLearntTheNamesIn() {
    List<String> members = new ArrayList<>(ShardTable.members(300, RANDOM));
    List<String> replicas = new ArrayList<>(ShardTable.replicas(7));
    Map<String, String> first = BoundedLoadRing.assign(replicas, members);
    Collections.shuffle(members, RANDOM);
    Collections.shuffle(replicas, RANDOM);
    List<String> twice = new ArrayList<>(replicas);
    twice.addAll(replicas);
    assertThat(BoundedLoadRing.assign(twice, members)).isEqualTo(first);
    assertThat(BoundedLoadRing.assign(List.copyOf(replicas), List.copyOf(members))).isEqualTo(first);
  }

  @Test
  void anAddedReplicaTakesAboutItsShareAndLittleElseMoves() {
    for (int n : List.of(2, 3, 5, 10)) {
      List<String> members = ShardTable.members(1000, RANDOM);
      Map<String, String> before = BoundedLoadRing.assign(ShardTable.replicas(n), members);
      Map<String, String> after = BoundedLoadRing.assign(ShardTable.replicas(n + 1), members);
      String added = ShardTable.replicas(n + 1).get(n);
      long toNew = after.values().stream().filter(added::equals).count();
      long elsewhere = members.stream().filter(m -> !before.get(m).equals(after.get(m)) && !after.get(m).equals(added)).count();
      double share = 1000.0 / (n + 1);
      assertThat(toNew).as("the new replica's members, %d replicas before", n).isBetween((long) (share * 0.75), (long) (share * 1.25));
      assertThat(elsewhere).as("members moved between the old replicas, %d before", n).isLessThanOrEqualTo((long) (share * 0.25));
    }
  }

  @Test
  void aRemovedReplicasMembersMoveAndLittleElseDoes() {
    for (int n : List.of(3, 5, 10)) {
      List<String> members = ShardTable.members(1000, RANDOM);
      Map<String, String> before = BoundedLoadRing.assign(ShardTable.replicas(n), members);
      String removed = ShardTable.replicas(n).get(n / 2);
      List<String> left = new ArrayList<>(ShardTable.replicas(n));
      left.remove(removed);
      Map<String, String> after = BoundedLoadRing.assign(left, members);
      long others = members.stream().filter(m -> !before.get(m).equals(removed) && !before.get(m).equals(after.get(m))).count();
      assertThat(after.values()).doesNotContain(removed);
      assertThat(others).as("members of the remaining replicas that moved, %d replicas before", n)
          .isLessThanOrEqualTo((long) (1000.0 / n * 0.25));
    }
  }

  @Test
  void withFewMembersAReplicaTakesAtMostCapacity() {
    List<String> members = List.of("kurator-member1", "kurator-member2", "kurator-member3", "kurator-member4", "kurator-member5",
        "kurator-member6", "kurator-member7", "kurator-member8", "kurator-member9");
    Map<String, Integer> loads = loads(BoundedLoadRing.assign(List.of("a", "b", "c"), members));
    assertThat(loads.values()).allMatch(load -> load <= 4).hasSize(3);
  }

  @Test
  void noReplicasNoAssignment() {
    assertThat(BoundedLoadRing.assign(List.of(), List.of("m"))).isEmpty();
    assertThat(BoundedLoadRing.assign(List.of("a"), List.of())).isEmpty();
  }

  private static Map<String, Integer> loads(Map<String, String> assignment) {
    Map<String, Integer> load = new HashMap<>();
    assignment.values().forEach(r -> load.merge(r, 1, Integer::sum));
    return load;
  }
}
