package dev.fleetbackup.cluster;

import java.util.Objects;

/**
 * Why a request to a member failed, in the few kinds a pass tells apart, with the HTTP status code
 * the server answered (0 when none came back). {@code message} is one line built from the
 * server's Status or the transport error, never from what was sent, so it cannot carry a Secret's data.
 */
public record MemberFailure(Kind kind, int code, String message) {

  public enum Kind {
    /** 404: the object, or its kind (a CRD not installed yet), does not exist. */
    NOT_FOUND,
    /** 401 or 403: the credentials were refused, or RBAC does not allow the request. */
    FORBIDDEN,
    /** 409: the object exists already, or was changed meanwhile. */
    CONFLICT,
    /** No answer: connection refused, DNS, TLS, or a timeout. */
    UNREACHABLE,
    /** Any other answer (422 Invalid, 5xx after the retries, ...), or one fleet-backup cannot read. */
    OTHER
  }

  public MemberFailure {
    Objects.requireNonNull(kind, "kind");
    message = message == null || message.isBlank() ? "request failed" : message;
  }

  /** The kind an HTTP status code stands for; 0 means no answer came back. */
  public static Kind kindOf(int code) {
    return switch (code) {
      case 0 -> Kind.UNREACHABLE;
      case 401, 403 -> Kind.FORBIDDEN;
      case 404 -> Kind.NOT_FOUND;
      case 409 -> Kind.CONFLICT;
      default -> Kind.OTHER;
    };
  }

  @Override
  public String toString() {
    return message;
  }
}
