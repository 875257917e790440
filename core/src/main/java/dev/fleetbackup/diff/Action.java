package dev.fleetbackup.diff;

/** What a pass did, or would do, to one object. */
public enum Action {
  CREATED("created", true),
  CONFIGURED("changed", true),
  UNCHANGED("unchanged", false),
  DELETED("deleted", true),
  /** Nothing is done, for a reason the entry gives (a run that stays as it is, an object kept or waiting). */
  SKIPPED("skipped", false);

  private final String word;
  private final boolean difference;

  Action(String word, boolean difference) {
    this.word = word;
    this.difference = difference;
  }

  /** The word {@code diff} prints: created, changed, unchanged, deleted, skipped. */
  public String word() {
    return word;
  }

  /** Whether this is a difference between Git and the cluster, one that {@code apply} writes. */
  public boolean isDifference() {
    return difference;
  }
}
