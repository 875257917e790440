package dev.fleetbackup.cluster;

import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Stops reading an answer once it is larger than a limit, before it is all in memory: a member
 * cannot make fleet-backup hold more. One per connection, whose requests go one at a time: the
 * HTTP client reports an answer stopped this way as a reset stream, so the connection asks
 * {@link #exceeded} why its request failed.
 */
final class AnswerLimit implements Interceptor {
  private final long maxBytes;
  private final AtomicReference<String> exceeded = new AtomicReference<>();

  AnswerLimit(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** Why the last request failed, if its answer was too large; forgotten once asked. */
  Optional<String> exceeded() {
    return Optional.ofNullable(exceeded.getAndSet(null));
  }

  @Override
  public AsyncBody.Consumer<List<ByteBuffer>> consumer(AsyncBody.Consumer<List<ByteBuffer>> consumer, HttpRequest request) {
    return new AsyncBody.Consumer<>() {
      private long read;

      @Override
      public void consume(List<ByteBuffer> buffers, AsyncBody body) throws Exception {
        for (ByteBuffer b : buffers) {
          read += b.remaining();
        }
        if (read > maxBytes) {
          String why = "the answer to " + request.method() + " " + request.uri().getRawPath() + " is larger than " + mebibytes(maxBytes);
          exceeded.set(why);
          throw new IOException(why); // stops the read
        }
        consumer.consume(buffers, body);
      }

      @Override
      public <U> U unwrap(Class<U> target) {
        return consumer.unwrap(target);
      }
    };
  }

  private static String mebibytes(long bytes) {
    return bytes >= 1 << 20 && bytes % (1 << 20) == 0 ? (bytes >> 20) + " MiB" : bytes + " bytes";
  }
}
