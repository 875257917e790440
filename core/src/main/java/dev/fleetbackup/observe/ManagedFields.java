package dev.fleetbackup.observe;

import dev.fleetbackup.plan.Conventions;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * An object's {@code metadata.managedFields}: the API server's record of which field manager wrote
 * which fields, how (Apply or Update) and when. A manager is the name the writer declared (kubectl
 * declares {@code kubectl-edit}, {@code kubectl-client-side-apply} …; fleet-backup
 * {@value Conventions#FIELD_MANAGER}, also for what it creates, through its User-Agent).
 */
public final class ManagedFields {
  private ManagedFields() {}

  /** One manager's entry: who wrote, how, and when the server recorded it (absent when it did not say). */
  public record Writer(String manager, String operation, Optional<Instant> time) {}

  /** Whether fleet-backup's field manager holds any field of the object: fleet-backup applied or created it. */
  public static boolean writtenByFleetBackup(JsonNode object) {
    for (JsonNode entry : object.path("metadata").path("managedFields")) {
      if (Conventions.FIELD_MANAGER.equals(entry.path("manager").asString(""))) {
        return true;
      }
    }
    return false;
  }

  /**
   * The most recent manager other than fleet-backup that holds one of {@code fields}, each a path
   * of field names ({@code ["data", "inventory.json"]}).
   */
  public static Optional<Writer> lastOtherWriter(JsonNode object, List<List<String>> fields) {
    return object.path("metadata").path("managedFields").valueStream()
        .filter(entry -> !Conventions.FIELD_MANAGER.equals(entry.path("manager").asString("")))
        .filter(entry -> fields.stream().anyMatch(field -> holds(entry.path("fieldsV1"), field)))
        .map(entry -> new Writer(entry.path("manager").asString(""), entry.path("operation").asString(""),
            time(entry.path("time").asString(""))))
        .max(Comparator.comparing((Writer w) -> w.time().orElse(Instant.MIN)));
  }

  private static boolean holds(JsonNode fieldsV1, List<String> field) {
    JsonNode node = fieldsV1;
    for (String name : field) {
      node = node.path("f:" + name);
      if (node.isMissingNode()) {
        return false;
      }
    }
    return true;
  }

  private static Optional<Instant> time(String text) {
    try {
      return text.isEmpty() ? Optional.empty() : Optional.of(Instant.parse(text));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
