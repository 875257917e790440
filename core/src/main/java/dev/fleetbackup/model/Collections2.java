package dev.fleetbackup.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Collections;

/** Null-tolerant immutable copies for record components bound from YAML, where absent means empty. */
final class Collections2 {
  private Collections2() {}

  static <T> List<T> list(List<T> list) {
    return list == null ? List.of() : List.copyOf(list);
  }

  /** An immutable copy that keeps the order the user wrote. */
  static <K, V> Map<K, V> map(Map<K, V> map) {
    return map == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
  }

  static <T> Optional<T> optional(Optional<T> optional) {
    return optional == null ? Optional.empty() : optional;
  }
}
