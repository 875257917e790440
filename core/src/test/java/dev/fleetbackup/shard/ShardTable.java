package dev.fleetbackup.shard;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.IntStream;

/**
 * The README's table: the most loaded replica over the mean, and the members moved when a replica
 * is added, for {@link BoundedLoadRing} beside Argo CD's default sharding ({@code legacy}: a hash of
 * the cluster modulo the replica count; Argo CD hashes the cluster Secret's UID with FNV-32a, the
 * member name stands in for it here). {@code java … ShardTable} prints it in Markdown.
 */
public final class ShardTable {
  private ShardTable() {}

  public static void main(String[] args) {
    System.out.print(markdown());
  }

  /** Fleets per cell: each a fresh set of random member ids, as Argo CD hashes cluster Secret UIDs. */
  static final int FLEETS = 100;

  static String markdown() {
    StringBuilder out = new StringBuilder("| members | replicas | max / mean, bounded loads | max / mean, hash mod n | moved on adding a replica, bounded loads | moved, hash mod n | its share, 1/(n+1) |\n"
        + "|---:|---:|---:|---:|---:|---:|---:|\n");
    for (int m : List.of(10, 100, 1000)) {
      for (int n : List.of(3, 5, 10)) {
        Cell ring = new Cell();
        Cell mod = new Cell();
        Random random = new Random(m * 31L + n);
        for (int f = 0; f < FLEETS; f++) {
          List<String> members = members(m, random);
          ring.add(BoundedLoadRing.assign(replicas(n), members), BoundedLoadRing.assign(replicas(n + 1), members), m, n);
          mod.add(hashMod(replicas(n), members), hashMod(replicas(n + 1), members), m, n);
        }
        out.append(String.format("| %d | %d | %s | %s | %s | %s | %.1f %% |%n", m, n, ring.balance(), mod.balance(), ring.movement(),
            mod.movement(), 100.0 / (n + 1)));
      }
    }
    return out.toString();
  }

  /** One cell of the table over {@link #FLEETS} fleets: the mean, and the worst in brackets. */
  private static final class Cell {
    private double balance;
    private double worstBalance;
    private double moved;
    private double worstMoved;
    private int fleets;

    void add(Map<String, String> before, Map<String, String> after, int m, int n) {
      double b = maxOverMean(before, m, n);
      double mv = (double) moved(before, after) / m;
      balance += b;
      worstBalance = Math.max(worstBalance, b);
      moved += mv;
      worstMoved = Math.max(worstMoved, mv);
      fleets++;
    }

    String balance() {
      return String.format("%.2f (%.2f)", balance / fleets, worstBalance);
    }

    String movement() {
      return String.format("%.1f %% (%.0f %%)", 100 * moved / fleets, 100 * worstMoved);
    }
  }

  /** {@code m} member names as random as Secret UIDs, from {@code random}. */
  static List<String> members(int m, Random random) {
    return IntStream.range(0, m).mapToObj(i -> new UUID(random.nextLong(), random.nextLong()).toString()).toList();
  }

  static List<String> replicas(int n) {
    return IntStream.rangeClosed(1, n).mapToObj(i -> "fleet-backup-" + i).toList();
  }

  static double maxOverMean(Map<String, String> assignment, int m, int n) {
    Map<String, Integer> load = new HashMap<>();
    assignment.values().forEach(r -> load.merge(r, 1, Integer::sum));
    return load.values().stream().mapToInt(Integer::intValue).max().orElse(0) / ((double) m / n);
  }

  static long moved(Map<String, String> before, Map<String, String> after) {
    return before.keySet().stream().filter(k -> !before.get(k).equals(after.get(k))).count();
  }

  /** Argo CD's legacy sharding: FNV-32a of the cluster's id, modulo the replica count. */
  static Map<String, String> hashMod(List<String> replicas, List<String> members) {
    Map<String, String> out = new HashMap<>();
    for (String m : members) {
      int h = 0x811c9dc5;
      for (byte b : m.getBytes(StandardCharsets.UTF_8)) {
        h ^= b & 0xff;
        h *= 0x01000193;
      }
      out.put(m, replicas.get((int) (Integer.toUnsignedLong(h) % replicas.size())));
    }
    return out;
  }
}
