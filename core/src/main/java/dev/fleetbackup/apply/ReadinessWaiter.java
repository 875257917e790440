package dev.fleetbackup.apply;

import dev.fleetbackup.cluster.MemberConnection;
import dev.fleetbackup.plan.ObjectRef;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.Map;

/**
 * Waits, by polling with a deadline, for what the next stage needs: Velero's CRDs established
 * (installed by the CRD Job) before locations and runs; a storage location Available before a
 * Backup run is created in it (Velero fails a backup whose location it has not validated yet).
 */
final class ReadinessWaiter {
  static final List<String> VELERO_CRDS = List.of(
      "backupstoragelocations.velero.io", "schedules.velero.io", "backups.velero.io", "restores.velero.io");
  private static final Duration POLL = Duration.ofMillis(500);

  private ReadinessWaiter() {}

  static void awaitCrds(MemberConnection connection, Duration timeout) throws TimeoutException, InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    String missing = "";
    while (true) {
      missing = firstNotEstablished(connection);
      if (missing.isEmpty()) {
        return;
      }
      if (Instant.now().isAfter(deadline)) {
        throw new TimeoutException("CRD " + missing + " not established after " + timeout
            + " (the Job velero/velero-upgrade-crds installs Velero's CRDs)");
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  /** Waits until the BackupStorageLocation {@code location} reports phase Available. */
  static void awaitLocation(MemberConnection connection, ObjectRef location, Duration timeout)
      throws TimeoutException, InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (true) {
      String phase = "";
      try {
        phase = connection.get(location)
            .map(r -> r.getAdditionalProperties().get("status"))
            .filter(Map.class::isInstance)
            .map(st -> String.valueOf(((Map<?, ?>) st).get("phase")))
            .orElse("");
      } catch (KubernetesClientException e) {
        phase = "";
      }
      if ("Available".equals(phase)) {
        return;
      }
      if (Instant.now().isAfter(deadline)) {
        throw new TimeoutException(location + " is not Available after " + timeout
            + (phase.isEmpty() || "null".equals(phase) ? " (Velero has not validated it: is the velero Deployment running?)" : " (phase " + phase + ")"));
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  private static String firstNotEstablished(MemberConnection connection) {
    for (String name : VELERO_CRDS) {
      CustomResourceDefinition crd;
      try {
        crd = connection.client().apiextensions().v1().customResourceDefinitions().withName(name).get();
      } catch (KubernetesClientException e) {
        return name;
      }
      boolean established = crd != null && crd.getStatus() != null && crd.getStatus().getConditions() != null
          && crd.getStatus().getConditions().stream()
              .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
      if (!established) {
        return name;
      }
    }
    return "";
  }
}
