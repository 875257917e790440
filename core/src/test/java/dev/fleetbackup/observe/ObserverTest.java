package dev.fleetbackup.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetbackup.cluster.InMemoryMember;
import dev.fleetbackup.cluster.MemberException;
import dev.fleetbackup.cluster.RequestCount;
import dev.fleetbackup.cluster.RequestFailure;
import dev.fleetbackup.model.VeleroLocationPhase;
import dev.fleetbackup.model.VeleroPhase;
import dev.fleetbackup.model.VeleroSchedulePhase;
import dev.fleetbackup.model.VeleroServer;
import dev.fleetbackup.plan.DesiredObject;
import dev.fleetbackup.plan.ManagedKind;
import dev.fleetbackup.plan.ObjectRef;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class ObserverTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private final Observer observer = new Observer("velero");
  private final InMemoryMember member = new InMemoryMember("kurator-member2");

  private static ObjectNode json(String text) {
    return (ObjectNode) JSON.readTree(text);
  }

  @Test
  void readsEveryVeleroObjectTypedAndTheInventoryInSixReads() throws Exception {
    member.installVeleroCrds()
        .put(ObjectRef.clusterScoped(ManagedKind.NAMESPACE, "velero"), json("{\"kind\":\"Namespace\",\"metadata\":{\"name\":\"velero\"}}"))
        .put(new ObjectRef(ManagedKind.BACKUP, "velero", "m1-migrate-default-shop"), json("""
            {"kind":"Backup","metadata":{"name":"m1-migrate-default-shop","namespace":"velero","creationTimestamp":"2026-11-25T02:00:00Z",
              "annotations":{"fleet-backup.dev/run":"m1-migrate-default-shop"}},
             "spec":{"storageLocation":"readonly-m1"},"status":{"phase":"Completed"}}"""))
        .put(new ObjectRef(ManagedKind.RESTORE, "velero", "m2-migrate-default-shop"), json("""
            {"kind":"Restore","metadata":{"name":"m2-migrate-default-shop","namespace":"velero"},
             "spec":{"backupName":"m1-migrate-default-shop"},"status":{"phase":"WaitingForPluginOperations"}}"""))
        .put(new ObjectRef(ManagedKind.SCHEDULE, "velero", "nightly"), json("""
            {"kind":"Schedule","metadata":{"name":"nightly","namespace":"velero"},"spec":{"schedule":"0 2 * * *"},
             "status":{"phase":"FailedValidation","validationErrors":["invalid schedule"]}}"""))
        .put(new ObjectRef(ManagedKind.BACKUP_STORAGE_LOCATION, "velero", "readonly-m1"), json("""
            {"kind":"BackupStorageLocation","metadata":{"name":"readonly-m1","namespace":"velero"},"spec":{"provider":"aws"},
             "status":{"phase":"Unavailable","message":"NoSuchBucket"}}"""))
        .put(new ObjectRef(ManagedKind.DEPLOYMENT, "velero", "velero"), json("""
            {"kind":"Deployment","metadata":{"name":"velero","namespace":"velero"},
             "spec":{"template":{"spec":{"containers":[{"name":"velero","image":"velero/velero:v1.18.1"}]}}},"status":{}}"""));

    MemberObservation seen = observer.observe(member);

    ObservedRun backup = seen.backup("m1-migrate-default-shop").orElseThrow();
    assertThat(backup.run().phase()).isEqualTo(VeleroPhase.COMPLETED);
    assertThat(backup.storageLocation()).isEqualTo("readonly-m1");
    assertThat(backup.runBase()).contains("m1-migrate-default-shop");
    assertThat(backup.created()).contains(Instant.parse("2026-11-25T02:00:00Z"));
    assertThat(seen.restores()).singleElement().satisfies(r -> {
      assertThat(r.backupName()).isEqualTo("m1-migrate-default-shop");
      assertThat(r.run().phase()).isEqualTo(VeleroPhase.WAITING_FOR_PLUGIN_OPERATIONS);
    });
    assertThat(seen.schedule("nightly").orElseThrow().status().phase()).isEqualTo(VeleroSchedulePhase.FAILED_VALIDATION);
    assertThat(seen.location("readonly-m1").orElseThrow().status().phase()).isEqualTo(VeleroLocationPhase.UNAVAILABLE);
    assertThat(seen.location("readonly-m1").orElseThrow().describe()).isEqualTo("location readonly-m1 is Unavailable: NoSuchBucket");
    assertThat(seen.server()).isEqualTo(new VeleroServer(true, false, Optional.of("v1.18.1")));
    assertThat(member.requests()).isEqualTo(new RequestCount(6, 0, 0));
  }

  @Test
  void severalObjectsOfAKindAreReadWithOneListByFleetBackupsLabelAndAnUnlabelledOneIsStillSeen() throws Exception {
    ObjectRef ours = ObjectRef.clusterScoped(ManagedKind.CLUSTER_ROLE, "velero-reader");
    ObjectRef alsoOurs = ObjectRef.clusterScoped(ManagedKind.CLUSTER_ROLE, "velero-writer");
    ObjectRef someoneElses = ObjectRef.clusterScoped(ManagedKind.CLUSTER_ROLE, "velero-admin");
    ObjectRef absent = ObjectRef.clusterScoped(ManagedKind.CLUSTER_ROLE, "velero-auditor");
    member.put(ours, clusterRole(ours.name(), true)).put(alsoOurs, clusterRole(alsoOurs.name(), true))
        .put(someoneElses, clusterRole(someoneElses.name(), false))
        .put(ObjectRef.clusterScoped(ManagedKind.CLUSTER_ROLE, "cluster-admin"), clusterRole("cluster-admin", true));
    List<DesiredObject> desired = Stream.of(ours, alsoOurs, someoneElses, absent)
        .map(ref -> new DesiredObject(ref, clusterRole(ref.name(), true), Optional.empty())).toList();
    RequestCount before = member.requests();

    LiveObjects live = observer.observe(member, desired).live();

    assertThat(live.get(ours)).isPresent();
    assertThat(live.get(alsoOurs)).isPresent();
    assertThat(live.get(someoneElses)).as("read alone: it exists without fleet-backup's label").isPresent();
    assertThat(live.get(absent)).isEmpty();
    assertThat(member.reads()).filteredOn(line -> line.contains("ClusterRole"))
        .containsExactly("LIST ClusterRole/ {app.kubernetes.io/managed-by=fleet-backup}",
            "GET " + someoneElses, "GET " + absent);
    assertThat(member.requests().minus(before).reads()).as("6 reads of Velero and the inventory, 1 list, 2 gets").isEqualTo(9);
  }

  private static ObjectNode clusterRole(String name, boolean labelled) {
    ObjectNode role = json("{\"apiVersion\":\"rbac.authorization.k8s.io/v1\",\"kind\":\"ClusterRole\",\"metadata\":{\"name\":\""
        + name + "\"}}");
    if (labelled) {
      role.withObject("/metadata").withObject("/labels").put("app.kubernetes.io/managed-by", "fleet-backup");
    }
    return role;
  }

  @Test
  void aMemberWithoutVelerosCrdsHoldsNoVeleroObjects() throws Exception {
    MemberObservation seen = observer.observe(member);

    assertThat(seen.backups()).isEmpty();
    assertThat(seen.locations()).isEmpty();
    assertThat(seen.server()).isEqualTo(VeleroServer.ABSENT);
  }

  @Test
  void anObjectNotOfItsKindsShapeFailsTheObservationNamingIt() {
    member.installVeleroCrds().put(new ObjectRef(ManagedKind.SCHEDULE, "velero", "odd"), json("""
        {"kind":"Schedule","metadata":{"name":"odd","namespace":"velero"},"spec":{"template":"not an object"}}"""));

    assertThatThrownBy(() -> observer.observe(member))
        .isInstanceOfSatisfying(MemberException.class, e -> assertThat(e.kind()).isEqualTo(RequestFailure.Kind.OTHER))
        .hasMessageStartingWith("Schedule odd: its spec does not have Velero's shape");
  }

  @Test
  void aRefusedListFailsTheObservationWithTheServersWords() {
    member.installVeleroCrds().fail(InMemoryMember.Verb.LIST, new ObjectRef(ManagedKind.RESTORE, "velero", "*"),
        new RequestFailure(RequestFailure.Kind.FORBIDDEN, 403, "(Forbidden, 403) restores.velero.io is forbidden"));

    assertThatThrownBy(() -> observer.observe(member))
        .isInstanceOfSatisfying(MemberException.class, e -> assertThat(e.failure().code()).isEqualTo(403))
        .hasMessage("(Forbidden, 403) restores.velero.io is forbidden");
  }
}
