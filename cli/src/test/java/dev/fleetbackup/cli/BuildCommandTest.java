package dev.fleetbackup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetbackup.pipeline.ExitCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import tools.jackson.databind.JsonNode;

/** {@code build} prints what each member should hold, reading no cluster and no credential. */
class BuildCommandTest {
  private final Cli cli = new Cli();

  @Test
  void theSampleRepoBuildsIntoOneYamlDocumentPerObjectWithoutACredential() {
    int exit = cli.run("build", "--repo", "sample-repo");

    assertThat(exit).as(cli.err.toString()).isEqualTo(ExitCode.OK.code());
    List<Map<String, Object>> objects = documents(cli.out.toString());
    assertThat(cli.out.toString()).startsWith("# cluster kurator-member1 (namespace default, fleet quickstart): ")
        .contains("# cluster kurator-member2 (", "# cluster kurator-member3 (", "# a run: created once, never applied again");
    assertThat(objects).extracting(o -> o.get("kind")).contains("Namespace", "Deployment", "BackupStorageLocation", "Schedule", "Backup");
    List<Object> secrets = objects.stream().filter(o -> "Secret".equals(o.get("kind"))).map(o -> o.get("data")).toList();
    assertThat(secrets).isNotEmpty().allSatisfy(data -> assertThat(data).isEqualTo(Map.of("cloud", "***")));
  }

  @Test
  void oneClusterAsJson() throws IOException {
    int exit = cli.run("build", "--repo", "sample-repo", "--cluster", "kurator-member2", "-o", "json");

    assertThat(exit).as(cli.err.toString()).isEqualTo(ExitCode.OK.code());
    JsonNode json = Json.MAPPER.readTree(cli.out.toString());
    assertThat(json.get("clusters")).hasSize(1);
    assertThat(json.get("clusters").get(0).get("cluster").asString()).isEqualTo("kurator-member2");
    assertThat(json.get("clusters").get(0).get("objects").size()).isPositive();
  }

  @Test
  void anUnknownClusterIsAUsageError() {
    int exit = cli.run("build", "--repo", "sample-repo", "--cluster", "nope");

    assertThat(exit).isEqualTo(ExitCode.ERROR.code());
    assertThat(cli.err.toString()).startsWith("--cluster: no member cluster named nope in the config repo");
    assertThat(cli.out.toString()).isEmpty();
  }

  @Test
  void anInvalidRepoIsPrintedAsValidatePrintsItAndNothingIsBuilt(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("fleet.yaml"), """
        apiVersion: fleet.kurator.dev/v1alpha1
        kind: Fleet
        metadata:
          name: quickstart
          namespace: default
        spec:
          clusterz: []
        """);

    int exit = cli.run("build", "--repo", dir.toString());

    assertThat(exit).isEqualTo(ExitCode.FINDINGS.code());
    assertThat(cli.out.toString()).contains("fleet.yaml:7:3: error: ").doesNotContain("# cluster");
  }

  private static List<Map<String, Object>> documents(String yaml) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Object doc : new Load(LoadSettings.builder().build()).loadAllFromString(yaml)) {
      if (doc != null) {
        @SuppressWarnings("unchecked")
        Map<String, Object> object = (Map<String, Object>) doc;
        out.add(object);
      }
    }
    return out;
  }
}
