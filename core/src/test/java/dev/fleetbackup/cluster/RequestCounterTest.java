package dev.fleetbackup.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.StandardHttpRequest;
import org.junit.jupiter.api.Test;

class RequestCounterTest {
  private static final String SCHEDULES = "https://member:6443/apis/velero.io/v1/namespaces/velero/schedules";

  @Test
  void aWatchIsCountedApartFromThePassesReadsDryRunsAndWrites() {
    RequestCounter counter = new RequestCounter();
    send(counter, new StandardHttpRequest.Builder().uri(SCHEDULES + "/nightly").build());
    send(counter, new StandardHttpRequest.Builder().uri(SCHEDULES + "?labelSelector=a%3Db").build());
    // what a fabric8 informer sends to start, and every 5 to 10 minutes to renew, its watch
    send(counter, new StandardHttpRequest.Builder()
        .uri(SCHEDULES + "?allowWatchBookmarks=true&resourceVersion=812&timeoutSeconds=600&watch=true").build());
    send(counter, new StandardHttpRequest.Builder().uri(SCHEDULES + "/nightly?fieldManager=fleet-backup&force=true&dryRun=All")
        .patch("application/apply-patch+yaml", "{}").build());
    send(counter, new StandardHttpRequest.Builder().uri(SCHEDULES + "/nightly?fieldManager=fleet-backup&force=true")
        .patch("application/apply-patch+yaml", "{}").build());

    assertThat(counter.snapshot()).isEqualTo(new RequestCount(2, 1, 1, 1));
    assertThat(counter.snapshot().toString()).isEqualTo("5 requests (2 reads, 1 dry runs, 1 writes, 1 watches)");
  }

  private static void send(RequestCounter counter, HttpRequest request) {
    counter.before(null, request, null);
  }
}
