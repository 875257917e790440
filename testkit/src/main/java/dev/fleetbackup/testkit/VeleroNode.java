package dev.fleetbackup.testkit;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.Comparator;

/**
 * The part of a kubelet that Velero needs, for one member, and nothing else.
 *
 * <p>It polls the member's API twice a second and:
 *
 * <ul>
 *   <li>for each Job that runs {@code velero install --crds-only} (Velero's CRD-installer Job),
 *       runs the built {@code velero install --crds-only --apply} against the member and marks
 *       the Job succeeded (or failed) through its status subresource;
 *   <li>for each Velero server Deployment (a container running {@code velero server}), runs
 *       {@code velero server} as a local process with the Deployment's flags and environment,
 *       the Secret volumes it mounts written to a private directory (so {@code
 *       AWS_SHARED_CREDENTIALS_FILE} points at the Secret's content), the AWS plugin when the
 *       Deployment asks for the plugin's init container, and host-specific settings: {@code
 *       --plugin-dir}, {@code --metrics-address}, no profiler, a controller-runtime metrics
 *       address of its own ({@code VELERO_CR_METRICS_BIND_ADDRESS}, read by the test kit's velero
 *       build), its own HOME and TMPDIR, and KUBECONFIG;
 *   <li>reports the Deployment's readiness through the status subresource (ready once the
 *       process serves its metrics port), restarts a crashed server with back-off, restarts it
 *       when the Deployment's generation changes, and stops it when the Deployment is deleted or
 *       scaled to zero.
 * </ul>
 *
 * When the member's API server is down, running servers keep running, as pods do.
 */
public final class VeleroNode implements AutoCloseable {
  private static final Logger logger = LoggerFactory.getLogger(VeleroNode.class);
  private static final Duration TICK = Duration.ofMillis(500);
  private static final String AWS_PLUGIN_IMAGE = "velero-plugin-for-aws";

  private final Member member;
  private final Path dir;
  private final Kit kit;
  private final KubernetesClient client;
  private final Path emptyPluginDir;
  private final Map<String, Server> servers = new ConcurrentHashMap<>();
  private final Map<String, JobRun> jobRuns = new ConcurrentHashMap<>();
  private final Thread loop;
  private volatile boolean closed;
  private volatile String lastError = "";

  private VeleroNode(Member member, Path dir, Kit kit) {
    this.member = member;
    this.dir = dir;
    this.kit = kit;
    this.emptyPluginDir = mkdirs(dir.resolve("no-plugins"));
    this.client = nodeClient(member);
    this.loop = new Thread(this::run, "velero-node-" + member.name());
    this.loop.setDaemon(true);
  }

  static VeleroNode start(Member member, Path dir, Kit kit) {
    VeleroNode node = new VeleroNode(member, dir, kit);
    node.loop.start();
    return node;
  }

  public Member member() {
    return member;
  }

  /** Whether a velero server process runs for the member (any namespace). */
  public boolean isVeleroServerRunning() {
    return servers.values().stream().anyMatch(s -> s.process != null && s.process.isAlive());
  }

  /** Whether a velero server runs and serves its metrics port (what the node reports as ready). */
  public boolean isVeleroServerReady() {
    return servers.values().stream().anyMatch(Server::ready);
  }

  /** PID of the velero server for {@code namespace}, if one runs. */
  public Optional<Long> veleroServerPid(String namespace) {
    return servers.values().stream()
        .filter(s -> s.namespace.equals(namespace) && s.process != null && s.process.isAlive())
        .map(s -> s.process.pid())
        .findFirst();
  }

  /** The velero server's log: {@code <member dir>/logs/velero-server-<namespace>.log}. */
  public Path veleroServerLog(String namespace) {
    return member.logsDir().resolve("velero-server-" + namespace + ".log");
  }

  /** The node's own event log ({@code <member dir>/logs/velero-node.log}). */
  public Path nodeLog() {
    return member.logsDir().resolve("velero-node.log");
  }

  /** How often the velero server of {@code namespace} was (re)started. */
  public int starts(String namespace) {
    return servers.values().stream()
        .filter(s -> s.namespace.equals(namespace))
        .mapToInt(s -> s.starts)
        .sum();
  }

