package dev.fleetbackup.model;

import java.util.Map;

/**
 * Where every node of one YAML document stands in its file, keyed by JSON Pointer
 * ({@code /spec/destination/clusters/0/name}). Values and mapping keys are kept apart so that an
 * unknown field can be pinned on its key and a wrong value on the value.
 */
public record SourceMap(String file, Map<String, SourceLocation> values, Map<String, SourceLocation> keys) {

  public SourceMap {
    values = Map.copyOf(values);
    keys = Map.copyOf(keys);
  }

  public static SourceMap empty(String file) {
    return new SourceMap(file, Map.of("", SourceLocation.startOf(file)), Map.of());
  }

  /** The location of the value at {@code pointer}, or of its nearest ancestor that exists (a missing field). */
  public SourceLocation valueAt(String pointer) {
    for (String p = pointer; ; p = parent(p)) {
      SourceLocation location = values.get(p);
      if (location != null) {
        return location;
      }
      if (p.isEmpty()) {
        return SourceLocation.startOf(file);
      }
    }
  }

  /** The location of the mapping key that names {@code pointer}, falling back to its value. */
  public SourceLocation keyAt(String pointer) {
    SourceLocation key = keys.get(pointer);
    return key != null ? key : valueAt(pointer);
  }

  public static String child(String pointer, String name) {
    return pointer + "/" + name.replace("~", "~0").replace("/", "~1");
  }

  public static String child(String pointer, int index) {
    return pointer + "/" + index;
  }

  private static String parent(String pointer) {
    int slash = pointer.lastIndexOf('/');
    return slash <= 0 ? "" : pointer.substring(0, slash);
  }
}
