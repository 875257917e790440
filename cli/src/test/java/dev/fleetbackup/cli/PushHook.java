package dev.fleetbackup.cli;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** GitHub's push event for main, signed as GitHub signs it, sent to a daemon's ops port. */
final class PushHook {
  private final String secret;

  PushHook(String secret) {
    this.secret = secret;
  }

  /** The daemon's answer's status code. */
  int send(int opsPort) throws Exception {
    String body = "{\"ref\":\"refs/heads/main\",\"after\":\"59b20b8d5c6ff8d09518454d4dd8b7b30f095ab5\"}";
    URI url = URI.create("http://127.0.0.1:" + opsPort + "/hook/" + hmac("fleet-backup webhook path"));
    HttpRequest request = HttpRequest.newBuilder(url).header("Content-Type", "application/json").header("X-GitHub-Event", "push")
        .header("X-GitHub-Delivery", "1").header("X-Hub-Signature-256", "sha256=" + hmac(body))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private String hmac(String data) throws GeneralSecurityException {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return HexFormat.of().formatHex(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
  }
}
