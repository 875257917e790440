package dev.fleetbackup.apply;

import dev.fleetbackup.cluster.MemberConnection;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeoutException;

/** Waits until the Velero CRDs fleet-backup writes objects of are established (installed by the CRD Job). */
final class CrdWaiter {
  static final List<String> VELERO_CRDS = List.of(
      "backupstoragelocations.velero.io", "schedules.velero.io", "backups.velero.io", "restores.velero.io");
  private static final Duration POLL = Duration.ofMillis(500);

  private CrdWaiter() {}

  static void await(MemberConnection connection, Duration timeout) throws TimeoutException, InterruptedException {
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
