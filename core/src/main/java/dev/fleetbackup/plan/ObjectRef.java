package dev.fleetbackup.plan;

import java.util.Comparator;
import java.util.Objects;

/**
 * The identity of an object in a member cluster. Prints as {@code Kind/namespace/name}, or
 * {@code Kind/name} for a cluster-scoped object. Ordered by stage, then kind, namespace and name,
 * which is the order objects are applied in.
 */
public record ObjectRef(ManagedKind kind, String namespace, String name) implements Comparable<ObjectRef> {

  private static final Comparator<ObjectRef> ORDER =
      Comparator.comparing((ObjectRef r) -> r.kind.stage())
          .thenComparing(ObjectRef::kind)
          .thenComparing(ObjectRef::namespace)
          .thenComparing(ObjectRef::name);

  public ObjectRef {
    Objects.requireNonNull(kind, "kind");
    namespace = namespace == null ? "" : namespace;
    Objects.requireNonNull(name, "name");
    if (kind.namespaced() == namespace.isEmpty()) {
      throw new IllegalArgumentException(kind.kind() + " " + name + (kind.namespaced()
          ? " is namespaced and needs a namespace" : " is cluster-scoped and takes no namespace"));
    }
  }

  public static ObjectRef clusterScoped(ManagedKind kind, String name) {
    return new ObjectRef(kind, "", name);
  }

  public ObjectRef withName(String newName) {
    return new ObjectRef(kind, namespace, newName);
  }

  @Override
  public int compareTo(ObjectRef other) {
    return ORDER.compare(this, other);
  }

  @Override
  public String toString() {
    return kind.kind() + "/" + (namespace.isEmpty() ? "" : namespace + "/") + name;
  }
}
