package dev.fleetbackup.diff;

import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * A one-line description of a failed request from the server's Status: code, reason, message.
 * Built from the Status only, never from the request, so no manifest content (a Secret's data)
 * can reach a message.
 */
public final class Errors {
  private Errors() {}

  public static String describe(KubernetesClientException e) {
    var status = e.getStatus();
    if (status != null && status.getMessage() != null && !status.getMessage().isBlank()) {
      String reason = status.getReason() == null || status.getReason().isBlank() ? "" : status.getReason() + ", ";
      return "(" + reason + status.getCode() + ") " + status.getMessage();
    }
    Throwable cause = e.getCause();
    if (e.getCode() > 0) {
      return "HTTP " + e.getCode();
    }
    return cause != null ? cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage())
        : "request failed";
  }
}
