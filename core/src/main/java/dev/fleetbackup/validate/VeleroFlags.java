package dev.fleetbackup.validate;

import dev.fleetbackup.model.GoDuration;
import dev.fleetbackup.model.SafeText;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The flags of {@code velero server} and {@code velero node-agent server} (Velero v1.18.1) a Fleet
 * may add in its chart values' {@code extraArgs}, with the kind of value each takes. Left out: the
 * flags fleet-backup sets itself or that have a chart value of their own (uploader type, default
 * file-system backup, features, log level and format), and those that would break the install it
 * renders (the plugin folder, the metrics address, the namespace, the API server connection, the
 * default backup location).
 */
final class VeleroFlags {
  enum Value { BOOLEAN, DURATION, INTEGER, NUMBER, TEXT }

  static final Map<String, Value> SERVER = Map.ofEntries(
      Map.entry("backup-sync-period", Value.DURATION),
      Map.entry("fs-backup-timeout", Value.DURATION),
      Map.entry("restore-only", Value.BOOLEAN),
      Map.entry("disable-controllers", Value.TEXT),
      Map.entry("restore-resource-priorities", Value.TEXT),
      Map.entry("store-validation-frequency", Value.DURATION),
      Map.entry("client-qps", Value.NUMBER),
      Map.entry("client-burst", Value.INTEGER),
      Map.entry("client-page-size", Value.INTEGER),
      Map.entry("terminating-resource-timeout", Value.DURATION),
      Map.entry("default-backup-ttl", Value.DURATION),
      Map.entry("volume-group-snapshot-label-key", Value.TEXT),
      Map.entry("default-repo-maintain-frequency", Value.DURATION),
      Map.entry("garbage-collection-frequency", Value.DURATION),
      Map.entry("item-operation-sync-frequency", Value.DURATION),
      Map.entry("default-item-operation-timeout", Value.DURATION),
      Map.entry("resource-timeout", Value.DURATION),
      Map.entry("max-concurrent-k8s-connections", Value.INTEGER),
      Map.entry("default-snapshot-move-data", Value.BOOLEAN),
      Map.entry("disable-informer-cache", Value.BOOLEAN),
      Map.entry("schedule-skip-immediately", Value.BOOLEAN),
      Map.entry("default-volume-snapshot-locations", Value.TEXT),
      Map.entry("backup-repository-configmap", Value.TEXT),
      Map.entry("repo-maintenance-job-configmap", Value.TEXT),
      Map.entry("item-block-worker-count", Value.INTEGER),
      Map.entry("concurrent-backups", Value.INTEGER));

  static final Map<String, Value> NODE_AGENT = Map.of(
      "resource-timeout", Value.DURATION,
      "data-mover-prepare-timeout", Value.DURATION,
      "node-agent-configmap", Value.TEXT,
      "backup-repository-configmap", Value.TEXT);

  /** The flags that have a chart value of their own. */
  static final Map<String, String> CHART_VALUE = Map.of(
      "uploader-type", "configuration.uploaderType",
      "default-volumes-to-fs-backup", "configuration.defaultVolumesToFsBackup",
      "features", "configuration.features",
      "log-level", "configuration.logLevel",
      "log-format", "configuration.logFormat");

  private static final Pattern FLAG = Pattern.compile("--([a-z0-9]+(?:-[a-z0-9]+)*)(?:=(.*))?", Pattern.DOTALL);
  private static final Pattern INTEGER = Pattern.compile("-?\\d{1,9}");
  private static final Pattern NUMBER = Pattern.compile("-?\\d{1,9}(\\.\\d{1,9})?");
  private static final Pattern TEXT = Pattern.compile("[-A-Za-z0-9_.,:/=]{1,256}");

  private VeleroFlags() {}

  /** What is wrong with one argument, if anything; {@code known} are the flags of the command it is for. */
  static Optional<String> problem(String argument, Map<String, Value> known, String command) {
    var m = FLAG.matcher(argument);
    if (!m.matches()) {
      return Optional.of(SafeText.quote(argument) + " is not a flag: write --name or --name=value");
    }
    String name = m.group(1);
    String value = m.group(2);
    if (CHART_VALUE.containsKey(name)) {
      return Optional.of("--" + name + " has a chart value of its own: set " + CHART_VALUE.get(name));
    }
    Value kind = known.get(name);
    if (kind == null) {
      return Optional.of("--" + name + " is not a flag of " + command + " that fleet-backup passes on; it takes "
          + String.join(", ", known.keySet().stream().sorted().map(f -> "--" + f).toList()));
    }
    if (value == null) {
      return kind == Value.BOOLEAN ? Optional.empty() : Optional.of("--" + name + " needs a value: --" + name + "=…");
    }
    boolean fits = switch (kind) {
      case BOOLEAN -> value.equals("true") || value.equals("false");
      case DURATION -> GoDuration.parse(value).filter(d -> !d.isNegative()).isPresent();
      case INTEGER -> INTEGER.matcher(value).matches();
      case NUMBER -> NUMBER.matcher(value).matches();
      case TEXT -> TEXT.matcher(value).matches();
    };
    if (fits) {
      return Optional.empty();
    }
    String expected = switch (kind) {
      case BOOLEAN -> "true or false";
      case DURATION -> "a Go duration such as 1h or 30m";
      case INTEGER -> "a whole number";
      case NUMBER -> "a number";
      case TEXT -> "letters, digits and - _ . , : / = (at most 256)";
    };
    return Optional.of("--" + name + "=" + SafeText.quote(value) + ": the value must be " + expected);
  }
}
