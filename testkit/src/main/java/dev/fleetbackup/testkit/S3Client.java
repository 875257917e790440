package dev.fleetbackup.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import java.util.Arrays;

/**
 * The few S3 calls the test kit needs (create bucket, list keys, get object), path-style with AWS
 * Signature V4, on the JDK's HTTP client. Written by hand because the test kit is compiled into
 * the product's jar (it shares the main source set), and an S3 SDK there would add tens of MB
 * and a second Netty for three requests against a loopback S3 server.
 */
final class S3Client {
  private static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

  private final URI endpoint;
  private final String region;
  private final String accessKey;
  private final String secretKey;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  S3Client(URI endpoint, String region, String accessKey, String secretKey) {
    this.endpoint = endpoint;
    this.region = region;
    this.accessKey = accessKey;
    this.secretKey = secretKey;
  }

  void createBucket(String bucket) {
    HttpResponse<byte[]> r = send("PUT", "/" + bucket, Map.of());
    if (r.statusCode() != 200 && !body(r).contains("BucketAlreadyOwnedByYou")) {
      throw new IllegalStateException(
          "S3 create bucket " + bucket + " failed: HTTP " + r.statusCode() + " " + body(r));
    }
  }

  List<String> listKeys(String bucket, String prefix) {
    List<String> keys = new ArrayList<>();
    String token = null;
    do {
      Map<String, String> q = new TreeMap<>();
      q.put("list-type", "2");
      if (!prefix.isEmpty()) {
        q.put("prefix", prefix);
      }
      if (token != null) {
        q.put("continuation-token", token);
      }
      HttpResponse<byte[]> r = send("GET", "/" + bucket, q);
      if (r.statusCode() != 200) {
        throw new IllegalStateException(
            "S3 list " + bucket + "/" + prefix + " failed: HTTP " + r.statusCode() + " " + body(r));
      }
      Document doc = parse(r.body());
      NodeList contents = doc.getElementsByTagName("Contents");
      for (int i = 0; i < contents.getLength(); i++) {
        keys.add(text((Element) contents.item(i), "Key"));
      }
      token = "true".equals(text(doc.getDocumentElement(), "IsTruncated"))
          ? text(doc.getDocumentElement(), "NextContinuationToken")
          : null;
    } while (token != null);
    return keys;
  }

  byte[] getObject(String bucket, String key) {
    HttpResponse<byte[]> r = send("GET", "/" + bucket + "/" + key, Map.of());
    if (r.statusCode() != 200) {
      throw new IllegalStateException(
          "S3 get " + bucket + "/" + key + " failed: HTTP " + r.statusCode() + " " + body(r));
    }
    return r.body();
  }

  void putObject(String bucket, String key, byte[] content) {
    HttpResponse<byte[]> r = send("PUT", "/" + bucket + "/" + key, Map.of(), content);
    if (r.statusCode() != 200) {
      throw new IllegalStateException(
          "S3 put " + bucket + "/" + key + " failed: HTTP " + r.statusCode() + " " + body(r));
    }
  }

  private HttpResponse<byte[]> send(String method, String path, Map<String, String> query) {
    return send(method, path, query, new byte[0]);
  }

  private HttpResponse<byte[]> send(String method, String path, Map<String, String> query, byte[] payload) {
    String payloadHash = hex(sha256(payload));
    String canonicalUri =
        Arrays.stream(path.split("/", -1)).map(S3Client::encode).collect(Collectors.joining("/"));
    String canonicalQuery =
        new TreeMap<>(query)
            .entrySet().stream()
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
    ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
    String amzDate = AMZ_DATE.format(now);
    String date = amzDate.substring(0, 8);
    String host = endpoint.getHost() + (endpoint.getPort() > 0 ? ":" + endpoint.getPort() : "");
    String signedHeaders = "host;x-amz-content-sha256;x-amz-date";
    String canonicalRequest =
        method + "\n" + canonicalUri + "\n" + canonicalQuery + "\n"
            + "host:" + host + "\n"
            + "x-amz-content-sha256:" + payloadHash + "\n"
            + "x-amz-date:" + amzDate + "\n\n"
            + signedHeaders + "\n" + payloadHash;
    String scope = date + "/" + region + "/s3/aws4_request";
    String stringToSign =
        "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n" + hex(sha256(canonicalRequest));
    byte[] key = hmac(("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8), date);
    key = hmac(key, region);
    key = hmac(key, "s3");
    key = hmac(key, "aws4_request");
    String signature = hex(hmac(key, stringToSign));
    URI uri = URI.create(endpoint.toString().replaceAll("/$", "") + canonicalUri
        + (canonicalQuery.isEmpty() ? "" : "?" + canonicalQuery));
    HttpRequest req =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(30))
            .method(method, payload.length == 0
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(payload))
            .header("x-amz-date", amzDate)
            .header("x-amz-content-sha256", payloadHash)
            .header(
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=" + accessKey + "/" + scope
                    + ", SignedHeaders=" + signedHeaders + ", Signature=" + signature)
            .build();
    try {
      return http.send(req, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException("S3 " + method + " " + uri + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8)
        .replace("+", "%20")
        .replace("*", "%2A")
        .replace("%7E", "~");
  }

  private static String body(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  private static Document parse(byte[] xml) {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      return f.newDocumentBuilder().parse(new java.io.ByteArrayInputStream(xml));
    } catch (Exception e) {
      throw new IllegalStateException("bad S3 XML response", e);
    }
  }

  private static String text(Element parent, String tag) {
    NodeList l = parent.getElementsByTagName(tag);
    return l.getLength() == 0 ? null : l.item(0).getTextContent();
  }

  private static byte[] sha256(String s) {
    return sha256(s.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] sha256(byte[] b) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(b);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
