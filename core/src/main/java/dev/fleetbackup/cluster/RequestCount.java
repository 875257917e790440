package dev.fleetbackup.cluster;

/**
 * API requests one member received: reads (GET, LIST), server-side dry runs, and writes (every
 * request that can change the cluster). A steady-state pass makes no writes.
 */
public record RequestCount(int reads, int dryRuns, int writes) {
  public static final RequestCount NONE = new RequestCount(0, 0, 0);

  public int total() {
    return reads + dryRuns + writes;
  }

  public RequestCount minus(RequestCount earlier) {
    return new RequestCount(reads - earlier.reads, dryRuns - earlier.dryRuns, writes - earlier.writes);
  }

  @Override
  public String toString() {
    return total() + " requests (" + reads + " reads, " + dryRuns + " dry runs, " + writes + " writes)";
  }
}
