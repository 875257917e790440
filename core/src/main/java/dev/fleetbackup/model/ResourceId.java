package dev.fleetbackup.model;

import java.util.Comparator;

/** The identity of a config-repo object: kind, namespace and name. Prints as {@code Kind/namespace/name}. */
public record ResourceId(Kind kind, String namespace, String name) implements Comparable<ResourceId> {

  private static final Comparator<ResourceId> ORDER =
      Comparator.comparing(ResourceId::kind)
          .thenComparing(ResourceId::namespace)
          .thenComparing(ResourceId::name);

  @Override
  public int compareTo(ResourceId other) {
    return ORDER.compare(this, other);
  }

  /** {@code namespace/name}, the way users refer to an object of a known kind. */
  public String qualifiedName() {
    return namespace + "/" + name;
  }

  @Override
  public String toString() {
    return kind.kind() + "/" + namespace + "/" + name;
  }
}
