package dev.fleetbackup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/** What ships: the jar the image runs holds the product and its libraries, and nothing of the tests or the sandbox. */
class ProductJarIT {
  /** Test kit, sandbox, test libraries, and the servers the tests start (HTTP and SSH Git, S3). */
  private static final List<String> NEVER_SHIPPED = List.of("dev/fleetbackup/testkit/", "dev/fleetbackup/sandbox/",
      "org/junit/", "org/assertj/", "org/awaitility/", "com/tngtech/archunit/", "org/eclipse/jetty/",
      "org/eclipse/jgit/http/server/", "org/apache/sshd/git/", "org/gaul/s3proxy/");

  @Test
  void theProductJarHoldsNoTestKitSandboxOrTestLibraryClass() throws IOException {
    try (JarFile jar = new JarFile(ProductJar.path().toFile())) {
      List<String> entries = jar.stream().map(ZipEntry::getName).toList();

      assertThat(entries).filteredOn(e -> NEVER_SHIPPED.stream().anyMatch(e::startsWith)).isEmpty();
      assertThat(entries).contains("dev/fleetbackup/cli/Main.class", "dev/fleetbackup/pipeline/Pipeline.class",
          "schemas/fleet.schema.json");
      assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class")).isEqualTo("dev.fleetbackup.cli.Main");
    }
  }

  @Test
  void theProductJarKnowsNoSandboxCommand() throws Exception {
    Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
        ProductJar.path().toString(), "sandbox").redirectErrorStream(true).start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(process.exitValue()).as(output).isEqualTo(2);
    assertThat(output).contains("Unmatched argument at index 0: 'sandbox'");
  }
}
