package dev.fleetbackup.report;

import static dev.fleetbackup.report.SampleReports.t;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.fleetbackup.model.ClusterRun;
import dev.fleetbackup.model.ClusterState;
import dev.fleetbackup.model.Condition;
import dev.fleetbackup.model.Kind;
import dev.fleetbackup.model.ResourceId;
import dev.fleetbackup.model.VeleroPhase;
import dev.fleetbackup.model.VeleroRun;
import dev.fleetbackup.model.WorkflowStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class StatusJsonTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Schema SCHEMA = schema();

  private final StatusFiles files = new StatusFiles();

  private static Schema schema() {
    SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
        b -> b.schemaIdResolvers(r -> r.mapPrefix("https://fleet-backup.dev/schemas/", "classpath:schemas/")));
    return registry.getSchema(SchemaLocation.of("https://fleet-backup.dev/schemas/status.schema.json"));
  }

  private byte[] statusJson(StatusReport report) {
    return files.render(report).get(StatusFiles.STATUS_JSON);
  }

  private JsonNode tree(StatusReport report) {
    return JSON.readTree(statusJson(report));
  }

  @Test
  void namesItsSchemaAndVersionFirst() {
    String text = new String(statusJson(SampleReports.quickstart()), UTF_8);

    assertThat(text).startsWith("{\n  \"$schema\": \"https://fleet-backup.dev/schemas/status.schema.json\",\n"
        + "  \"schemaVersion\": 1,\n  \"pass\": {\n    \"finishedAt\": \"2026-11-25T14:03:11Z\",\n"
        + "    \"took\": \"PT4.217S\",\n    \"interval\": \"PT1M\",\n    \"staleAfter\": \"2026-11-25T14:06:11Z\"\n  },\n");
    assertThat(text).endsWith("}\n").doesNotContain("\r");
  }

  @Test
  void holdsWhatTheReadmeShows() {
    JsonNode root = tree(SampleReports.quickstart());

    assertThat(root.at("/source/applied/sha").stringValue()).isEqualTo("4f2c9e1b7d3a5c8e9f0a1b2c3d4e5f6a7b8c9d0e");
    assertThat(root.at("/source/rejected/errors/1/file").stringValue()).isEqualTo("restores/shop.yaml");
    assertThat(root.at("/source/rejected/errors/1/line").intValue()).isEqualTo(6);
    assertThat(root.at("/summary/clustersReady").intValue()).isEqualTo(2);
    assertThat(root.at("/summary/needsAttention").intValue()).isEqualTo(6);
    assertThat(root.at("/needsAttention/2/what").stringValue()).isEqualTo("cluster unreachable");
    assertThat(root.at("/needsAttention/2/where").stringValue()).isEqualTo("kurator-member3");
    assertThat(root.at("/needsAttention/2").has("since")).isFalse();
    assertThat(root.at("/clusters/2/reachable").booleanValue()).isFalse();
    assertThat(root.at("/clusters/2/velero").has("version")).isFalse();
    assertThat(root.at("/clusters/1/lastApply/configured").intValue()).isEqualTo(1);
    assertThat(root.at("/backups/0/name").stringValue()).isEqualTo("nightly");
    assertThat(root.at("/backups/0/schedule").stringValue()).isEqualTo("0 2 * * *");
    assertThat(root.at("/backups/0/clusters/1/current/phase").stringValue()).isEqualTo("PartiallyFailed");
    assertThat(root.at("/backups/0/clusters/1/current/errors").intValue()).isEqualTo(2);
    assertThat(root.at("/backups/0/clusters/1/lastCompleted/completed").stringValue()).isEqualTo("2026-11-23T02:20:05Z");
    assertThat(root.at("/restores/1/clusters/0/waitingFor").stringValue())
        .isEqualTo("a completed run of schedule kurator-member1-backup-default-weekly");
    assertThat(root.at("/migrations/0/phase").stringValue()).isEqualTo("RestoreInProgress");
    assertThat(root.at("/migrations/0/clusters/1/role").stringValue()).isEqualTo("target");
  }

  @Test
  void carriesTheBannersLevelAndCountsAndUntilWhenThePassIsCurrent() {
    JsonNode root = tree(SampleReports.quickstart());

    assertThat(root.at("/pass/interval").stringValue()).isEqualTo("PT1M");
    assertThat(root.at("/pass/staleAfter").stringValue()).isEqualTo("2026-11-25T14:06:11Z");
    assertThat(root.at("/summary/level").stringValue()).isEqualTo("caution");
    assertThat(JSON.writeValueAsString(root.at("/summary/counts"))).isEqualTo("{\"rejectedCommits\":1,\"fetchFailures\":0,"
        + "\"unreachableClusters\":1,\"failedClusters\":0,\"failedRuns\":0,\"failedWorkflows\":1,"
        + "\"partiallyFailedRuns\":1,\"clustersNotReady\":0,\"clusterWarnings\":0,\"runsInProgress\":1}");
    assertThat(tree(SampleReports.healthy()).at("/summary/level").stringValue()).isEqualTo("tip");
    assertThat(tree(SampleReports.empty()).at("/pass").has("staleAfter")).as("no interval, no deadline").isFalse();
  }

  @Test
  void carriesEachClustersHistoryOldestFirstAndARestoresBackup() {
    JsonNode root = tree(SampleReports.quickstart());

    JsonNode history = root.at("/backups/0/clusters/1/history");
    assertThat(history.size()).isEqualTo(3);
    assertThat(history.get(0).get("phase").stringValue()).isEqualTo("Completed");
    assertThat(history.get(2).get("name").stringValue()).isEqualTo("kurator-member2-backup-default-nightly-20261125020000");
    assertThat(root.at("/backups/0/clusters/0/history").size()).isEqualTo(10);
    assertThat(root.at("/restores/0/backupName").stringValue()).isEqualTo("select-labels");
  }

  @Test
  void neverHoldsANull() {
    assertThat(JSON.writeValueAsString(tree(SampleReports.quickstart()))).doesNotContain("null");
    assertThat(nulls(tree(withOddValues()))).isZero();
  }

  private static int nulls(JsonNode node) {
    if (node.isNull()) {
      return 1;
    }
    int count = 0;
    for (JsonNode child : node.values()) {
      count += nulls(child);
    }
    return count;
  }

  @Test
  void matchesItsSchema() {
    for (StatusReport report : List.of(SampleReports.quickstart(), SampleReports.empty(), withOddValues(),
        SampleReports.quickstart().withoutTiming(), SampleReports.healthy())) {
      List<Error> errors = SCHEMA.validate(tree(report));
      assertThat(errors).as("schema errors").isEmpty();
    }
  }

  @Test
  void schemaRefusesWhatTheRendererNeverWrites() {
    ObjectNode withNull = (ObjectNode) tree(SampleReports.quickstart());
    ((ObjectNode) withNull.at("/clusters/0")).putNull("error");
    ObjectNode unknownPhase = (ObjectNode) tree(SampleReports.quickstart());
    ((ObjectNode) unknownPhase.at("/backups/0/clusters/0/current")).put("phase", "Exploded");
    ObjectNode localTime = (ObjectNode) tree(SampleReports.quickstart());
    ((ObjectNode) localTime.at("/pass")).put("finishedAt", "2026-11-25T15:03:11+01:00");

    assertThat(SCHEMA.validate(withNull)).extracting(e -> e.getInstanceLocation().toString()).containsOnly("/clusters/0/error");
    assertThat(SCHEMA.validate(unknownPhase)).extracting(e -> e.getInstanceLocation().toString()).containsOnly("/backups/0/clusters/0/current/phase");
    assertThat(SCHEMA.validate(localTime)).extracting(e -> e.getInstanceLocation().toString()).containsOnly("/pass/finishedAt");
  }

  @Test
  void schemaKnowsEveryVeleroPhase() {
    List<String> phases = new ArrayList<>();
    SCHEMA.getSchemaNode().at("/$defs/veleroRun/properties/phase/enum").values().forEach(p -> phases.add(p.stringValue()));

    assertThat(phases).containsExactlyInAnyOrderElementsOf(Arrays.stream(VeleroPhase.values()).map(VeleroPhase::text).toList());
  }

  @Test
  void parseIsTheInverseOfRendering() {
    for (StatusReport report : List.of(SampleReports.quickstart(), SampleReports.empty(), withOddValues(),
        SampleReports.quickstart().withoutTiming(), SampleReports.healthy())) {
      assertThat(files.parse(statusJson(report))).isEqualTo(StatusFiles.ordered(report));
    }
  }

  @Test
  void parseRefusesWhatItCannotRead() {
    assertThatThrownBy(() -> files.parse("{\"schemaVersion\": ".getBytes(UTF_8)))
        .isInstanceOf(StatusFormatException.class).hasMessageStartingWith("status.json is not JSON");
    assertThatThrownBy(() -> files.parse("[]".getBytes(UTF_8)))
        .isInstanceOf(StatusFormatException.class).hasMessage("status.json does not hold a JSON object");

    ObjectNode newer = (ObjectNode) tree(SampleReports.quickstart());
    newer.put("schemaVersion", 2);
    assertThatThrownBy(() -> files.parse(JSON.writeValueAsBytes(newer)))
        .isInstanceOf(StatusFormatException.class)
        .hasMessageContaining("schemaVersion 2, this fleet-backup reads version 1");

    ObjectNode broken = (ObjectNode) tree(SampleReports.quickstart());
    ((ObjectNode) broken.at("/clusters/0")).remove("reachable");
    assertThatThrownBy(() -> files.parse(JSON.writeValueAsBytes(broken)))
        .isInstanceOf(StatusFormatException.class)
        .hasMessageContaining("does not match https://fleet-backup.dev/schemas/status.schema.json")
        .hasMessageContaining("reachable");
  }

  /**
   * Values the sample leaves out: conditions without reason, message or time; a run recorded in
   * another cluster than its entry (a migration's backup as synced to a target); validation errors;
   * a failure reason; sub-second instants; a sha and a run phase Velero may add later; a cluster's warnings.
   */
  static StatusReport withOddValues() {
    VeleroRun failed = new VeleroRun("kurator-member1", "kurator-member1-backup-default-odd", VeleroPhase.FAILED_VALIDATION,
        Optional.of(t("2026-11-25T13:00:00.123456789Z")), Optional.empty(), Optional.empty(), 0, 0, 0, 0,
        Optional.of("backup storage location default is unavailable"),
        List.of("include-resources \"foo\" not found", "invalid ttl"));
    VeleroRun synced = new VeleroRun("kurator-member1", "kurator-member1-migrate-default-odd", VeleroPhase.parse("Exploded"),
        Optional.empty(), Optional.empty(), Optional.empty(), 0, 0, 0, 0, Optional.empty(), List.of());
    WorkflowStatus odd = new WorkflowStatus(new ResourceId(Kind.BACKUP, "default", "odd"), "Failed",
        List.of(new Condition(Condition.STALLED, Condition.Status.True, null, null, null)),
        List.of(new ClusterRun("kurator-member1", "backup", Optional.empty(), Optional.of(failed), Optional.empty(),
                Optional.empty()),
            new ClusterRun("kurator-member2", "target", Optional.empty(), Optional.of(synced), Optional.empty(),
                Optional.of("Velero's backup sync"))),
        Optional.empty(), List.of());
    StatusReport base = SampleReports.quickstart();
    List<WorkflowStatus> backups = new ArrayList<>(base.backups());
    backups.add(odd);
    List<ClusterState> clusters = new ArrayList<>(base.clusters());
    ClusterState first = clusters.get(0);
    clusters.set(0, new ClusterState(first.cluster(), first.fleet(), first.reachable(), first.failure(), first.veleroReady(),
        first.veleroVersion(), first.backupLocationPhase(), first.lastApply(), List.of(
            new ClusterState.Warning("InventoryEdited", "inventory edited", "edited by kubectl-edit", Optional.of(t("2026-12-02T03:10:00Z"))),
            new ClusterState.Warning("InventoryDeleted", "inventory deleted", "missing", Optional.empty()))));
    return new StatusReport(t("2026-11-25T14:03:11.5Z"), Duration.ofHours(1).plusMillis(7), base.applied(),
        base.rejected(), Optional.of("fetch timed out after 60 s"), clusters, backups, base.restores(),
        base.migrations());
  }
}
