package dev.fleetbackup.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where the test-kit binaries are: the cache that {@code testkit/build.sh} (run by {@code make
 * testkit}) fills, at {@code ${FLEET_BACKUP_CACHE:-$HOME/.cache/fleet-backup}/testkit/}, keyed by
 * the versions in {@code testkit/versions.env}. Both sides read that one file.
 *
 * <p>The versions file is found through the system property {@code fleetbackup.testkit.versions}
 * or the environment variable {@code FLEET_BACKUP_TESTKIT_VERSIONS}, else by walking up from the
 * working directory to a {@code testkit/versions.env}.
 */
public record TestkitBinaries(
    Path cacheDir,
    Map<String, String> versions,
    Path kubeApiserver,
    Path kubectl,
    Path etcd,
    Path velero,
    Path veleroPluginDir,
    Path s3proxyJar) {

  public TestkitBinaries {
    versions = Map.copyOf(versions);
  }

  /** Finds the binaries, or fails with a message that says to run {@code make testkit}. */
  public static TestkitBinaries locate() {
    Path versionsFile = findVersionsFile();
    Map<String, String> v = readEnvFile(versionsFile);
    String cacheEnv = System.getenv("FLEET_BACKUP_CACHE");
    Path cacheRoot =
        cacheEnv != null && !cacheEnv.isBlank()
            ? Path.of(cacheEnv)
            : Path.of(System.getProperty("user.home"), ".cache", "fleet-backup");
    Path cache = cacheRoot.resolve("testkit");
    Path k8s = cache.resolve("k8s-" + need(v, "K8S_VERSION"));
    TestkitBinaries b =
        new TestkitBinaries(
            cache,
            v,
            k8s.resolve("kube-apiserver"),
            k8s.resolve("kubectl"),
            cache.resolve("etcd-" + need(v, "ETCD_VERSION")).resolve("etcd"),
            cache.resolve("velero-" + need(v, "VELERO_VERSION")).resolve("velero"),
            cache.resolve("velero-plugin-for-aws-" + need(v, "VELERO_PLUGIN_AWS_VERSION")),
            cache.resolve("s3proxy-" + need(v, "S3PROXY_VERSION")).resolve("s3proxy.jar"));
    b.requirePresent();
    return b;
  }

  /**
   * promtool, which checks and unit-tests Prometheus rules; only the tests of the alert rules need
   * it, so {@link #locate} does not require it.
   */
  public Path promtool() {
    Path promtool = cacheDir.resolve("promtool-" + need(versions, "PROMTOOL_VERSION")).resolve("promtool");
    if (!Files.isExecutable(promtool)) {
      throw new IllegalStateException("test-kit binary missing: " + promtool + " -- run `make testkit` (bash testkit/build.sh) first");
    }
    return promtool;
  }

  public String veleroVersion() {
    return versions.get("VELERO_VERSION");
  }

  public String kubernetesVersion() {
    return versions.get("K8S_VERSION");
  }

  private void requirePresent() {
    List<String> missing = new ArrayList<>();
    for (Path p : List.of(kubeApiserver, kubectl, etcd, velero)) {
      if (!Files.isExecutable(p)) {
        missing.add(p.toString());
      }
    }
    if (!Files.isExecutable(veleroPluginDir.resolve("velero-plugin-for-aws"))) {
      missing.add(veleroPluginDir.resolve("velero-plugin-for-aws").toString());
    }
    if (!Files.isRegularFile(s3proxyJar)) {
      missing.add(s3proxyJar.toString());
    }
    if (!missing.isEmpty()) {
      throw new IllegalStateException(
          "test-kit binaries missing: "
              + String.join(", ", missing)
              + " -- run `make testkit` (bash testkit/build.sh) first");
    }
  }

  private static String need(Map<String, String> v, String key) {
    String value = v.get(key);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException("testkit/versions.env has no " + key);
    }
    return value;
  }

  static Path findVersionsFile() {
    String explicit =
        Optional.ofNullable(System.getProperty("fleetbackup.testkit.versions"))
            .orElse(System.getenv("FLEET_BACKUP_TESTKIT_VERSIONS"));
    if (explicit != null && !explicit.isBlank()) {
      return Path.of(explicit);
    }
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      Path candidate = d.resolve("testkit").resolve("versions.env");
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        "cannot find testkit/versions.env above "
            + Path.of("").toAbsolutePath()
            + "; run from the fleet-backup checkout or set FLEET_BACKUP_TESTKIT_VERSIONS");
  }

  static Map<String, String> readEnvFile(Path file) {
    try {
      Map<String, String> out = new LinkedHashMap<>();
      for (String line : Files.readAllLines(file)) {
        String t = line.strip();
        if (t.isEmpty() || t.startsWith("#") || !t.contains("=")) {
          continue;
        }
        int eq = t.indexOf('=');
        out.put(t.substring(0, eq).strip(), t.substring(eq + 1).strip());
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
