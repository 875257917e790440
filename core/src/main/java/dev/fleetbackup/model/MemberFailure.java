package dev.fleetbackup.model;

import java.util.Objects;

/**
 * Why a member's part of a pass failed: a constant a status page or an alert can match, and one
 * line of text that names the member or the object, never a credential.
 */
public record MemberFailure(Reason reason, String message) {
  public MemberFailure {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(message, "message");
  }

  /** Whether the next pass may succeed with nobody changing anything (a network, a server coming back). */
  public boolean retryable() {
    return reason.retryable;
  }

  /** The reasons, each with whether it can pass on its own. */
  public enum Reason {
    /** The API server did not answer (connection refused, DNS, TLS). */
    UNREACHABLE(true),
    /** The member took longer than a pass allows it. */
    TIMED_OUT(true),
    /** The API server answered 401 or 403: the kubeconfig's user may not do what a pass needs. */
    FORBIDDEN(false),
    /** The API server answered with another error than for one object. */
    SERVER_ERROR(true),
    /** The kubeconfig or storage credentials could not be read. */
    CREDENTIALS_UNAVAILABLE(false),
    /** The kubeconfig asked for something fleet-backup does not do (run a command, read a file, skip TLS); nothing was started. */
    KUBECONFIG_REFUSED(false),
    /** The member's inventory of what fleet-backup applied cannot be read; nothing is pruned. */
    INVENTORY_DAMAGED(false),
    /** The API server refused some objects, in the dry run or the write. */
    OBJECTS_REFUSED(false),
    /** The pass would delete more than the mass-deletion guard allows; nothing was written. */
    MASS_DELETE_REFUSED(false),
    /** The pass was stopped (the process is shutting down) before the member was done. */
    INTERRUPTED(true),
    /** A bug: an exception nobody expected. */
    INTERNAL_ERROR(false),
    /** A reason this version does not know, read from a status file another version wrote. */
    UNKNOWN(false);

    private final boolean retryable;

    Reason(boolean retryable) {
      this.retryable = retryable;
    }

    /** The member did not answer at all: a pass does not contact it again. */
    public boolean unanswered() {
      return this == UNREACHABLE || this == TIMED_OUT;
    }
  }
}
