package dev.fleetbackup.model;

import java.util.List;
import java.util.Map;

/** {@code metav1.LabelSelector}. */
public record LabelSelector(Map<String, String> matchLabels, List<Requirement> matchExpressions) {

  public LabelSelector {
    matchLabels = Collections2.map(matchLabels);
    matchExpressions = Collections2.list(matchExpressions);
  }

  public record Requirement(String key, String operator, List<String> values) {
    public Requirement {
      values = Collections2.list(values);
    }
  }
}