  @Override
  public void close() {
    closed = true;
    loop.interrupt();
    try {
      loop.join(Duration.ofSeconds(30).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    servers.values().forEach(s -> s.stop("node shut down"));
    servers.clear();
    client.close();
  }

  // --- the loop ---------------------------------------------------------------------------

  private void run() {
    while (!closed) {
      try {
        reconcileJobs();
        reconcileDeployments();
        lastError = "";
      } catch (RuntimeException e) {
        String msg = e.toString();
        if (!msg.equals(lastError)) { // log each distinct problem once, not twice a second
          event("reconcile failed (will retry): " + msg);
          logger.debug("{}: velero node reconcile failed", member.name(), e);
        }
        lastError = msg;
      }
      try {
        Thread.sleep(TICK.toMillis());
      } catch (InterruptedException e) {
        if (closed) {
          return;
        }
      }
    }
  }

  private void reconcileJobs() {
    for (Job job : client.batch().v1().jobs().inAnyNamespace().list().getItems()) {
      String uid = job.getMetadata().getUid();
      if (closed || !isCrdInstallJob(job) || isFinished(job)) {
        continue;
      }
      JobRun run = jobRuns.get(uid);
      if (run == null) {
        run = runCrdJob(job);
        jobRuns.put(uid, run);
      }
      writeJobResult(job, run); // retried on the next tick if the API server is unavailable
    }
  }

  static boolean isCrdInstallJob(Job job) {
    return job.getSpec().getTemplate().getSpec().getContainers().stream()
        .anyMatch(
            c -> {
              List<String> all = new ArrayList<>();
              if (c.getCommand() != null) {
                all.addAll(c.getCommand());
              }
              if (c.getArgs() != null) {
                all.addAll(c.getArgs());
              }
              String line = String.join(" ", all);
              return line.contains("install") && line.contains("--crds-only");
            });
  }

  private static boolean isFinished(Job job) {
    return job.getStatus() != null
        && job.getStatus().getConditions() != null
        && job.getStatus().getConditions().stream()
            .anyMatch(
                c -> ("Complete".equals(c.getType()) || "Failed".equals(c.getType()))
                    && "True".equals(c.getStatus()));
  }

  /** The outcome of one run of a CRD-installer Job; {@code error} is empty on success. */
  private record JobRun(String start, String end, Optional<String> error, Path log) {}

  private JobRun runCrdJob(Job job) {
    String ns = job.getMetadata().getNamespace();
    String name = job.getMetadata().getName();
    String start = now();
    event("Job " + ns + "/" + name + ": running velero install --crds-only --apply");
    client.batch().v1().jobs().inNamespace(ns).withName(name)
        .editStatus(j -> {
          j.setStatus(new JobStatusBuilder().withStartTime(start).withActive(1).withReady(1).build());
          return j;
        });
    Path work = dir.resolve("jobs").resolve(ns + "-" + name);
    Path log = member.logsDir().resolve("job-" + ns + "-" + name + ".log");
    try {
      VeleroCli.installCrds(kit, member, work, log);
      event("Job " + ns + "/" + name + ": succeeded (log " + log + ")");
      return new JobRun(start, now(), Optional.empty(), log);
    } catch (RuntimeException e) {
      String msg = firstLine(e.getMessage());
      event("Job " + ns + "/" + name + ": FAILED: " + msg + " (log " + log + ")");
      return new JobRun(start, now(), Optional.of(msg), log);
    }
  }

  private void writeJobResult(Job job, JobRun run) {
    String end = run.end();
    List<JobCondition> conditions =
        run.error().isEmpty()
            ? List.of(
                condition("SuccessCriteriaMet", "CompletionsReached", "Reached expected number of succeeded pods", end),
                condition("Complete", "CompletionsReached", "Reached expected number of succeeded pods", end))
            : List.of(
                condition("FailureTarget", "BackoffLimitExceeded", run.error().get(), end),
                condition("Failed", "BackoffLimitExceeded", run.error().get(), end));
    client.batch().v1().jobs()
        .inNamespace(job.getMetadata().getNamespace())
        .withName(job.getMetadata().getName())
        .editStatus(j -> {
          JobStatusBuilder b =
              new JobStatusBuilder()
                  // startTime may not change once set on an unsuspended Job
                  .withStartTime(j.getStatus() != null && j.getStatus().getStartTime() != null
                      ? j.getStatus().getStartTime() : run.start())
                  .withActive(0)
                  .withReady(0)
                  .withTerminating(0)
                  .withNewUncountedTerminatedPods()
                  .endUncountedTerminatedPods()
                  .withConditions(conditions);
          if (run.error().isEmpty()) {
            b.withCompletionTime(end).withSucceeded(1);
          } else {
            b.withFailed(1);
          }
          j.setStatus(b.build());
          return j;
        });
  }

  /** metav1.Time has second precision: a finer timestamp would read back as a different value. */
  private static String now() {
    return Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
  }

  private static JobCondition condition(String type, String reason, String message, String now) {
    return new JobConditionBuilder()
        .withType(type)
        .withStatus("True")
        .withReason(reason)
        .withMessage(message)
        .withLastProbeTime(now)
        .withLastTransitionTime(now)
        .build();
  }

  private void reconcileDeployments() {
    Map<String, Deployment> wanted = new LinkedHashMap<>();
    for (Deployment d : client.apps().deployments().inAnyNamespace().list().getItems()) {
      if (isVeleroServer(d)) {
        wanted.put(d.getMetadata().getUid(), d);
      }
    }
    // Deleted Deployments: stop their servers.
    for (var it = servers.entrySet().iterator(); it.hasNext(); ) {
      var e = it.next();
      if (!wanted.containsKey(e.getKey())) {
        e.getValue().stop("Deployment " + e.getValue().key + " deleted");
        it.remove();
      }
    }
    for (Deployment d : wanted.values()) {
      if (closed) {
        return;
      }
      reconcileDeployment(d);
    }
  }

  static boolean isVeleroServer(Deployment d) {
    var spec = d.getSpec().getTemplate().getSpec();
    return spec.getContainers().stream()
        .anyMatch(
            c -> {
              List<String> all = new ArrayList<>();
              if (c.getCommand() != null) {
                all.addAll(c.getCommand());
              }
              if (c.getArgs() != null) {
                all.addAll(c.getArgs());
              }
              boolean runsVelero =
                  (c.getImage() != null && c.getImage().contains("velero/velero"))
                      || (!all.isEmpty() && all.get(0).endsWith("velero"));
              return runsVelero && all.contains("server");
            });
  }

  private void reconcileDeployment(Deployment d) {
    String uid = d.getMetadata().getUid();
    String key = d.getMetadata().getNamespace() + "/" + d.getMetadata().getName();
    int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    Server s = servers.computeIfAbsent(uid, u -> new Server(key, d.getMetadata().getNamespace()));
    long generation = Objects.requireNonNullElse(d.getMetadata().getGeneration(), 0L);
    if (replicas == 0) {
      s.stop("Deployment " + key + " scaled to 0");
    } else {
      if (s.process != null && s.generation != generation) {
        s.stop("Deployment " + key + " changed (generation " + s.generation + " -> " + generation + ")");
        s.backoff = Duration.ZERO;
        s.nextStart = Instant.EPOCH;
      }
      if (s.process != null && !s.process.isAlive()) {
        int code = s.process.exitCode().orElse(-1);
        s.backoff = s.backoff.isZero() ? Duration.ofSeconds(1) : min(s.backoff.multipliedBy(2), Duration.ofSeconds(30));
        s.nextStart = Instant.now().plus(s.backoff);
        event("velero server " + key + " exited with " + code + "; restarting in " + s.backoff
            + " (log " + veleroServerLog(s.namespace) + ")");
        s.process = null;
      }
      if (s.process == null && !Instant.now().isBefore(s.nextStart)) {
        s.generation = generation;
        try {
          s.start(d);
        } catch (NotReady e) {
          s.waitingReason = e.getMessage();
          if (!e.getMessage().equals(s.loggedWaiting)) {
            event("velero server " + key + " cannot start yet: " + e.getMessage());
            s.loggedWaiting = e.getMessage();
          }
        }
      }
    }
    writeStatus(d, replicas, s);
  }

  private void writeStatus(Deployment d, int replicas, Server s) {
    boolean ready = replicas > 0 && s.ready();
    long generation = Objects.requireNonNullElse(d.getMetadata().getGeneration(), 0L);
    DeploymentStatus current = d.getStatus();
    if (current != null
        && Objects.equals(current.getObservedGeneration(), generation)
        && Objects.equals(nz(current.getReplicas()), replicas)
        && Objects.equals(nz(current.getReadyReplicas()), ready ? replicas : 0)
        && Objects.equals(nz(current.getAvailableReplicas()), ready ? replicas : 0)) {
      return;
    }
    String now = now();
    DeploymentCondition available =
        new DeploymentConditionBuilder()
            .withType("Available")
            .withStatus(ready || replicas == 0 ? "True" : "False")
            .withReason(ready || replicas == 0 ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable")
            .withMessage(ready || replicas == 0
                ? "Deployment has minimum availability."
                : "Deployment does not have minimum availability." + waiting(s))
            .withLastUpdateTime(now)
            .withLastTransitionTime(now)
            .build();
    DeploymentCondition progressing =
        new DeploymentConditionBuilder()
            .withType("Progressing")
            .withStatus("True")
            .withReason(ready ? "NewReplicaSetAvailable" : "ReplicaSetUpdated")
            .withMessage("velero server run by the fleet-backup test kit on the host")
            .withLastUpdateTime(now)
            .withLastTransitionTime(now)
            .build();
    DeploymentStatus status =
        new DeploymentStatusBuilder()
            .withObservedGeneration(generation)
            .withReplicas(replicas)
            .withUpdatedReplicas(replicas)
            .withReadyReplicas(ready ? replicas : 0)
            .withAvailableReplicas(ready ? replicas : 0)
            .withUnavailableReplicas(ready ? 0 : replicas)
            .withConditions(available, progressing)
            .build();
    client.apps().deployments()
        .inNamespace(d.getMetadata().getNamespace())
        .withName(d.getMetadata().getName())
        .editStatus(x -> {
          x.setStatus(status);
          return x;
        });
    event("Deployment " + s.key + " status: readyReplicas=" + (ready ? replicas : 0) + "/" + replicas);
  }

  private static String waiting(Server s) {
    return s.waitingReason.isEmpty() ? "" : " " + s.waitingReason;
  }

  private static int nz(Integer i) {
    return i == null ? 0 : i;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) < 0 ? a : b;
  }

  /** The server cannot be started yet (e.g. its Secret does not exist), as a pod stuck in ContainerCreating. */
  private static final class NotReady extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotReady(String message) {
      super(message, null, false, false);
    }
  }

  /** One velero server process for one Deployment. Touched by the loop thread only (reads are racy but harmless). */
  private final class Server {
    final String key;
    final String namespace;
    volatile ManagedProcess process;
    Path alias;
    long generation = -1;
    int metricsPort;
    int starts;
    Duration backoff = Duration.ZERO;
    Instant nextStart = Instant.EPOCH;
    String waitingReason = "";
    String loggedWaiting = "";

    Server(String key, String namespace) {
      this.key = key;
      this.namespace = namespace;
    }

    boolean ready() {
      ManagedProcess p = process;
      return p != null && p.isAlive() && Ports.listening(metricsPort);
    }

    void start(Deployment d) {
      VeleroServerCommand cmd = VeleroServerCommand.from(d);
      Path procDir = dir.resolve("servers").resolve(namespace + "-" + d.getMetadata().getName());
      deleteRecursively(procDir);
      Path home = mkdirs(procDir.resolve("home"));
      Path tmp = shortAlias(mkdirs(procDir.resolve("tmp")));
      Map<String, Path> mountDirs = new LinkedHashMap<>();
      for (VeleroServerCommand.Mount m : cmd.mounts()) {
        Path local = mkdirs(procDir.resolve("volumes").resolve(m.volumeName()));
        mountDirs.put(m.mountPath(), local);
        if (m.secretName().isPresent()) {
          writeSecretVolume(d.getMetadata().getNamespace(), m, local);
        }
      }
      Map<String, String> env = new LinkedHashMap<>();
      cmd.literalEnv().forEach((k, v) -> env.put(k, remap(v, cmd, mountDirs)));
      env.putIfAbsent("VELERO_NAMESPACE", namespace);
      env.put("KUBECONFIG", member.kubeconfig().toString());
      env.put("HOME", home.toString());
      env.put("TMPDIR", tmp.toString());
      int crMetricsPort = kit.ports().free();
      env.put("VELERO_CR_METRICS_BIND_ADDRESS", "127.0.0.1:" + crMetricsPort);
      if (!cmd.unresolvedEnv().isEmpty()) {
        event("velero server " + key + ": environment not reproduced on the host: " + cmd.unresolvedEnv());
      }
      boolean wantsAws = cmd.initContainerImages().stream().anyMatch(i -> i.contains(AWS_PLUGIN_IMAGE));
      List<String> otherPlugins =
          cmd.initContainerImages().stream().filter(i -> !i.contains(AWS_PLUGIN_IMAGE)).toList();
      if (!otherPlugins.isEmpty()) {
        event("velero server " + key + ": plugins not available on this node, ignored: " + otherPlugins);
      }
      metricsPort = kit.ports().free();
      List<String> command = new ArrayList<>();
      command.add(kit.binaries().velero().toString());
      command.add("server"); // first, so plugin processes get the flags (see velero's plugin args)
      command.addAll(cmd.serverFlags());
      command.add("--plugin-dir=" + (wantsAws ? kit.binaries().veleroPluginDir() : emptyPluginDir));
      command.add("--metrics-address=127.0.0.1:" + metricsPort);
      command.add("--profiler-address=");
      starts++;
      process =
          ManagedProcess.start(
              member.name() + "/velero-server " + key,
              command,
              env,
              procDir,
              veleroServerLog(namespace),
              kit.registry());
      waitingReason = "";
      loggedWaiting = "";
      event("velero server " + key + " started (pid " + process.pid() + ", metrics 127.0.0.1:" + metricsPort
          + ", controller-runtime metrics 127.0.0.1:" + crMetricsPort + "): " + String.join(" ", command));
    }

    private void writeSecretVolume(String ns, VeleroServerCommand.Mount m, Path local) {
      String secretName = m.secretName().orElseThrow();
      Secret secret = client.secrets().inNamespace(ns).withName(secretName).get();
      if (secret == null) {
        throw new NotReady("secret \"" + secretName + "\" not found (volume " + m.volumeName() + ")");
      }
      Map<String, String> data = new LinkedHashMap<>();
      if (secret.getData() != null) {
        secret.getData().forEach((k, v) -> data.put(k, v));
      }
      if (secret.getStringData() != null) {
        secret.getStringData().forEach((k, v) ->
            data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
      }
      for (var e : data.entrySet()) {
        String path = m.secretItems().isEmpty() ? e.getKey() : m.secretItems().get(e.getKey());
        if (path == null) {
          continue;
        }
        Path f = local.resolve(path);
        try {
          Files.createDirectories(f.getParent());
          Files.write(f, Base64.getDecoder().decode(e.getValue()),
              StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
          Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException ex) {
          throw new UncheckedIOException(ex);
        }
      }
    }

    void stop(String why) {
      ManagedProcess p = process;
      if (p != null) {
        event("stopping velero server " + key + ": " + why);
        p.stop(Duration.ofSeconds(10));
        process = null;
      }
      removeAlias();
    }

    /**
     * Velero's plugins listen on unix sockets under TMPDIR, and a socket path may not pass 108
     * bytes: a deep fleet folder breaks them ("bind: invalid argument"). TMPDIR is therefore a short
     * symlink in the system temp folder to the server's own tmp folder.
     */
    private Path shortAlias(Path tmp) {
      removeAlias();
      try {
        Path link = Files.createTempFile(Path.of(System.getProperty("java.io.tmpdir")), "fbv", "");
        Files.delete(link);
        alias = Files.createSymbolicLink(link, tmp);
        return alias;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private void removeAlias() {
      if (alias != null) {
        try {
          Files.deleteIfExists(alias);
        } catch (IOException e) {
          logger.debug("cannot remove {}", alias, e);
        }
        alias = null;
      }
    }
  }

  /** Rewrites a container path under a volume mount to the host directory of that volume. */
  private static String remap(String value, VeleroServerCommand cmd, Map<String, Path> mountDirs) {
    return cmd.mountFor(value)
        .map(m -> {
          String rest = value.substring(m.mountPath().replaceAll("/$", "").length());
          return mountDirs.get(m.mountPath()) + rest;
        })
        .orElse(value);
  }

  private void event(String message) {
    logger.info("{}: {}", member.name(), message);
    try {
      Files.createDirectories(nodeLog().getParent());
      Files.writeString(nodeLog(), Instant.now() + " " + message + "\n",
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      logger.debug("cannot write {}", nodeLog(), e);
    }
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  private static KubernetesClient nodeClient(Member member) {
    try {
      Config base = Config.fromKubeconfig(Files.readString(member.kubeconfig()));
      // Fail fast when the member's API server is down: the loop retries anyway.
      Config config =
          new ConfigBuilder(base)
              .withRequestRetryBackoffLimit(0)
              .withConnectionTimeout(2_000)
              .withRequestTimeout(15_000)
              .build();
      return new KubernetesClientBuilder().withConfig(config).build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path mkdirs(Path p) {
    try {
      return Files.createDirectories(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteRecursively(Path p) {
    if (!Files.exists(p)) {
      return;
    }
    try (var s = Files.walk(p)) {
      s.sorted(Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
