package dev.fleetbackup.pipeline;

import dev.fleetbackup.diff.Errors;
import dev.fleetbackup.model.MemberFailure;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.InterruptedIOException;

/** A failed request to a member as a typed failure: no answer, no access, or an error the server answered with. */
final class Failures {
  private Failures() {}

  /**
   * @param doing what the request was for, completed by the server: {@code "cannot read Velero's objects from "}
   */
  static MemberFailure of(KubernetesClientException e, String doing, String server) {
    String described = Errors.describe(e);
    if (e.getCode() < 100) { // no HTTP answer: fabric8 leaves the code at 0 or -1
      MemberFailure.Reason reason = causedBy(e, InterruptedIOException.class)
          ? MemberFailure.Reason.TIMED_OUT : MemberFailure.Reason.UNREACHABLE;
      return new MemberFailure(reason, "cannot reach " + server + ": " + described);
    }
    MemberFailure.Reason reason = e.getCode() == 401 || e.getCode() == 403
        ? MemberFailure.Reason.FORBIDDEN : MemberFailure.Reason.SERVER_ERROR;
    return new MemberFailure(reason, doing + server + ": " + described);
  }

  private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }
}
