package dev.fleetbackup.model;

import java.util.List;

/** Which restored objects keep their {@code status}: Velero's {@code restoreStatus}. */
public record PreserveStatus(List<String> includedResources, List<String> excludedResources) {
  public PreserveStatus {
    includedResources = Collections2.list(includedResources);
    excludedResources = Collections2.list(excludedResources);
  }
}
