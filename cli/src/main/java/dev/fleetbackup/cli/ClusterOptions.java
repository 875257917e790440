package dev.fleetbackup.cli;

import dev.fleetbackup.cluster.CredentialSource;
import dev.fleetbackup.cluster.InClusterSecrets;
import dev.fleetbackup.cluster.KubeconfigDir;
import dev.fleetbackup.cluster.KubeconfigFiles;
import dev.fleetbackup.cluster.KubeconfigPolicy;
import dev.fleetbackup.cluster.LocalSecretsDir;
import dev.fleetbackup.cluster.MemberClients;
import dev.fleetbackup.model.PolicySet;
import dev.fleetbackup.pipeline.Components;
import dev.fleetbackup.pipeline.Concurrency;
import dev.fleetbackup.pipeline.Selection;
import dev.fleetbackup.pipeline.Timeouts;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * How member clusters are reached: kubeconfig files and contexts as kubectl reads them, or the
 * Secrets as local files; what their kubeconfigs may ask for; which members to take; how long to
 * wait on each.
 *
 * <p>Which kubeconfig a member gets, when several ways are given: {@code --kubeconfig} or
 * {@code --kubeconfig-dir} (not both: a usage error), else {@code --secrets-dir}, else
 * {@code $KUBECONFIG}; an explicit flag always wins over the environment, so a shell with
 * {@code $KUBECONFIG} set for kubectl does not change what a script with {@code --secrets-dir}
 * reaches. Storage credentials come from {@code --secrets-dir} (or {@code --kubeconfig-dir}).
 */
final class ClusterOptions {
  static final String KUBECONFIG_ENV = "KUBECONFIG";

  @Option(names = "--kubeconfig", paramLabel = "FILE",
      description = {"A kubeconfig file, as kubectl reads it (repeatable; merged by kubectl's rules: the first file to name a",
          "cluster, user or context wins). Each member is reached through the context of its own name, or the one",
          "--context maps it to. Default: the files of $KUBECONFIG, when neither --kubeconfig-dir nor --secrets-dir is given."})
  List<Path> kubeconfigs = List.of();

  @Option(names = "--context", paramLabel = "CLUSTER=CONTEXT",
      description = "Reach member CLUSTER through CONTEXT of the --kubeconfig files (repeatable).")
  Map<String, String> contexts = new LinkedHashMap<>();

  @Option(names = "--secrets-dir", paramLabel = "DIR",
      description = {"Secrets laid out like mounted Secret volumes: DIR/<secret name>/<key>.",
          "The fleets' storage credentials (keys access-key, secret-key) are read there, and the members' kubeconfigs",
          "(an AttachedCluster's spec.kubeconfig, a Cluster's <name>-kubeconfig key value) unless --kubeconfig or",
          "--kubeconfig-dir is given."})
  Path secretsDir;

  @Option(names = "--kubeconfig-dir", paramLabel = "DIR",
      description = {"The shortcut: the kubeconfig of each cluster at DIR/<cluster>.config.",
          "Storage credentials are read from --secrets-dir if given, else from DIR/<secret name>/<key>."})
  Path kubeconfigDir;

  @Option(names = "--cluster", paramLabel = "NAME", description = "Only this member cluster (repeatable; default: all).")
  List<String> clusters = List.of();

  @Option(names = "--concurrent", paramLabel = "N",
      description = {"Members worked on at a time, 1 to " + Concurrency.MAX + " (default: ${DEFAULT-VALUE}); the others wait their "
          + "turn without spending their time budget."})
  int concurrent = Concurrency.DEFAULT.members();

  // The defaults are written as the flags take them; KubectlAccessTest holds them to the constants.
  @Option(names = "--request-timeout", paramLabel = "DURATION",
      description = "How long one request to a member may take, from sending it to the last byte of the answer, its retries "
          + "included (default: 20s).")
  Duration requestTimeout = MemberClients.Limits.DEFAULTS.request();

  @Option(names = "--member-timeout", paramLabel = "DURATION",
      description = {"How long a pass may work on one member, its read, diff and apply together, before that member is",
          "reported timed out and the others go on; time waiting for its turn is not counted (default: 5m)."})
  Duration memberTimeout = Components.MEMBER_BUDGET;

  @Option(names = "--insecure-kubeconfig-exec",
      description = {"Let member kubeconfigs run their exec credential plugins (users[].user.exec); refused by default.",
          "Whoever can write a kubeconfig Secret can then run any command as fleet-backup."})
  boolean insecureKubeconfigExec;

  @Option(names = "--insecure-kubeconfig-tls",
      description = {"Let member kubeconfigs skip TLS verification (insecure-skip-tls-verify) or use plain http:// servers;",
          "refused by default. Their tokens can then be read or replayed by anyone on the network path."})
  boolean insecureKubeconfigTls;

  /** Where {@code $KUBECONFIG} is read; the process's environment but in tests. */
  Map<String, String> environment = System.getenv();

