package dev.fleetbackup.pipeline;

import dev.fleetbackup.apply.ApplyResult;
import dev.fleetbackup.cluster.RequestCount;
import dev.fleetbackup.diff.ChangeSet;
import java.time.Duration;

/** How one member fared in a pass. */
public sealed interface MemberResult permits MemberResult.Diffed, MemberResult.Applied, MemberResult.Failed {

  String cluster();

  /** A diff pass reached the member; {@code changes} says what differs. */
  record Diffed(String cluster, ChangeSet changes, RequestCount requests, Duration took) implements MemberResult {}

  /** An apply pass reached the member; {@code result} says what it wrote or why it refused. */
  record Applied(String cluster, ChangeSet changes, ApplyResult result, RequestCount requests, Duration took)
      implements MemberResult {}

  /** The member could not be diffed or applied at all. The others went on. */
  record Failed(String cluster, Reason reason, String message, boolean retryable) implements MemberResult {}

  /** Why a member failed, as a constant a status page or an alert can match. */
  enum Reason {
    CREDENTIALS_UNAVAILABLE,
    /** The kubeconfig asked for something fleet-backup does not do (run a command, read a file, skip TLS); nothing was started. */
    KUBECONFIG_REFUSED,
    UNREACHABLE,
    INVENTORY_DAMAGED,
    TIMED_OUT,
    INTERNAL_ERROR
  }
}
