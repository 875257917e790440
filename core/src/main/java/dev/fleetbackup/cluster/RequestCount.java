package dev.fleetbackup.cluster;

/**
 * API requests one member received: reads (GET, LIST), server-side dry runs, writes (every request
 * that can change the cluster), and watches (GET with {@code watch=true}: the daemon's cache starts
 * each, and fabric8 renews each every five to ten minutes, whatever the passes do). A steady-state
 * pass makes no writes.
 */
public record RequestCount(int reads, int dryRuns, int writes, int watches) {
  public static final RequestCount NONE = new RequestCount(0, 0, 0);

  /** Requests sent without a watch, as every command but {@code run} sends them. */
  public RequestCount(int reads, int dryRuns, int writes) {
    this(reads, dryRuns, writes, 0);
  }

  public int total() {
    return reads + dryRuns + writes + watches;
  }

  public RequestCount plus(RequestCount more) {
    return new RequestCount(reads + more.reads, dryRuns + more.dryRuns, writes + more.writes, watches + more.watches);
  }

  public RequestCount minus(RequestCount earlier) {
    return new RequestCount(reads - earlier.reads, dryRuns - earlier.dryRuns, writes - earlier.writes, watches - earlier.watches);
  }

  @Override
  public String toString() {
    return total() + " requests (" + reads + " reads, " + dryRuns + " dry runs, " + writes + " writes"
        + (watches == 0 ? "" : ", " + watches + " watches") + ")";
  }
}
