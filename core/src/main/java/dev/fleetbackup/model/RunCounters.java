package dev.fleetbackup.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * What Velero's {@code BackupStatus} or {@code RestoreStatus} counts beyond progress, errors and
 * warnings, each 0 (the format version empty) where Velero wrote nothing, as its {@code omitempty}
 * fields read. A Restore has no version, queue position or volume snapshots.
 */
public record RunCounters(
    int version,
    String formatVersion,
    int queuePosition,
    int volumeSnapshotsAttempted,
    int volumeSnapshotsCompleted,
    int csiVolumeSnapshotsAttempted,
    int csiVolumeSnapshotsCompleted,
    int itemOperationsAttempted,
    int itemOperationsCompleted,
    int itemOperationsFailed,
    int hooksAttempted,
    int hooksFailed) {

  public static final RunCounters NONE = new RunCounters(0, "", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

  /** How Velero spells the item operations of a Backup, of a Restore; status.json spells them without either. */
  public static final String BACKUP_ITEM_OPERATIONS = "backupItemOperations";
  public static final String RESTORE_ITEM_OPERATIONS = "restoreItemOperations";
  public static final String ITEM_OPERATIONS = "itemOperations";

  /** The longest format version kept: Velero writes {@code 1.1.0}, a member could write anything. */
  static final int FORMAT_VERSION_LIMIT = 32;

  public RunCounters {
    formatVersion = formatVersion == null ? "" : SafeText.truncate(SafeText.oneLine(formatVersion), FORMAT_VERSION_LIMIT);
  }

  /**
   * Read from a status's fields by name, {@code hookStatus} a field of its own.
   *
   * @param itemOperations the item operations' prefix, {@link #BACKUP_ITEM_OPERATIONS} for instance
   */
  public static RunCounters read(ToIntFunction<String> number, Function<String, String> text, ToIntFunction<String> hook,
      String itemOperations) {
    return new RunCounters(number.applyAsInt("version"), text.apply("formatVersion"), number.applyAsInt("queuePosition"),
        number.applyAsInt("volumeSnapshotsAttempted"), number.applyAsInt("volumeSnapshotsCompleted"),
        number.applyAsInt("csiVolumeSnapshotsAttempted"), number.applyAsInt("csiVolumeSnapshotsCompleted"),
        number.applyAsInt(itemOperations + "Attempted"), number.applyAsInt(itemOperations + "Completed"),
        number.applyAsInt(itemOperations + "Failed"), hook.applyAsInt("hooksAttempted"), hook.applyAsInt("hooksFailed"));
  }

  /**
   * The fields Velero would write, by its names, in its order, those it leaves out left out: numbers
   * and the format version, with {@code hookStatus} a map of its own.
   */
  public Map<String, Object> fields(String itemOperations) {
    Map<String, Object> out = new LinkedHashMap<>();
    putIf(out, "version", version);
    if (!formatVersion.isEmpty()) {
      out.put("formatVersion", formatVersion);
    }
    putIf(out, "queuePosition", queuePosition);
    putIf(out, "volumeSnapshotsAttempted", volumeSnapshotsAttempted);
    putIf(out, "volumeSnapshotsCompleted", volumeSnapshotsCompleted);
    putIf(out, "csiVolumeSnapshotsAttempted", csiVolumeSnapshotsAttempted);
    putIf(out, "csiVolumeSnapshotsCompleted", csiVolumeSnapshotsCompleted);
    putIf(out, itemOperations + "Attempted", itemOperationsAttempted);
    putIf(out, itemOperations + "Completed", itemOperationsCompleted);
    putIf(out, itemOperations + "Failed", itemOperationsFailed);
    if (hooksAttempted != 0 || hooksFailed != 0) {
      Map<String, Object> hooks = new LinkedHashMap<>();
      putIf(hooks, "hooksAttempted", hooksAttempted);
      putIf(hooks, "hooksFailed", hooksFailed);
      out.put("hookStatus", hooks);
    }
    return out;
  }

  private static void putIf(Map<String, Object> out, String key, int value) {
    if (value != 0) {
      out.put(key, value);
    }
  }
}
