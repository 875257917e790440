package dev.fleetbackup.plan;

/**
 * The order objects are applied in: namespaces first, then what workloads need (RBAC, Secrets),
 * then workloads (the CRD-installer Job among them), then, once Velero's CRDs are established,
 * storage locations, and last the schedules, backups and restores that use them. Pruning runs
 * in the reverse order.
 */
public enum Stage {
  NAMESPACES,
  RBAC_AND_SECRETS,
  WORKLOADS,
  LOCATIONS,
  RUNS;

  /** Whether objects of this stage are Velero custom resources, which exist only once the CRDs are established. */
  public boolean needsVeleroCrds() {
    return this == LOCATIONS || this == RUNS;
  }
}
