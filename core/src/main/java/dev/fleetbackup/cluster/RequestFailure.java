package dev.fleetbackup.cluster;

import java.util.Objects;

/**
 * Why a request to a member failed, in the few kinds a pass tells apart, with the HTTP status code
 * the server answered (below 100 when none came back). {@code message} is one line built from the
 * server's Status or the transport error, never from what was sent, so it cannot carry a Secret's data.
 */
public record RequestFailure(Kind kind, int code, String message) {

  public enum Kind {
    /** 404: the object, or its kind (a CRD not installed yet), does not exist. */
    NOT_FOUND,
    /** 401 or 403: the credentials were refused, or RBAC does not allow the request. */
    FORBIDDEN,
    /** 409: the object exists already, or was changed meanwhile. */
    CONFLICT,
    /** No answer: connection refused, DNS, TLS. */
    UNREACHABLE,
    /** No complete answer in time (the request's deadline, after its retries, or the member's budget). */
    TIMED_OUT,
    /** An answer larger than fleet-backup reads. */
    TOO_LARGE,
    /** 422: the server refused the object as invalid. */
    INVALID,
    /** Any other answer (5xx after the retries, ...), or one fleet-backup cannot read. */
    OTHER
  }

  public RequestFailure {
    Objects.requireNonNull(kind, "kind");
    message = message == null || message.isBlank() ? "request failed" : message;
  }

  /** The kind an HTTP status code stands for; below 100 (fabric8 leaves 0 or -1) no answer came back. */
  public static Kind kindOf(int code) {
    if (code < 100) {
      return Kind.UNREACHABLE;
    }
    return switch (code) {
      case 401, 403 -> Kind.FORBIDDEN;
      case 404 -> Kind.NOT_FOUND;
      case 409 -> Kind.CONFLICT;
      case 422 -> Kind.INVALID;
      default -> Kind.OTHER;
    };
  }

  /** The member did not answer at all. */
  public boolean unanswered() {
    return kind == Kind.UNREACHABLE || kind == Kind.TIMED_OUT;
  }

  @Override
  public String toString() {
    return message;
  }
}
