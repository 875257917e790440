package dev.fleetbackup.plan;

/** What the workflows decided for a run of the plan, from the runs the member has and its inventory remembers. */
public enum RunState {
  /** No run of this policy exists yet: create it. */
  NEW,
  /** The latest run was made from this policy and exists: nothing to do, it is never corrected. */
  CURRENT,
  /** The latest run was made from this policy and has since been removed (expired): not re-created. */
  GONE,
  /** A Restore already ran from an earlier policy; restores run once, so it is not repeated. */
  NOT_REPEATED
}
