package dev.fleetbackup.cluster;

import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts the requests a client sends, by what they can do to the cluster; a watch is not a read of a pass. */
final class RequestCounter implements Interceptor {
  private final AtomicInteger reads = new AtomicInteger();
  private final AtomicInteger dryRuns = new AtomicInteger();
  private final AtomicInteger writes = new AtomicInteger();
  private final AtomicInteger watches = new AtomicInteger();

  @Override
  public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
    String method = request.method();
    String query = request.uri().getRawQuery();
    if ("GET".equals(method) && query != null && (query.contains("watch=true") || query.contains("watch=1"))) {
      watches.incrementAndGet();
    } else if ("GET".equals(method) || "HEAD".equals(method)) {
      reads.incrementAndGet();
    } else if (query != null && query.contains("dryRun=All")) {
      dryRuns.incrementAndGet();
    } else {
      writes.incrementAndGet();
    }
  }

  RequestCount snapshot() {
    return new RequestCount(reads.get(), dryRuns.get(), writes.get(), watches.get());
  }
}
