package dev.fleetbackup.shard;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which replica reconciles which member: consistent hashing with bounded loads (Mirrokni, Thorup and
 * Zadimoghaddam, "Consistent Hashing with Bounded Loads", 2018). Each replica has
 * {@link #VIRTUAL_NODES} points on a 64-bit ring; each member, taken in the order of its own hash, goes
 * to the first replica clockwise from its hash that is below capacity, the capacity being
 * {@code ceil(1.25 · m / n)} for {@code m} members and {@code n} replicas: no replica takes more
 * than 1.25 × the mean, rounded up to a whole member.
 *
 * <p>A pure function of the two sets: every replica computes the same assignment from the same live
 * Lease holders and member names, whatever order it learnt them in. Adding or removing a replica
 * moves about its share of the members (a member moves only when its own replica went, or its
 * place on the ring is taken by the new one, or a capacity change pushes it on), where a hash
 * modulo the replica count moves nearly all of them.
 */
public final class BoundedLoadRing {
  /** Points per replica on the ring: enough that the arcs even out before the bound has to. */
  public static final int VIRTUAL_NODES = 160;
  /** The load bound {@code c}: no replica above {@code c} times the mean. */
  public static final double LOAD_FACTOR = 1.25;

  private BoundedLoadRing() {}

  /**
   * Each member's replica. Duplicates are ignored; no replicas means no assignment.
   *
   * @return member → replica, for every member
   */
  public static Map<String, String> assign(Iterable<String> replicas, Iterable<String> members) {
    TreeSet<String> owners = new TreeSet<>();
    replicas.forEach(owners::add);
    TreeSet<String> names = new TreeSet<>();
    members.forEach(names::add);
    Map<String, String> assignment = new HashMap<>();
    if (owners.isEmpty() || names.isEmpty()) {
      return assignment;
    }
    int capacity = capacity(names.size(), owners.size());
    TreeMap<Long, String> ring = new TreeMap<>();
    for (String owner : owners) {
      for (int i = 0; i < VIRTUAL_NODES; i++) {
        // on a collision (never seen with 64 bits) the smaller name keeps the point: still the same everywhere
        ring.merge(hash(owner + "#" + i), owner, (a, b) -> a.compareTo(b) <= 0 ? a : b);
      }
    }
    long[] points = ring.keySet().stream().mapToLong(Long::longValue).toArray();
    String[] holders = ring.values().toArray(String[]::new);
    Map<String, Integer> load = new HashMap<>();
    Map<String, Long> hashes = new HashMap<>();
    names.forEach(m -> hashes.put(m, hash(m)));
    List<String> ordered = new ArrayList<>(names);
    ordered.sort(Comparator.<String>comparingLong(hashes::get).thenComparing(Comparator.naturalOrder()));
    for (String member : ordered) {
      int found = Arrays.binarySearch(points, hashes.get(member));
      int start = found >= 0 ? found : -found - 1; // the first point at or after the member's hash, clockwise
      for (int step = 0; step < points.length; step++) {
        String owner = holders[(start + step) % points.length];
        if (load.getOrDefault(owner, 0) < capacity) {
          load.merge(owner, 1, Integer::sum);
          assignment.put(member, owner);
          break;
        }
      }
    }
    return assignment;
  }

  /**
   * The most members one replica takes: {@code ceil(1.25 · m / n)}, the paper's bound. A tighter
   * one (rounded down) would balance a small fleet better, but every replica added or removed
   * would then push more members from one old replica to another (measured: 30 % of a fleet of 10
   * moved when a fourth replica joined three, against 26.5 %; its share is 25 %).
   */
  public static int capacity(int members, int replicas) {
    return (int) Math.ceil(LOAD_FACTOR * members / replicas);
  }

  /** The first 8 bytes of the SHA-256 of the text: the same on every JVM, spread evenly. */
  static long hash(String text) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      long h = 0;
      for (int i = 0; i < 8; i++) {
        h = (h << 8) | (d[i] & 0xff);
      }
      return h;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
