package dev.fleetbackup.model;

import java.util.Optional;

/** The Velero Deployment of a member: ready when its pod serves; the version is its image tag. */
public record VeleroServer(boolean installed, boolean ready, Optional<String> version) {
  public static final VeleroServer ABSENT = new VeleroServer(false, false, Optional.empty());

  public VeleroServer {
    version = Collections2.optional(version);
  }

  /** {@code velero/velero:v1.18.1} → {@code v1.18.1}; a digest or no tag tells no version. */
  public static Optional<String> tag(String image) {
    String withoutDigest = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
    int colon = withoutDigest.lastIndexOf(':');
    return colon > withoutDigest.lastIndexOf('/') && colon < withoutDigest.length() - 1
        ? Optional.of(withoutDigest.substring(colon + 1)) : Optional.empty();
  }
}
