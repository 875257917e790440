package dev.fleetbackup.testkit;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An S3 server on loopback with one bucket: s3proxy (from Maven Central, cached by {@code make
 * testkit}) over a filesystem store in a directory. Path-style addressing, AWS Signature V4 (and
 * V2) authentication with a fixed access key and secret.
 *
 * <p>{@link #startProcess} runs it as its own JVM, as Velero needs it; {@link #startInProcess}
 * runs it inside this JVM in an isolated class loader (no dependency clash with the project's
 * classpath), for Java tests that only need a bucket.
 */
public final class S3Server implements AutoCloseable {
  private static final Logger logger = LoggerFactory.getLogger(S3Server.class);

  public static final String DEFAULT_BUCKET = "fleet-backup";
  public static final String REGION = "us-east-1";
  public static final String ACCESS_KEY = "fleetbackup";
  public static final String SECRET_KEY = "fleetbackup-secret-key";

  private final URI endpoint;
  private final String bucket;
  private final Path storeDir;
  private final S3Client client;
  private final AutoCloseable stopper;

  private S3Server(URI endpoint, String bucket, Path storeDir, AutoCloseable stopper) {
    this.endpoint = endpoint;
    this.bucket = bucket;
    this.storeDir = storeDir;
    this.stopper = stopper;
    this.client = new S3Client(endpoint, REGION, ACCESS_KEY, SECRET_KEY);
  }

  /** Starts s3proxy as a separate process (logs in {@code dir/s3proxy.log}). */
  public static S3Server startProcess(Path dir, String bucket) {
    Kit kit = Kit.create();
    return startProcess(dir, bucket, kit.binaries(), kit.ports(), kit.registry());
  }

  static S3Server startProcess(
      Path dir, String bucket, TestkitBinaries bins, Ports ports, ProcessRegistry registry) {
    int port = ports.free();
    Path store = mkdirs(dir.resolve("store"));
    Path conf = dir.resolve("s3proxy.conf");
    Properties p = properties(port, store);
    try (var w = Files.newBufferedWriter(conf)) {
      p.store(w, "s3proxy for the fleet-backup test kit");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ManagedProcess proc =
        ManagedProcess.start(
            "s3proxy",
            List.of(
                java,
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Djava.io.tmpdir=" + mkdirs(dir.resolve("tmp")),
                "-jar",
                bins.s3proxyJar().toString(),
                "--properties",
                conf.toString()),
            Map.of(),
            dir,
            dir.resolve("s3proxy.log"),
            registry);
    S3Server s3 =
        new S3Server(
            URI.create("http://127.0.0.1:" + port), bucket, store, () -> proc.stop(Duration.ofSeconds(5)));
    try {
      s3.awaitUp(proc);
      s3.client.createBucket(bucket);
    } catch (RuntimeException e) {
      proc.stop(Duration.ofSeconds(2));
      throw new IllegalStateException(
          "s3proxy did not start: " + e.getMessage() + "\n--- s3proxy.log ---\n" + proc.logTail(4000), e);
    }
    return s3;
  }

  /** Starts s3proxy inside this JVM (isolated class loader), with a filesystem store in dir. */
  public static S3Server startInProcess(Path dir, String bucket) {
    TestkitBinaries bins = TestkitBinaries.locate();
    int port = new Ports().free();
    Path store = mkdirs(dir.resolve("store"));
    Properties props = properties(port, store);
    Thread t = Thread.currentThread();
    ClassLoader previous = t.getContextClassLoader();
    URLClassLoader cl;
    try {
      cl = new URLClassLoader(
          new URL[] {bins.s3proxyJar().toUri().toURL()}, ClassLoader.getPlatformClassLoader());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      t.setContextClassLoader(cl);
      Class<?> contextBuilder = cl.loadClass("org.jclouds.ContextBuilder");
      Class<?> blobStoreContext = cl.loadClass("org.jclouds.blobstore.BlobStoreContext");
      Class<?> blobStoreType = cl.loadClass("org.jclouds.blobstore.BlobStore");
      Object b = contextBuilder.getMethod("newBuilder", String.class).invoke(null, props.getProperty("jclouds.provider"));
      b = contextBuilder.getMethod("credentials", String.class, String.class).invoke(b, "local", "local");
      b = contextBuilder.getMethod("overrides", Properties.class).invoke(b, props);
      Object ctx = contextBuilder.getMethod("build", Class.class).invoke(b, blobStoreContext);
      Object blobStore = blobStoreContext.getMethod("getBlobStore").invoke(ctx);
      Class<?> builderType = cl.loadClass("org.gaul.s3proxy.S3Proxy$Builder");
      Object builder = builderType.getMethod("fromProperties", Properties.class).invoke(null, props);
      builder = builderType.getMethod("blobStore", blobStoreType).invoke(builder, blobStore);
      Object proxy = builderType.getMethod("build").invoke(builder);
      Method start = proxy.getClass().getMethod("start");
      Method stop = proxy.getClass().getMethod("stop");
      start.invoke(proxy);
      Method close = blobStoreContext.getMethod("close");
      S3Server s3 =
          new S3Server(
              URI.create("http://127.0.0.1:" + port),
              bucket,
              store,
              () -> {
                ClassLoader prev = Thread.currentThread().getContextClassLoader();
                Thread.currentThread().setContextClassLoader(cl);
                try {
                  stop.invoke(proxy);
                  close.invoke(ctx);
                } finally {
                  Thread.currentThread().setContextClassLoader(prev);
                  cl.close();
                }
              });
      s3.awaitUp(null);
      s3.client.createBucket(bucket);
      return s3;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot start s3proxy in-process from " + bins.s3proxyJar(), e);
    } finally {
      t.setContextClassLoader(previous);
    }
  }

  private static Properties properties(int port, Path store) {
    Properties p = new Properties();
    p.setProperty("s3proxy.endpoint", "http://127.0.0.1:" + port);
    p.setProperty("s3proxy.authorization", "aws-v2-or-v4");
    p.setProperty("s3proxy.identity", ACCESS_KEY);
    p.setProperty("s3proxy.credential", SECRET_KEY);
    // Velero's AWS plugin (v1.14.x) sends `x-amz-tagging` on every PutObject, even when empty;
    // s3proxy answers any x-amz-* header outside its list with 501 NotImplemented unless told
    // to ignore the ones it does not know.
    p.setProperty("s3proxy.ignore-unknown-headers", "true");
    // s3proxy's own NIO.2 filesystem store (what its Main picks for "filesystem"); jclouds' old
    // "filesystem" store lists directory markers as keys.
    p.setProperty("jclouds.provider", "filesystem-nio2");
    p.setProperty("jclouds.filesystem.basedir", store.toString());
    return p;
  }

  private void awaitUp(ManagedProcess proc) {
    await("s3proxy on " + endpoint).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
        .until(() -> {
          if (proc != null && !proc.isAlive()) {
            throw new IllegalStateException("s3proxy exited with " + proc.exitCode());
          }
          return Ports.listening(endpoint.getPort());
        });
  }

  public URI endpoint() {
    return endpoint;
  }

  public String bucket() {
    return bucket;
  }

  public String region() {
    return REGION;
  }

  public String accessKey() {
    return ACCESS_KEY;
  }

  public String secretKey() {
    return SECRET_KEY;
  }

  /** Where the filesystem store keeps the buckets (one directory per bucket). */
  public Path storeDir() {
    return storeDir;
  }

  /** The content of an AWS shared credentials file, as Velero's {@code cloud-credentials} Secret holds it. */
  public String awsCredentialsFile() {
    return "[default]\naws_access_key_id=" + ACCESS_KEY + "\naws_secret_access_key=" + SECRET_KEY + "\n";
  }

  /** Object keys in the bucket under a prefix ("" for all), through the S3 API. */
  public List<String> listKeys(String prefix) {
    return client.listKeys(bucket, prefix);
  }

  public List<String> listKeys() {
    return listKeys("");
  }

  public byte[] getObject(String key) {
    return client.getObject(bucket, key);
  }

  public void putObject(String key, byte[] content) {
    client.putObject(bucket, key, content);
  }

  /** Creates another bucket on the same server. */
  public void createBucket(String name) {
    client.createBucket(name);
  }

  @Override
  public void close() {
    try {
      stopper.close();
    } catch (Exception e) {
      logger.warn("stopping s3proxy at {} failed: {}", endpoint, e.toString());
    }
  }

  private static Path mkdirs(Path p) {
    try {
      return Files.createDirectories(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String toString() {
    return "S3Server[" + endpoint + "/" + bucket + "]";
  }
}
