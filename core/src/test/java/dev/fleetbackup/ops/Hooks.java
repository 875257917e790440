package dev.fleetbackup.ops;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Webhook requests as each forge sends them, signed here with the JDK's HMAC, apart from the code under test. */
public final class Hooks {
  private Hooks() {}

  /** A push of {@code ref} as GitHub, Gitea and GitLab describe it (the fields fleet-backup reads, and a few more). */
  public static String push(String ref) {
    return """
        {"ref":"%s","before":"6113728f27ae82c7b1a177c8d03f9e96e0adf246","after":"59b20b8d5c6ff8d09518454d4dd8b7b30f095ab5",\
        "repository":{"full_name":"platform/backup-policies"},"pusher":{"name":"alice"}}""".formatted(ref);
  }

  public static String hmac(String secret, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** What the path token is: the hex HMAC-SHA256 of "fleet-backup webhook path" under the secret, as the README says. */
  public static URI url(URI ops, String secret) {
    return ops.resolve("/hook/" + hmac(secret, "fleet-backup webhook path"));
  }

  public static HttpRequest.Builder post(URI url, String body) {
    return HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
  }

  public static HttpRequest github(URI url, String secret, String event, String body) {
    return post(url, body).header("X-GitHub-Event", event).header("X-GitHub-Delivery", "72d3162e-cc78-11e3-81ab-4c9367dc0958")
        .header("X-Hub-Signature", "sha1=0000000000000000000000000000000000000000") // the legacy one, never read
        .header("X-Hub-Signature-256", "sha256=" + hmac(secret, body)).build();
  }

  public static HttpRequest gitea(URI url, String secret, String body) {
    return post(url, body).header("X-Gitea-Event", "push").header("X-Gitea-Delivery", "e3b8b6a2-5d3f-4c55-9a57-f0e1d2c3b4a5")
        .header("X-Gitea-Signature", hmac(secret, body)).build();
  }

  public static HttpRequest gitlab(URI url, String token, String body) {
    return post(url, body).header("X-Gitlab-Event", "Push Hook").header("X-Gitlab-Token", token).build();
  }

  public static HttpRequest generic(URI url, String secret, String body) {
    return post(url, body).header("X-Signature", "sha256=" + hmac(secret, body)).build();
  }
}