  /** Where the members' kubeconfigs and the storage credentials are read, as the flags (or {@code $KUBECONFIG}) say. */
  CredentialSource credentials(CommandLine commandLine) {
    KubeconfigPolicy policy = kubeconfigPolicy();
    if (!kubeconfigs.isEmpty() && kubeconfigDir != null) {
      throw new ParameterException(commandLine, "--kubeconfig and --kubeconfig-dir are two ways to reach the members; give one");
    }
    if (!contexts.isEmpty() && (kubeconfigDir != null || kubeconfigs.isEmpty() && secretsDir != null)) {
      throw new ParameterException(commandLine, "--context maps members to contexts of the --kubeconfig files (or $KUBECONFIG's);"
          + " with " + (kubeconfigDir != null ? "--kubeconfig-dir" : "--secrets-dir") + " there are none");
    }
    CredentialSource secrets = secretsDir == null ? KubeconfigFiles.NO_SECRETS : new LocalSecretsDir(secretsDir, policy);
    if (!kubeconfigs.isEmpty()) {
      for (Path file : kubeconfigs) {
        if (!Files.isRegularFile(file)) {
          throw new ParameterException(commandLine, "--kubeconfig " + file + ": " + (Files.exists(file) ? "not a regular file" : "no such file"));
        }
      }
      return new KubeconfigFiles(distinct(kubeconfigs), contexts, secrets, policy);
    }
    if (kubeconfigDir != null) {
      return new KubeconfigDir(kubeconfigDir, new LocalSecretsDir(secretsDir == null ? kubeconfigDir : secretsDir), policy);
    }
    if (secretsDir != null) {
      return secrets;
    }
    List<Path> fromEnvironment = kubeconfigEnvironment();
    if (!fromEnvironment.isEmpty()) {
      return new KubeconfigFiles(fromEnvironment, contexts, secrets, policy);
    }
    throw new ParameterException(commandLine, "one of --kubeconfig, --kubeconfig-dir or --secrets-dir is required"
        + (environment.getOrDefault(KUBECONFIG_ENV, "").isBlank() ? " ($KUBECONFIG is not set)" : " ($KUBECONFIG names no file that exists)"));
  }

  /** Whether a way to read member kubeconfigs from this machine was given ({@code run --in-cluster} takes none). */
  boolean localSourceGiven() {
    return !kubeconfigs.isEmpty() || !contexts.isEmpty() || secretsDir != null || kubeconfigDir != null;
  }

  /**
   * {@code $KUBECONFIG} as kubectl reads it: a list separated by the platform's path separator,
   * empty entries, repeats and files that do not exist left out.
   */
  private List<Path> kubeconfigEnvironment() {
    List<Path> files = new ArrayList<>();
    for (String entry : environment.getOrDefault(KUBECONFIG_ENV, "").split(File.pathSeparator)) {
      if (!entry.isBlank() && Files.isRegularFile(Path.of(entry))) {
        files.add(Path.of(entry));
      }
    }
    return distinct(files);
  }

  private static List<Path> distinct(List<Path> files) {
    return List.copyOf(new LinkedHashSet<>(files));
  }

  /** {@code --concurrent}; out of range, a usage error. */
  Concurrency concurrency(CommandLine commandLine) {
    try {
      return new Concurrency(concurrent);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(commandLine, "--concurrent " + concurrent + ": between 1 and " + Concurrency.MAX
          + " members at a time");
    }
  }

  /** {@code --request-timeout} and {@code --member-timeout}; zero, a usage error. */
  Timeouts timeouts(CommandLine commandLine) {
    for (Map.Entry<String, Duration> flag : Map.of("--request-timeout", requestTimeout, "--member-timeout", memberTimeout).entrySet()) {
      if (flag.getValue().isZero()) {
        throw new ParameterException(commandLine, flag.getKey() + " 0s: a timeout must be more than 0s");
      }
    }
    return Timeouts.of(requestTimeout, memberTimeout);
  }

  /**
   * The {@code --cluster} members, checked with the {@code --context} names against the config
   * repo: a member it does not have is a usage error, before any member is contacted.
   */
  Selection selection(CommandLine commandLine, PolicySet policies) {
    selection(commandLine, "--context", policies, contexts.keySet());
    return selection(commandLine, "--cluster", policies, clusters);
  }

  /** The members {@code names} select; a name the config repo has no member for is a usage error naming {@code flag}. */
  static Selection selection(CommandLine commandLine, String flag, PolicySet policies, Collection<String> names) {
    Selection.Choice choice = Selection.of(policies, names);
    if (choice instanceof Selection.Unknown unknown) {
      throw new ParameterException(commandLine, flag + ": " + unknown.message());
    }
    return ((Selection.Chosen) choice).selection();
  }

  /** {@code run --in-cluster}: the Secrets the config repo names, read from the management cluster. */
  CredentialSource inCluster(KubernetesClient management) {
    return new InClusterSecrets(management, kubeconfigPolicy());
  }

  private KubeconfigPolicy kubeconfigPolicy() {
    return new KubeconfigPolicy(
        insecureKubeconfigExec ? KubeconfigPolicy.ExecPlugins.ALLOWED : KubeconfigPolicy.ExecPlugins.REFUSED,
        insecureKubeconfigTls ? KubeconfigPolicy.Transport.INSECURE_ALLOWED : KubeconfigPolicy.Transport.VERIFIED_TLS);
  }
}
