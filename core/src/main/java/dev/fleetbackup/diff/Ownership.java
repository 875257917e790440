package dev.fleetbackup.diff;

/** Whether a pass may take over an object it finds in a member and cannot prove it created. */
public enum Ownership {
  /**
   * Only what fleet-backup created: an object that exists, is not in its inventory and carries no
   * field of its field manager is someone else's (a Helm-installed Velero, a hand-made location),
   * reported as a conflict and left untouched.
   */
  OURS_ONLY,
  /** {@code --adopt}: server-side apply takes such an object over, and fleet-backup manages it from then on. */
  ADOPT
}
