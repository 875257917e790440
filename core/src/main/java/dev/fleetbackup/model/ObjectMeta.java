package dev.fleetbackup.model;

import java.util.Map;

/** The part of Kubernetes object metadata a config repo may carry. */
public record ObjectMeta(String name, String namespace, Map<String, String> labels, Map<String, String> annotations) {

  public static final String DEFAULT_NAMESPACE = "default";

  public ObjectMeta {
    namespace = namespace == null || namespace.isEmpty() ? DEFAULT_NAMESPACE : namespace;
    labels = Collections2.map(labels);
    annotations = Collections2.map(annotations);
  }
}
