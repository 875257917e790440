package dev.fleetbackup.model;

import java.time.Instant;

/** A commit of the config repo, reported as Flux does: {@code main@sha1:4f2c9e1}. */
public record Revision(String branch, String sha, Instant committedAt) {
  public String shortSha() {
    return sha.substring(0, Math.min(7, sha.length()));
  }

  @Override
  public String toString() {
    return branch + "@sha1:" + shortSha();
  }
}
