package dev.fleetbackup.testkit;

import java.net.URI;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * One write as a member's kube-apiserver recorded it in its audit log ({@link Member#auditEvents()}),
 * at level Metadata: who sent it ({@code user}, {@code userAgent}), what it did ({@code verb},
 * {@code objectRef}, {@code requestURI}), when the server received it, and the status code it
 * answered. No request or response bodies.
 */
public record AuditEvent(String auditID, String verb, String requestURI, User user, String userAgent, ObjectRef objectRef,
    Instant requestReceivedTimestamp, ResponseStatus responseStatus) {

  public record User(String username, List<String> groups) {
    public User {
      username = username == null ? "" : username;
      groups = groups == null ? List.of() : List.copyOf(groups);
    }
  }

  /** The object written; {@code name} is empty for a create by generateName and a deletecollection. */
  public record ObjectRef(String apiGroup, String resource, String namespace, String name, String subresource) {
    public ObjectRef {
      apiGroup = apiGroup == null ? "" : apiGroup;
      resource = resource == null ? "" : resource;
      namespace = namespace == null ? "" : namespace;
      name = name == null ? "" : name;
      subresource = subresource == null ? "" : subresource;
    }

    @Override
    public String toString() {
      return (apiGroup.isEmpty() ? "" : apiGroup + "/") + resource + (subresource.isEmpty() ? "" : "/" + subresource) + " "
          + (namespace.isEmpty() ? "" : namespace + "/") + name;
    }
  }

  /** {@code code} is 0 when the server recorded none. */
  public record ResponseStatus(int code) {}

  public AuditEvent {
    auditID = auditID == null ? "" : auditID;
    verb = verb == null ? "" : verb;
    requestURI = requestURI == null ? "" : requestURI;
    user = user == null ? new User("", List.of()) : user;
    userAgent = userAgent == null ? "" : userAgent;
    objectRef = objectRef == null ? new ObjectRef("", "", "", "", "") : objectRef;
    requestReceivedTimestamp = requestReceivedTimestamp == null ? Instant.EPOCH : requestReceivedTimestamp;
    responseStatus = responseStatus == null ? new ResponseStatus(0) : responseStatus;
  }

  /** A server-side dry run ({@code ?dryRun=All}): recorded like a write, but nothing was stored. */
  public boolean dryRun() {
    String query = URI.create(requestURI).getRawQuery();
    return query != null && Arrays.stream(query.split("&")).anyMatch(p -> p.startsWith("dryRun=") && p.length() > "dryRun=".length());
  }

  @Override
  public String toString() {
    return requestReceivedTimestamp + " " + verb + " " + objectRef + (dryRun() ? " (dry run)" : "") + " by " + user.username()
        + " '" + userAgent + "': " + responseStatus.code();
  }
}
