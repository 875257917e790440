package dev.fleetbackup.pipeline;

import dev.fleetbackup.cluster.MemberException;
import dev.fleetbackup.model.MemberFailure;

/** A failed request to a member as the member's failure: no answer, no answer in time, no access, or an error or too much the server answered with. */
final class Failures {
  private Failures() {}

  /**
   * @param doing what the request was for, completed by the server: {@code "cannot read Velero's objects from "}
   */
  static MemberFailure of(MemberException e, String doing, String server) {
    return switch (e.kind()) {
      case UNREACHABLE -> new MemberFailure(MemberFailure.Reason.UNREACHABLE, "cannot reach " + server + ": " + e.getMessage());
      case TIMED_OUT -> new MemberFailure(MemberFailure.Reason.TIMED_OUT, "no answer in time from " + server + ": " + e.getMessage());
      case FORBIDDEN -> new MemberFailure(MemberFailure.Reason.FORBIDDEN, doing + server + ": " + e.getMessage());
      case NOT_FOUND, CONFLICT, INVALID, TOO_LARGE, OTHER -> new MemberFailure(MemberFailure.Reason.SERVER_ERROR, doing + server + ": " + e.getMessage());
    };
  }
}
