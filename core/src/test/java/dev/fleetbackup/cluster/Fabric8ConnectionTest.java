package dev.fleetbackup.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** How fabric8's errors become the typed failure every caller sees, with the server's words only. */
class Fabric8ConnectionTest {
  private static RequestFailure answered(int code, String reason, String message) {
    return Fabric8Connection.failure(new KubernetesClientException(
        new StatusBuilder().withCode(code).withReason(reason).withMessage(message).build())).failure();
  }

  @Test
  void anAnswerIsTypedByItsCodeAndDescribedByTheServersStatus() {
    assertThat(answered(404, "NotFound", "backups.velero.io \"x\" not found"))
        .isEqualTo(new RequestFailure(RequestFailure.Kind.NOT_FOUND, 404, "(NotFound, 404) backups.velero.io \"x\" not found"));
    assertThat(answered(403, "Forbidden", "secrets is forbidden").kind()).isEqualTo(RequestFailure.Kind.FORBIDDEN);
    assertThat(answered(401, "Unauthorized", "Unauthorized").kind()).isEqualTo(RequestFailure.Kind.FORBIDDEN);
    assertThat(answered(409, "AlreadyExists", "already exists").kind()).isEqualTo(RequestFailure.Kind.CONFLICT);
    assertThat(answered(422, "Invalid", "spec.ttl: Invalid value")).isEqualTo(
        new RequestFailure(RequestFailure.Kind.INVALID, 422, "(Invalid, 422) spec.ttl: Invalid value"));
    assertThat(answered(500, "InternalError", "etcdserver: request timed out").kind()).isEqualTo(RequestFailure.Kind.OTHER);
  }

  @Test
  void noAnswerIsUnreachableOrTimedOutWithTheTransportsWords() {
    RequestFailure refused = Fabric8Connection.failure(
        new KubernetesClientException("An error has occurred.", new ConnectException("Connection refused"))).failure();
    RequestFailure slow = Fabric8Connection.failure(
        new KubernetesClientException("An error has occurred.", new SocketTimeoutException("timeout"))).failure();

    assertThat(refused.kind()).isEqualTo(RequestFailure.Kind.UNREACHABLE);
    assertThat(refused.message()).isEqualTo("ConnectException: Connection refused");
    assertThat(slow.kind()).isEqualTo(RequestFailure.Kind.TIMED_OUT);
    assertThat(slow.unanswered()).isTrue();
  }

  @Test
  void theHttpClientsOwnTimeoutIsATimeOut() {
    RequestFailure idle = Fabric8Connection.failure(new KubernetesClientException("An error has occurred.",
        new TimeoutException("The timeout period of 3000ms has been exceeded while executing GET /api/v1/namespaces"))).failure();

    assertThat(idle.kind()).isEqualTo(RequestFailure.Kind.TIMED_OUT);
  }
}
