package dev.fleetbackup.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fleet of real member clusters on this machine, started in one call:
 *
 * <pre>{@code
 * try (TestFleet fleet = TestFleet.start(dir, TestFleet.Options.members(3).withVeleroNode())) {
 *   Member m1 = fleet.member("kurator-member1");
 *   m1.client().namespaces().list();
 *   fleet.s3().listKeys("member1/");
 * }
 * }</pre>
 *
 * Each member has its own etcd and kube-apiserver on free loopback ports and a kubeconfig at
 * {@code <dir>/kubeconfigs/<name>.config}; the fleet has one S3 server (s3proxy) with one bucket;
 * with {@link Options#withVeleroNode()} each member also gets a {@link VeleroNode}. Every process
 * is stopped by {@link #close()} and, should the test JVM exit first, by a shutdown hook. Process
 * logs stay under {@code <dir>/members/<name>/logs/} and {@code <dir>/s3/}.
 */
public final class TestFleet implements AutoCloseable {
  private static final Logger logger = LoggerFactory.getLogger(TestFleet.class);

  private final Path dir;
  private final Kit kit;
  private final Map<String, Member> members = new LinkedHashMap<>();
  private final Map<String, VeleroNode> nodes = new LinkedHashMap<>();
  private final Thread shutdownHook;
  private S3Server s3;
  private Duration startupTime = Duration.ZERO;
  private boolean closed;

  /** What to start. Immutable; use the {@code with…} methods. */
  public record Options(List<String> memberNames, boolean veleroNode, String bucket) {
    public Options {
      memberNames = List.copyOf(memberNames);
      if (memberNames.isEmpty()) {
        throw new IllegalArgumentException("a fleet needs at least one member");
      }
      if (memberNames.stream().distinct().count() != memberNames.size()) {
        throw new IllegalArgumentException("member names must be unique: " + memberNames);
      }
    }

    /** {@code n} members named {@code kurator-member1..n}, no Velero node, bucket {@code fleet-backup}. */
    public static Options members(int n) {
      return new Options(
          IntStream.rangeClosed(1, n).mapToObj(i -> "kurator-member" + i).toList(),
          false,
          S3Server.DEFAULT_BUCKET);
    }

    public static Options members(List<String> names) {
      return new Options(names, false, S3Server.DEFAULT_BUCKET);
    }

    /** Also run a {@link VeleroNode} for every member. */
    public Options withVeleroNode() {
      return new Options(memberNames, true, bucket);
    }

    public Options withBucket(String name) {
      return new Options(memberNames, veleroNode, name);
    }
  }

  private TestFleet(Path dir, Kit kit) {
    this.dir = dir;
    this.kit = kit;
    this.shutdownHook = new Thread(this::close, "test-fleet-shutdown");
  }

  /**
   * Starts the fleet in {@code dir} (created if needed; use a fresh directory per fleet). Fails
   * with "run make testkit" if the binaries are not built.
   */
  public static TestFleet start(Path dir, Options options) {
    Instant t0 = Instant.now();
    Kit kit = Kit.create();
    int swept = kit.registry().sweepOrphans();
    if (swept > 0) {
      logger.warn("killed {} test-kit processes left over by a JVM that died", swept);
    }
    TestFleet fleet = new TestFleet(dir.toAbsolutePath(), kit);
    Runtime.getRuntime().addShutdownHook(fleet.shutdownHook);
    try {
      fleet.startAll(options);
    } catch (RuntimeException | Error e) {
      fleet.close();
      throw e;
    }
    fleet.startupTime = Duration.between(t0, Instant.now());
    logger.info(
        "fleet of {} members up in {} ms: {}",
        fleet.members.size(),
        fleet.startupTime.toMillis(),
        fleet.members.keySet());
    return fleet;
  }

  private void startAll(Options options) {
    mkdirs(dir);
    mkdirs(kubeconfigDir());
    for (String name : options.memberNames()) {
      members.put(name, new Member(name, dir.resolve("members").resolve(name), kubeconfigDir().resolve(name + ".config"), kit));
    }
    CompletableFuture<S3Server> s3Future =
        CompletableFuture.supplyAsync(
            () -> S3Server.startProcess(dir.resolve("s3"), options.bucket(), kit.binaries(), kit.ports(), kit.registry()));
    try {
      members.values().forEach(Member::startEtcd);
      members.values().forEach(Member::awaitEtcdReady);
      members.values().forEach(Member::launchApiServer);
      members.values().forEach(Member::awaitApiServerReady);
    } finally {
      try {
        s3 = s3Future.join();
      } catch (CompletionException e) {
        throw e.getCause() instanceof RuntimeException r ? r : e;
      }
    }
    if (options.veleroNode()) {
      for (Member m : members.values()) {
        nodes.put(m.name(), VeleroNode.start(m, m.dir().resolve("node"), kit));
      }
    }
  }

  /** The directory holding one kubeconfig per member, {@code <name>.config}, and nothing else. */
  public Path kubeconfigDir() {
    return dir.resolve("kubeconfigs");
  }

  /** The fleet's root directory (process logs, etcd data, the S3 store). */
  public Path dir() {
    return dir;
  }

  public List<Member> members() {
    return List.copyOf(members.values());
  }

  public Member member(String name) {
    Member m = members.get(name);
    if (m == null) {
      throw new IllegalArgumentException("no member " + name + " in " + members.keySet());
    }
    return m;
  }

  /** The {@code i}-th member, counting from 1 like the default names. */
  public Member member(int i) {
    return members().get(i - 1);
  }

  public S3Server s3() {
    return s3;
  }

  /** The Velero node of a member; fails if the fleet was started without {@code withVeleroNode()}. */
  public VeleroNode veleroNode(Member member) {
    VeleroNode n = nodes.get(member.name());
    if (n == null) {
      throw new IllegalStateException("the fleet was started without Options.withVeleroNode()");
    }
    return n;
  }

  public Optional<VeleroNode> veleroNodeIfEnabled(Member member) {
    return Optional.ofNullable(nodes.get(member.name()));
  }

  /** Runs {@code velero install --crds-only --apply} against the member and waits until the CRDs are Established. */
  public void installVeleroCrds(Member member) {
    VeleroCli.installCrds(
        kit,
        member,
        member.dir().resolve("velero-cli"),
        member.logsDir().resolve("velero-install-crds.log"));
  }

  /** How long {@link #start} took. */
  public Duration startupTime() {
    return startupTime;
  }

  public TestkitBinaries binaries() {
    return kit.binaries();
  }

  /** Stops every process the fleet started (Velero servers, API servers, etcds, S3). Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    List<RuntimeException> errors = new ArrayList<>();
    for (VeleroNode n : nodes.values()) {
      run(errors, n::close);
    }
    members.values().parallelStream().forEach(m -> run(errors, m::stopAll));
    if (s3 != null) {
      run(errors, s3::close);
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // already shutting down: this is the hook
    }
    if (!errors.isEmpty()) {
      logger.warn("fleet shutdown had {} errors; first: {}", errors.size(), errors.get(0).toString());
    }
  }

  private static void run(List<RuntimeException> errors, Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      synchronized (errors) {
        errors.add(e);
      }
    }
  }

  private static void mkdirs(Path p) {
    try {
      Files.createDirectories(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
