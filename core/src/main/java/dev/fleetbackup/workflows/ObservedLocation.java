package dev.fleetbackup.workflows;

import java.util.Objects;
import java.util.Optional;

/** A BackupStorageLocation as one member holds it: {@code phase} is Available, Unavailable, or empty before Velero checked it. */
public record ObservedLocation(String name, String phase, Optional<String> message) {
  public static final String AVAILABLE = "Available";

  public ObservedLocation {
    Objects.requireNonNull(name, "name");
    phase = phase == null ? "" : phase;
    message = message == null ? Optional.empty() : message;
  }

  public boolean available() {
    return AVAILABLE.equals(phase);
  }

  /** {@code readonly-kurator-member1 is Unavailable: <Velero's message>}, {@code default is not validated yet}. */
  public String describe() {
    String state = phase.isEmpty() ? "not validated yet" : "is " + phase;
    return "location " + name + " " + state + message.filter(m -> !m.isBlank()).map(m -> ": " + m).orElse("");
  }
}
