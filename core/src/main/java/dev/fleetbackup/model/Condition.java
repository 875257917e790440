package dev.fleetbackup.model;

import java.time.Instant;

/**
 * A kstatus condition: {@code Ready} (True/False/Unknown), and {@code Reconciling} or
 * {@code Stalled}, present only while true; the reason is a PascalCase constant.
 */
public record Condition(String type, Status status, String reason, String message, Instant lastTransitionTime) {
  public static final String READY = "Ready";
  public static final String RECONCILING = "Reconciling";
  public static final String STALLED = "Stalled";

  public enum Status {
    True,
    False,
    Unknown
  }
}
