package dev.fleetbackup.cluster;

import dev.fleetbackup.model.MemberFailure;
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

  /**
   * This request's failure as its member's: no answer (in time) is "cannot reach {@code server}: …";
   * no access, or an error the server answered with, is what {@code doing} met there.
   *
   * @param doing what the request was for, completed by the server: {@code "cannot read from "}
   */
  public MemberFailure asMemberFailure(String doing, String server) {
    return switch (kind) {
      case UNREACHABLE -> new MemberFailure(MemberFailure.Reason.UNREACHABLE, "cannot reach " + server + ": " + message);
      case TIMED_OUT -> new MemberFailure(MemberFailure.Reason.TIMED_OUT, "no answer in time from " + server + ": " + message);
      case FORBIDDEN -> new MemberFailure(MemberFailure.Reason.FORBIDDEN, doing + server + ": " + message);
      case NOT_FOUND, CONFLICT, INVALID, TOO_LARGE, OTHER -> new MemberFailure(MemberFailure.Reason.SERVER_ERROR, doing + server + ": " + message);
    };
  }

  @Override
  public String toString() {
    return message;
  }
}
