package dev.fleetbackup.ops;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * An instance of fleet-backup's leader election in a JVM of its own, so that a test can kill it
 * (SIGKILL) as a node failure or an OOM kill would. Prints {@code LEADING} and {@code STOPPED}.
 *
 * <p>Arguments: kubeconfig namespace lease identity leaseMillis renewMillis retryMillis
 */
public final class LeaderProcess {
  private LeaderProcess() {}

  public static void main(String[] args) throws Exception {
    Config config = Config.fromKubeconfig(Files.readString(Path.of(args[0])));
    Leadership.Timings timings = new Leadership.Timings(Duration.ofMillis(Long.parseLong(args[4])),
        Duration.ofMillis(Long.parseLong(args[5])), Duration.ofMillis(Long.parseLong(args[6])));
    KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
    Leadership leadership = new Leadership(client, new Leadership.Settings(args[1], args[2], args[3], timings),
        new Health(Clock.systemUTC(), Optional.empty()), new Leadership.Listener() {
          @Override
          public void onStartLeading() {
            System.out.println("LEADING");
            System.out.flush();
          }

          @Override
          public void onStopLeading() {
            System.out.println("STOPPED");
            System.out.flush();
          }
        });
    leadership.start();
    new CountDownLatch(1).await();
  }
}
