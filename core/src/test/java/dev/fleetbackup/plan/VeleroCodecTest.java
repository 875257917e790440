package dev.fleetbackup.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetbackup.model.LabelSelector;
import dev.fleetbackup.model.RunCounters;
import dev.fleetbackup.model.VeleroBackup;
import dev.fleetbackup.model.VeleroLocation;
import dev.fleetbackup.model.VeleroLocationPhase;
import dev.fleetbackup.model.VeleroMeta;
import dev.fleetbackup.model.VeleroPhase;
import dev.fleetbackup.model.VeleroRestore;
import dev.fleetbackup.model.VeleroSchedule;
import dev.fleetbackup.model.VeleroSchedulePhase;
import dev.fleetbackup.model.VeleroServer;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class VeleroCodecTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Instant T = Instant.parse("2026-11-25T02:00:00Z");
  private static final VeleroMeta META = new VeleroMeta("nightly-1", "velero", Map.of("app.kubernetes.io/managed-by", "fleet-backup"),
      Map.of("fleet-backup.dev/run", "nightly"), Optional.of(T));

  private static JsonNode json(String text) {
    return JSON.readTree(text);
  }

  private static VeleroBackup.Spec backupSpec() {
    return new VeleroBackup.Spec(List.of("shop"), List.of("tmp"), List.of(), List.of(), Optional.of(false), List.of("storageclasses"),
        List.of(), List.of(), List.of("events"),
        Optional.of(new LabelSelector(Map.of("app", "shop"), List.of(new LabelSelector.Requirement("tier", "In", List.of("web"))))),
        List.of(), Optional.of("720h"), Map.of("pods", "shop/a"), Optional.of("default"), Optional.of(true),
        Map.of("resources", List.of(Map.of("name", "freeze", "pre", List.of(Map.of("exec", Map.of("command", List.of("/bin/sync"))))))),
        List.of("default"), Optional.of(true), Optional.of("5m"), Optional.of("1h"), Optional.of(new VeleroBackup.LocalRef("ConfigMap", "policies")),
        Optional.of(false), Optional.of("velero"));
  }

  @Test
  void eachKindRoundTripsThroughTheApiForm() throws Exception {
    VeleroBackup backup = new VeleroBackup(META, backupSpec(), new VeleroBackup.Status("PartiallyFailed", Optional.of(T),
        Optional.of(T.plusSeconds(60)), Optional.of(T.plusSeconds(86400)), 10, 9, 1, 2, Optional.of("one item failed"), List.of("a", "b"),
        new RunCounters(1, "1.1.0", 3, 2, 1, 4, 4, 5, 4, 1, 6, 1)));
    VeleroRestore restore = new VeleroRestore(META, new VeleroRestore.Spec("nightly-1", Optional.empty(), List.of("shop"), List.of(),
        List.of(), List.of("secrets"), Optional.of(true), Optional.empty(), List.of(new LabelSelector(Map.of("a", "b"), List.of())),
        Map.of("shop", "shop-restored"), Optional.of(new VeleroRestore.StatusFilter(List.of("deployments"), List.of())), Optional.of(true),
        Optional.of(false), Map.of(), Optional.of("update"), Optional.of("30m"), Optional.of(new VeleroBackup.LocalRef("ConfigMap", "modifiers"))),
        new VeleroRestore.Status("InProgress", Optional.of(T), Optional.empty(), 10, 4, 0, 0, Optional.empty(), List.of(),
            new RunCounters(0, "", 0, 0, 0, 0, 0, 2, 1, 0, 1, 0)));
    VeleroSchedule schedule = new VeleroSchedule(META, new VeleroSchedule.Spec("0 2 * * *", backupSpec(), Optional.of(true), Optional.of(true),
        Optional.of(false)),
        new VeleroSchedule.Status("Enabled", Optional.of(T), List.of()));
    VeleroLocation location = new VeleroLocation(META, new VeleroLocation.Spec("aws",
        new VeleroLocation.ObjectStorage("velero", "kurator-member1", Optional.empty()), Map.of("s3Url", "http://minio:9000", "checksumAlgorithm", ""),
        Optional.of(new VeleroLocation.Credential("fleet-velero-s3", "cloud")), Optional.of(false), Optional.of("ReadOnly"),
        Optional.of("5m"), Optional.of("1m")),
        new VeleroLocation.Status("Unavailable", Optional.of("NoSuchBucket"), Optional.of(T), Optional.of(T.plusSeconds(5))));

    assertThat(VeleroCodec.backup(VeleroCodec.encode(backup))).isEqualTo(backup);
    assertThat(VeleroCodec.restore(VeleroCodec.encode(restore))).isEqualTo(restore);
    assertThat(VeleroCodec.schedule(VeleroCodec.encode(schedule))).isEqualTo(schedule);
    assertThat(VeleroCodec.location(VeleroCodec.encode(location))).isEqualTo(location);
  }

  @Test
  void writesVelerosFieldNamesAndTheKindsApiVersion() {
    ObjectNode location = VeleroCodec.encode(new VeleroLocation(VeleroMeta.of("default", "velero", Map.of(), Map.of()),
        new VeleroLocation.Spec("aws", new VeleroLocation.ObjectStorage("velero", "m1", Optional.empty()), Map.of(), Optional.empty(),
            Optional.of(true), Optional.of("ReadWrite"), Optional.empty(), Optional.empty()), null));

    assertThat(location.toString()).isEqualTo("{\"apiVersion\":\"velero.io/v1\",\"kind\":\"BackupStorageLocation\","
        + "\"metadata\":{\"name\":\"default\",\"namespace\":\"velero\"},"
        + "\"spec\":{\"provider\":\"aws\",\"objectStorage\":{\"bucket\":\"velero\",\"prefix\":\"m1\"},\"default\":true,\"accessMode\":\"ReadWrite\"}}");
  }

  @Test
  void absentFieldsAreNeverWrittenAndSetOnesAreEvenWhenFalseOrEmpty() {
    ObjectNode empty = VeleroCodec.encode(new VeleroBackup(VeleroMeta.of("b", "velero", Map.of(), Map.of()), VeleroBackup.Spec.EMPTY, null));
    assertThat(empty.path("spec").isEmpty()).as("no default, null or empty value is sent, so none is owned").isTrue();
    assertThat(empty.has("status")).isFalse();
    assertThat(empty.path("metadata").has("labels")).isFalse();

    ObjectNode set = VeleroCodec.encode(new VeleroBackup(META, backupSpec(), null));
    assertThat(set.path("spec").path("includeClusterResources").isBoolean()).isTrue();
    assertThat(set.path("spec").path("includeClusterResources").asBoolean()).isFalse();
    assertThat(set.path("spec").has("includedResources")).isFalse();
    assertThat(set.path("spec").path("labelSelector").path("matchExpressions").get(0).has("values")).isTrue();
    assertThat(VeleroCodec.tree(VeleroBackup.Spec.EMPTY).isEmpty()).isTrue();
  }

  @Test
  void aPhaseThisVersionDoesNotKnowIsUnknownAndKeepsVelerosWord() throws Exception {
    VeleroBackup backup = VeleroCodec.backup(json("""
        {"apiVersion":"velero.io/v1","kind":"Backup","metadata":{"name":"b"},"status":{"phase":"Cancelling"}}"""));
    VeleroSchedule schedule = VeleroCodec.schedule(json("""
        {"kind":"Schedule","metadata":{"name":"s"},"spec":{"schedule":"@daily"},"status":{"phase":"Paused"}}"""));
    VeleroLocation location = VeleroCodec.location(json("""
        {"kind":"BackupStorageLocation","metadata":{"name":"default"},"spec":{"provider":"aws"},"status":{"phase":"Degraded"}}"""));

    assertThat(backup.status().phase()).isEqualTo(VeleroPhase.UNKNOWN);
    assertThat(backup.run("m1").phaseText()).isEqualTo("Cancelling");
    assertThat(backup.run("m1").phase()).isEqualTo(VeleroPhase.UNKNOWN);
    assertThat(VeleroCodec.encode(backup).path("status").path("phase").asString()).isEqualTo("Cancelling");
    assertThat(schedule.status().phase()).isEqualTo(VeleroSchedulePhase.UNKNOWN);
    assertThat(schedule.status().phaseText()).isEqualTo("Paused");
    assertThat(location.status().phase()).isEqualTo(VeleroLocationPhase.UNKNOWN);
    assertThat(location.available()).isFalse();
    assertThat(location.describe()).isEqualTo("location default is Degraded");
  }

  @Test
  void aMissingStatusReadsAsNothingSeenYetAndIsNotWrittenBack() throws Exception {
    VeleroBackup backup = VeleroCodec.backup(json("{\"kind\":\"Backup\",\"metadata\":{\"name\":\"b\"},\"spec\":{}}"));
    VeleroRestore restore = VeleroCodec.restore(json("{\"kind\":\"Restore\",\"metadata\":{\"name\":\"r\"}}"));
    VeleroSchedule schedule = VeleroCodec.schedule(json("{\"kind\":\"Schedule\",\"metadata\":{\"name\":\"s\"}}"));
    VeleroLocation location = VeleroCodec.location(json("{\"kind\":\"BackupStorageLocation\",\"metadata\":{\"name\":\"l\"},\"spec\":{}}"));

    assertThat(backup.status()).isEqualTo(VeleroBackup.Status.NONE);
    assertThat(backup.status().phase()).isEqualTo(VeleroPhase.NEW);
    assertThat(backup.run("m1").phaseText()).isEqualTo("New");
    assertThat(restore.status()).isEqualTo(VeleroRestore.Status.NONE);
    assertThat(schedule.status().phase()).isEqualTo(VeleroSchedulePhase.NEW);
    assertThat(schedule.spec()).isEqualTo(VeleroSchedule.Spec.EMPTY);
    assertThat(location.status().phase()).isEqualTo(VeleroLocationPhase.NOT_VALIDATED);
    assertThat(location.describe()).isEqualTo("location l not validated yet");
    assertThat(VeleroCodec.encode(backup).has("status")).isFalse();
    assertThat(VeleroCodec.encode(location).has("status")).isFalse();
  }

  @Test
  void fieldsVeleroAddsAreReadPastAndWhatFleetBackupReadsIsKept() throws Exception {
    VeleroBackup backup = VeleroCodec.backup(json("""
        {"apiVersion":"velero.io/v1","kind":"Backup",
         "metadata":{"name":"b","namespace":"velero","creationTimestamp":"2026-11-25T02:00:00Z","uid":"x","generation":3,
                     "labels":{"velero.io/schedule-name":"nightly"}},
         "spec":{"includedNamespaces":["shop"],"ttl":"720h0m0s","storageLocation":"readonly-m1","csiSnapshotTimeout":"10m0s",
                 "hooks":{},"snapshotMoveData":false,"itemOperationTimeout":"4h0m0s","volumeSnapshotLocations":[]},
         "status":{"phase":"Completed","formatVersion":"1.1.0","version":1,"progress":{"totalItems":12,"itemsBackedUp":12},
                   "completionTimestamp":"2026-11-25T02:01:00Z","hookStatus":{"hooksAttempted":2},
                   "volumeSnapshotsAttempted":1,"csiVolumeSnapshotsCompleted":4,"backupItemOperationsFailed":1}}"""));

    assertThat(backup.spec().includedNamespaces()).containsExactly("shop");
    assertThat(backup.spec().ttl()).contains("720h0m0s");
    assertThat(backup.spec().storageLocation()).contains("readonly-m1");
    assertThat(backup.metadata().created()).contains(T);
    assertThat(backup.metadata().labels()).containsEntry("velero.io/schedule-name", "nightly");
    assertThat(backup.status().phase()).isEqualTo(VeleroPhase.COMPLETED);
    assertThat(backup.status().totalItems()).isEqualTo(12);
    assertThat(backup.status().itemsBackedUp()).isEqualTo(12);
    assertThat(backup.status().completionTimestamp()).contains(T.plusSeconds(60));
    assertThat(backup.status().counters()).isEqualTo(new RunCounters(1, "1.1.0", 0, 1, 0, 0, 4, 0, 0, 1, 2, 0));
  }

  @Test
  void oddStatusValuesFromAMemberReadAsAbsent() throws Exception {
    VeleroBackup backup = VeleroCodec.backup(json("""
        {"kind":"Backup","metadata":{"name":"b","creationTimestamp":"yesterday"},
         "status":{"phase":7,"startTimestamp":"soon","errors":"many","warnings":1.5,"failureReason":{"no":"text"},
                   "validationErrors":["one",2],"formatVersion":"1.1.0\\n%s","hookStatus":"none","version":"1"}}""".formatted("9".repeat(4096))));

    assertThat(backup.metadata().created()).isEmpty();
    assertThat(backup.status().phase()).isEqualTo(VeleroPhase.NEW);
    assertThat(backup.status().startTimestamp()).isEmpty();
    assertThat(backup.status().errors()).isZero();
    assertThat(backup.status().failureReason()).isEmpty();
    assertThat(backup.status().validationErrors()).containsExactly("one", "2");
    assertThat(backup.status().counters().formatVersion()).as("one line, and short").hasSizeLessThanOrEqualTo(32).doesNotContain("\n");
    assertThat(backup.status().counters().version()).isZero();
    assertThat(backup.status().counters().hooksAttempted()).isZero();
  }

  @Test
  void anObjectThatIsNotOfItsKindsShapeIsUnreadableAndNamed() {
    assertThatThrownBy(() -> VeleroCodec.backup(json("{\"kind\":\"Backup\",\"metadata\":{\"name\":\"b\"},\"spec\":{\"includedNamespaces\":{\"a\":1}}}")))
        .isInstanceOf(VeleroCodec.Unreadable.class)
        .hasMessageStartingWith("Backup b: its spec does not have Velero's shape");
    assertThatThrownBy(() -> VeleroCodec.backup(json("{\"kind\":\"Restore\",\"metadata\":{\"name\":\"r\"}}")))
        .isInstanceOf(VeleroCodec.Unreadable.class)
        .hasMessage("Backup r: is a Restore");
  }

  @Test
  void theServerIsReadyOnceAReplicaIsAndItsVersionIsTheImageTag() {
    assertThat(VeleroCodec.server(Optional.empty())).isEqualTo(VeleroServer.ABSENT);
    assertThat(VeleroCodec.server(Optional.of(json("""
        {"kind":"Deployment","spec":{"template":{"spec":{"containers":[
          {"name":"sidecar","image":"other:v9"},{"name":"velero","image":"velero/velero:v1.18.1"}]}}},
         "status":{"readyReplicas":1}}"""))))
        .isEqualTo(new VeleroServer(true, true, Optional.of("v1.18.1")));
    assertThat(VeleroCodec.server(Optional.of(json("{\"kind\":\"Deployment\",\"status\":{}}"))))
        .isEqualTo(new VeleroServer(true, false, Optional.empty()));
  }

  @Test
  void anImageTagIsTheVersionUnlessThereIsOnlyADigestOrNoTag() {
    assertThat(VeleroServer.tag("velero/velero:v1.18.1")).contains("v1.18.1");
    assertThat(VeleroServer.tag("registry.example.com:5000/velero/velero:v1.17.0")).contains("v1.17.0");
    assertThat(VeleroServer.tag("registry.example.com:5000/velero/velero")).isEmpty();
    assertThat(VeleroServer.tag("velero/velero:v1.18.1@sha256:abc")).contains("v1.18.1");
    assertThat(VeleroServer.tag("velero/velero@sha256:abc")).isEmpty();
  }

  @Test
  void aConfigKeepsTheOrderItWasGivenIn() {
    Map<String, String> config = new LinkedHashMap<>();
    config.put("region", "minio");
    config.put("s3Url", "http://minio:9000");
    config.put("s3ForcePathStyle", "true");
    ObjectNode location = VeleroCodec.encode(new VeleroLocation(VeleroMeta.of("l", "velero", Map.of(), Map.of()),
        new VeleroLocation.Spec("aws", null, config, null, null, null, null, null), null));

    assertThat(location.path("spec").path("config").propertyNames()).containsExactly("region", "s3Url", "s3ForcePathStyle");
  }
}
