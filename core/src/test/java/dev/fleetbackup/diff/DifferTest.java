package dev.fleetbackup.diff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetbackup.cluster.InMemoryMember;
import dev.fleetbackup.cluster.MemberException;
import dev.fleetbackup.cluster.RequestCount;
import dev.fleetbackup.cluster.RequestFailure;
import dev.fleetbackup.model.VeleroBackup;
import dev.fleetbackup.model.VeleroMeta;
import dev.fleetbackup.observe.FleetObservation;
import dev.fleetbackup.observe.Inventory;
import dev.fleetbackup.observe.InventoryEntry;
import dev.fleetbackup.observe.InventoryOrigin;
import dev.fleetbackup.observe.ManagedFields;
import dev.fleetbackup.observe.MemberObservation;
import dev.fleetbackup.observe.Observer;
import dev.fleetbackup.plan.Conventions;
import dev.fleetbackup.plan.DesiredObject;
import dev.fleetbackup.plan.FleetPlan;
import dev.fleetbackup.plan.ManagedKind;
import dev.fleetbackup.plan.MemberPlan;
import dev.fleetbackup.plan.ObjectRef;
import dev.fleetbackup.plan.ResolvedPlan;
import dev.fleetbackup.plan.Run;
import dev.fleetbackup.plan.VeleroCodec;
import dev.fleetbackup.workflows.RunResolver;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** The Differ against a member in memory, after the pass's one observation: what it finds, and that it only dry-runs. */
class DifferTest {
  private static final String NS = "velero";
  private static final ObjectRef NAMESPACE = ObjectRef.clusterScoped(ManagedKind.NAMESPACE, NS);
  private static final ObjectRef SETTINGS = new ObjectRef(ManagedKind.CONFIG_MAP, NS, "settings");
  private static final ObjectRef CREDENTIALS = new ObjectRef(ManagedKind.SECRET, NS, "credentials");
  private static final String SECRET_VALUE = "c2VjcmV0LXZhbHVlLTQy";
  private static final Instant EDITED_AT = Instant.parse("2026-12-02T03:10:00Z");

  private final InMemoryMember member = new InMemoryMember("kurator-member1");

  @Test
  void aFreshMemberLacksEverythingAndWhatItsServerCouldNotCheckSaysSo() throws Exception {
    ChangeSet changes = MemberDiff.of(member, plan(namespace(), settings(Map.of("mode", "fast"))));

    assertThat(change(changes, NAMESPACE).action()).isEqualTo(Action.CREATED);
    assertThat(change(changes, NAMESPACE).note()).isEmpty();
    Change settings = change(changes, SETTINGS);
    assertThat(settings.action()).isEqualTo(Action.CREATED);
    assertThat(settings.note()).isEqualTo("not checked by the server yet: (NotFound, 404) namespaces \"velero\" not found");
    assertThat(settings.diff()).contains("+  mode: fast");
    assertThat(changes.failures()).isEmpty();
    assertThat(member.writes()).isEmpty();
  }

  @Test
  void anObjectAsAppliedIsUnchangedWhateverOthersAddToIt() throws Exception {
    applied(namespace(), settings(Map.of("mode", "fast")));
    ObjectNode edited = member.object(SETTINGS).orElseThrow();
    edited.withObject("/metadata").withObject("/annotations").put("kubectl.kubernetes.io/last-applied-configuration", "{}");
    edited.withObject("/data").put("added-by-someone", "x");
    member.put(SETTINGS, edited);

    ChangeSet changes = MemberDiff.of(member, plan(namespace(), settings(Map.of("mode", "fast"))));

    assertThat(changes.changes()).extracting(Change::action).containsOnly(Action.UNCHANGED);
    assertThat(changes.hasDifferences()).isFalse();
  }

  @Test
  void driftInAnOwnedFieldIsAChangeShownAsADiff() throws Exception {
    applied(namespace(), settings(Map.of("mode", "fast")));
    ObjectNode drifted = member.object(SETTINGS).orElseThrow();
    drifted.withObject("/data").put("mode", "slow");
    member.put(SETTINGS, drifted);

    Change settings = change(MemberDiff.of(member, plan(namespace(), settings(Map.of("mode", "fast")))), SETTINGS);

    assertThat(settings.action()).isEqualTo(Action.CONFIGURED);
    assertThat(settings.diff()).contains("-  mode: slow").contains("+  mode: fast");
    assertThat(settings.desired()).isPresent();
  }

  @Test
  void aFieldFleetBackupNoLongerSetsIsAChangeThatRemovesIt() throws Exception {
    applied(namespace(), settings(Map.of("mode", "fast", "retired", "long-ago")));

    Change settings = change(MemberDiff.of(member, plan(namespace(), settings(Map.of("mode", "fast")))), SETTINGS);

    assertThat(settings.action()).isEqualTo(Action.CONFIGURED);
    assertThat(settings.diff()).contains("-  retired: long-ago").doesNotContain("+  retired");
  }

  @Test
  void aSecretsValuesNeverShowInADiff() throws Exception {
    applied(namespace(), secret("b2xkLXZhbHVl"));

    Change secret = change(MemberDiff.of(member, plan(namespace(), secret(SECRET_VALUE))), CREDENTIALS);

    assertThat(secret.action()).isEqualTo(Action.CONFIGURED);
    assertThat(secret.diff()).contains("*** (before)").contains("*** (after)")
        .doesNotContain(SECRET_VALUE).doesNotContain("b2xkLXZhbHVl");
  }

  @Test
  void aRunIsNewUntilItExistsAndAChangedPolicyMakesTheNextRun() throws Exception {
    member.installVeleroCrds();
    applied(namespace());
    DesiredObject nightly = backupRun("m1-backup-default-now", "hash-a");
    assertThat(change(MemberDiff.of(member, plan(namespace(), nightly)), nightly.ref()).action()).isEqualTo(Action.CREATED);

    member.create(nightly.ref(), nightly.manifest());
    assertThat(change(MemberDiff.of(member, plan(namespace(), nightly)), nightly.ref()).action()).isEqualTo(Action.UNCHANGED);

    ChangeSet changed = MemberDiff.of(member, plan(namespace(), backupRun("m1-backup-default-now", "hash-b")));
    ObjectRef second = nightly.ref().withName("m1-backup-default-now-2");
    assertThat(change(changed, second).action()).isEqualTo(Action.CREATED);
    assertThat(change(changed, second).desired().orElseThrow().manifest().path("metadata").path("annotations")
        .path(Conventions.RUN_NUMBER).asString()).isEqualTo("2");
  }

  @Test
  void aRunTheInventoryRemembersButTheMemberLostIsNotCreatedAgain() throws Exception {
    member.installVeleroCrds();
    applied(namespace());
    DesiredObject run = backupRun("m1-backup-default-now", "hash-a");
    inventory(new InventoryEntry(run.ref(), Optional.of(new InventoryEntry.RunRecord("m1-backup-default-now", 1, "hash-a"))));

    Change change = change(MemberDiff.of(member, plan(namespace(), run)), run.ref());

    assertThat(change.action()).isEqualTo(Action.SKIPPED);
    assertThat(change.note()).contains("has since been removed (expired?); it is not re-created");
  }

  @Test
  void pruningTakesOnlyWhatTheInventoryListsAndFleetBackupWroteAndStillCarriesTheLabel() throws Exception {
    member.installVeleroCrds();
    applied(namespace());
    ObjectRef old = SETTINGS.withName("old");
    ObjectRef relabelled = SETTINGS.withName("relabelled");
    ObjectRef labelledByOthers = SETTINGS.withName("labelled-by-others");
    ObjectRef gone = SETTINGS.withName("gone");
    ObjectRef unlisted = SETTINGS.withName("unlisted");
    ObjectRef backup = new ObjectRef(ManagedKind.BACKUP, NS, "m1-backup-default-old");
    member.apply(old, configMap(old.name(), Map.of(), true));
    member.apply(relabelled, configMap(relabelled.name(), Map.of(), false));
    member.put(labelledByOthers, configMap(labelledByOthers.name(), Map.of(), true)); // fleet-backup's label, copied
    member.apply(unlisted, configMap(unlisted.name(), Map.of(), true));
    inventory(entry(NAMESPACE), entry(old), entry(relabelled), entry(labelledByOthers), entry(gone), entry(backup));

    ChangeSet changes = MemberDiff.of(member, plan(namespace()));

    assertThat(change(changes, old).action()).isEqualTo(Action.DELETED);
    assertThat(change(changes, relabelled).action()).isEqualTo(Action.SKIPPED);
    assertThat(change(changes, relabelled).note()).contains("no longer labelled as managed by fleet-backup");
    assertThat(change(changes, labelledByOthers).action()).isEqualTo(Action.SKIPPED);
    assertThat(change(changes, labelledByOthers).note())
        .isEqualTo("no longer desired, but fleet-backup never wrote it (no field of its field manager); not deleted");
    assertThat(change(changes, backup).action()).isEqualTo(Action.SKIPPED);
    assertThat(change(changes, backup).note()).contains("Velero Backups are never pruned");
    assertThat(changes.changes()).extracting(Change::ref).doesNotContain(gone, unlisted);
  }

  @Test
  void aPruneDeletesOnlyTheObjectFleetBackupAppliedNotOneMadeAgainUnderItsName() throws Exception {
    member.installVeleroCrds();
    applied(namespace(), settings(Map.of("mode", "fast")));
    inventory(entry(NAMESPACE), entry(SETTINGS));
    // a pass records the uid of what it applied
    InventoryEntry recorded = MemberDiff.of(member, plan(namespace(), settings(Map.of("mode", "fast")))).desiredEntries().stream()
        .filter(e -> e.ref().equals(SETTINGS)).findFirst().orElseThrow();
    assertThat(recorded.uid()).contains(member.object(SETTINGS).orElseThrow().path("metadata").path("uid").asString());
    inventory(entry(NAMESPACE), recorded);
    // same name, another object, even one written with fleet-backup's field manager (another copy of it)
    member.remove(SETTINGS).apply(SETTINGS, configMap(SETTINGS.name(), Map.of("mode", "theirs"), true));

    Change change = change(MemberDiff.of(member, plan(namespace())), SETTINGS);

    assertThat(change.action()).isEqualTo(Action.SKIPPED);
    assertThat(change.note()).startsWith("no longer desired, but not the object fleet-backup applied (uid ")
        .endsWith("); not deleted");
  }

  @Test
  void anObjectTheMemberRefusesFailsAloneAndTheOthersAreDiffed() throws Exception {
    applied(namespace());
    member.fail(InMemoryMember.Verb.GET, SETTINGS, new RequestFailure(RequestFailure.Kind.FORBIDDEN, 403,
        "(Forbidden, 403) configmaps \"settings\" is forbidden"));
    member.fail(InMemoryMember.Verb.DRY_RUN, CREDENTIALS, new RequestFailure(RequestFailure.Kind.OTHER, 422,
        "(Invalid, 422) Secret \"credentials\" is invalid: data[cloud]: Invalid value"));

    ChangeSet changes = MemberDiff.of(member, plan(namespace(), settings(Map.of("mode", "fast")), secret(SECRET_VALUE)));

    assertThat(changes.failures()).extracting(ObjectFailure::toString).containsExactlyInAnyOrder(
        "ConfigMap/velero/settings ReadFailed: (Forbidden, 403) configmaps \"settings\" is forbidden",
        "Secret/velero/credentials DryRunFailed: (Invalid, 422) Secret \"credentials\" is invalid: data[cloud]: Invalid value");
    assertThat(change(changes, NAMESPACE).action()).isEqualTo(Action.UNCHANGED);
  }

  @Test
  void aMemberThatCannotBeReadOrWhoseInventoryIsDamagedFailsTheWholeDiff() {
    InMemoryMember damaged = new InMemoryMember("kurator-member2");
    damaged.put(Inventory.REF, Inventory.EMPTY.toConfigMap()).edit(Inventory.REF, "kubectl-edit", EDITED_AT, cm -> {
      cm.withObject("/data").put(Inventory.DATA_KEY, "{not json");
      return cm;
    });
    assertThatThrownBy(() -> MemberDiff.of(damaged, plan(namespace())))
        .isInstanceOf(Inventory.InventoryException.class).hasMessageStartingWith("inventory is not valid JSON")
        .hasMessageEndingWith("; it was edited by kubectl-edit (Update) at 2026-12-02T03:10:00Z, not by fleet-backup");

    member.unreachable();
    assertThatThrownBy(() -> MemberDiff.of(member, plan(namespace())))
        .isInstanceOfSatisfying(MemberException.class, e -> assertThat(e.kind()).isEqualTo(RequestFailure.Kind.UNREACHABLE));
  }

  @Test
  void anObjectFleetBackupDidNotCreateIsSomeoneElsesAndLeftAloneUnlessAdopted() throws Exception {
    member.installVeleroCrds();
    applied(namespace());
    member.put(SETTINGS, configMap(SETTINGS.name(), Map.of("mode", "helm"), false)); // made by another tool
    MemberPlan plan = plan(namespace(), settings(Map.of("mode", "fast")));

    ChangeSet changes = MemberDiff.of(member, plan);

    assertThat(changes.failures()).extracting(ObjectFailure::toString).containsExactly("ConfigMap/velero/settings NotOurs: exists"
        + " and was not created by fleet-backup (no field of its field manager, not in its inventory); left untouched,"
        + " --adopt takes it over");
    MemberObservation observed = new Observer(NS).observe(member, plan.objects());
    ResolvedPlan resolved = new RunResolver().resolve(new FleetPlan(List.of(plan)),
        new FleetObservation(Map.of(plan.cluster(), observed), Map.of())).get(plan.cluster());
    Change adopted = change(new Differ().diff(member, resolved, observed, Ownership.ADOPT), SETTINGS);
    assertThat(adopted.action()).isEqualTo(Action.CONFIGURED);
    assertThat(adopted.diff()).contains("-  mode: helm").contains("+  mode: fast");

    inventory(entry(NAMESPACE), entry(SETTINGS));
    assertThat(MemberDiff.of(member, plan).failures()).as("in its inventory: fleet-backup's").isEmpty();

    inventory(entry(NAMESPACE));
    handEdit(entries -> add(entries, entry(SETTINGS)));
    assertThat(MemberDiff.of(member, plan).failures()).as("listed by hand: not fleet-backup's")
        .extracting(ObjectFailure::reason).containsExactly("NotOurs");
  }

  @Test
  void anEntryAddedByHandForSomeoneElsesObjectIsNeverPrunedAndTheEditIsReported() throws Exception {
    member.installVeleroCrds();
    applied(namespace());
    ObjectRef theirs = SETTINGS.withName("team-settings");
    member.put(theirs, configMap(theirs.name(), Map.of("owner", "team"), true)); // fleet-backup's label, copied
    inventory(entry(NAMESPACE));
    handEdit(entries -> add(entries, entry(theirs).withUid(Optional.of(uid(theirs)))));

    ChangeSet changes = MemberDiff.of(member, plan(namespace()));

    assertThat(changes.count(Action.DELETED)).isZero();
    assertThat(change(changes, theirs).action()).isEqualTo(Action.SKIPPED);
    assertThat(changes.origin()).isEqualTo(new InventoryOrigin.Edited(Optional.of(
        new ManagedFields.Writer("kubectl-edit", "Update", Optional.of(EDITED_AT)))));
    assertThat(changes.origin().warning()).hasValueSatisfying(w -> {
      assertThat(w.reason()).isEqualTo("InventoryEdited");
      assertThat(w.since()).contains(EDITED_AT);
      assertThat(w.message()).isEqualTo("inventory kube-system/fleet-backup-inventory was edited by kubectl-edit (Update) at"
          + " 2026-12-02T03:10:00Z, not by fleet-backup: nothing is pruned in this cluster on this pass, and apply writes it"
          + " again with only the entries fleet-backup can prove (the objects it wants, the runs it remembers, the objects"
          + " it applied)");
    });
    assertThat(changes.desiredEntries()).extracting(InventoryEntry::ref).containsExactly(NAMESPACE);

    // an inventory that passes for fleet-backup's (its digest made to match): the object itself still says no
    inventory(entry(NAMESPACE), entry(theirs).withUid(Optional.of(uid(theirs))));
    ChangeSet forged = MemberDiff.of(member, plan(namespace()));
    assertThat(forged.origin()).isEqualTo(new InventoryOrigin.Written());
    assertThat(change(forged, theirs).action()).isEqualTo(Action.SKIPPED);
    assertThat(change(forged, theirs).note()).contains("fleet-backup never wrote it");
  }

  @Test
  void anEditedInventoryPrunesNothingAndKeepsOnlyWhatFleetBackupCanProve() throws Exception {
    member.installVeleroCrds();
    applied(namespace(), settings(Map.of("mode", "fast")));
    ObjectRef theirs = SETTINGS.withName("team-settings");
    member.put(theirs, configMap(theirs.name(), Map.of(), true));
    ObjectRef ranOnce = new ObjectRef(ManagedKind.RESTORE, NS, "m1-restore-default-rollback");
    InventoryEntry tombstone = new InventoryEntry(ranOnce, Optional.of(new InventoryEntry.RunRecord(ranOnce.name(), 1, "h")))
        .asTombstone();
    inventory(entry(NAMESPACE), entry(SETTINGS).withUid(Optional.of(uid(SETTINGS))), tombstone);
    handEdit(entries -> add(entries, entry(theirs)));

    ChangeSet changes = MemberDiff.of(member, plan(namespace())); // settings no longer desired

    assertThat(changes.count(Action.DELETED)).isZero();
    assertThat(change(changes, SETTINGS).action()).isEqualTo(Action.SKIPPED);
    assertThat(change(changes, SETTINGS).note()).isEqualTo("no longer desired; not deleted on this pass, as the inventory"
        + " was edited outside fleet-backup (it is deleted on the next one)");
    assertThat(changes.desiredEntries()).as("the desired, the prune put off, the tombstone; not the entry added by hand")
        .extracting(InventoryEntry::ref).containsExactlyInAnyOrder(NAMESPACE, SETTINGS, ranOnce);
    assertThat(changes.desiredEntries()).filteredOn(InventoryEntry::tombstone).extracting(InventoryEntry::ref)
        .containsExactly(ranOnce);
    assertThat(changes.origin().rewrite()).isTrue();
  }

  @Test
  void aTombstoneRemovedByHandIsAnEdit() throws Exception {
    member.installVeleroCrds();
    applied(namespace());
    ObjectRef ranOnce = new ObjectRef(ManagedKind.RESTORE, NS, "m1-restore-default-rollback");
    inventory(entry(NAMESPACE), new InventoryEntry(ranOnce, Optional.of(new InventoryEntry.RunRecord(ranOnce.name(), 1, "h")))
        .asTombstone());
    handEdit(entries -> entries.stream().filter(e -> !e.tombstone()).toList());

    assertThat(MemberDiff.of(member, plan(namespace())).origin()).isInstanceOf(InventoryOrigin.Edited.class);
  }

  @Test
  void anInventoryWrittenBeforeDigestsIsTrustedOnceUnlessSomeoneElseWroteIt() throws Exception {
    member.installVeleroCrds();
    applied(namespace());
    ObjectRef old = SETTINGS.withName("old");
    member.apply(old, configMap(old.name(), Map.of(), true));
    ObjectNode older = Inventory.of(List.of(entry(NAMESPACE), entry(old))).toConfigMap();
    older.withObject("/metadata").remove("annotations"); // as a version before digests applied it
    member.apply(Inventory.REF, older);

    ChangeSet changes = MemberDiff.of(member, plan(namespace()));

    assertThat(changes.origin()).isEqualTo(new InventoryOrigin.Unsealed());
    assertThat(changes.origin().rewrite()).as("sealed by the next apply").isTrue();
    assertThat(changes.origin().warning()).isEmpty();
    assertThat(change(changes, old).action()).isEqualTo(Action.DELETED);

    member.edit(Inventory.REF, "kubectl-edit", EDITED_AT, cm -> {
      cm.withObject("/data").put(Inventory.DATA_KEY, cm.path("data").path(Inventory.DATA_KEY).asString() + " ");
      return cm;
    });
    assertThat(MemberDiff.of(member, plan(namespace())).origin()).as("no digest, and written by kubectl-edit")
        .isInstanceOf(InventoryOrigin.Edited.class);
  }

  @Test
  void aDeletedInventoryIsReportedOnceFleetBackupHasAppliedSomething() throws Exception {
    assertThat(MemberDiff.of(member, plan(namespace())).origin()).as("a member never applied to").isEqualTo(new InventoryOrigin.None());

    applied(namespace());
    ChangeSet changes = MemberDiff.of(member, plan(namespace()));

    assertThat(changes.origin()).isEqualTo(new InventoryOrigin.Deleted(NAMESPACE));
    assertThat(changes.origin().rewrite()).isTrue();
    assertThat(changes.origin().warning()).hasValueSatisfying(w -> assertThat(w.message()).startsWith(
        "inventory kube-system/fleet-backup-inventory is missing, yet Namespace/velero was applied by fleet-backup: the"
            + " inventory was deleted, or its last write failed."));
  }

  @Test
  void itReadsNothingAndAsksADryRunOnlyOfWhatTheMemberDoesNotHoldAsPlanned() throws Exception {
    member.installVeleroCrds();
    applied(namespace());
    ObjectRef old = SETTINGS.withName("old");
    member.apply(old, configMap(old.name(), Map.of(), true));
    inventory(entry(NAMESPACE), entry(old));
    MemberPlan plan = plan(namespace(), settings(Map.of("mode", "fast")), backupRun("m1-backup-default-now", "h"));
    MemberObservation observed = new Observer(NS).observe(member, plan.objects());
    ResolvedPlan resolved = new RunResolver().resolve(new FleetPlan(List.of(plan)),
        new FleetObservation(Map.of(plan.cluster(), observed), Map.of())).get(plan.cluster());
    RequestCount before = member.requests();

    ChangeSet changes = new Differ().diff(member, resolved, observed, Ownership.OURS_ONLY);

    assertThat(member.requests().minus(before)).as("the settings' dry run; the namespace is held as planned")
        .isEqualTo(new RequestCount(0, 1, 0));
    assertThat(change(changes, old).action()).as("pruned from what was observed").isEqualTo(Action.DELETED);
    assertThat(change(changes, NAMESPACE.withName(NS)).action()).isEqualTo(Action.UNCHANGED);
  }

  private MemberPlan plan(DesiredObject... objects) {
    return new MemberPlan("kurator-member1", "default", Optional.of("quickstart"), List.of(objects), List.of());
  }

  private void applied(DesiredObject... objects) throws MemberException {
    for (DesiredObject o : objects) {
      member.apply(o.ref(), o.manifest());
    }
  }

  /** The inventory as fleet-backup writes it, with its digest. */
  private void inventory(InventoryEntry... entries) {
    member.put(Inventory.REF, Inventory.of(List.of(entries)).toConfigMap());
  }

  /** Someone changes the inventory's entries with {@code kubectl edit}, at {@link #EDITED_AT}; the digest stays as it was. */
  private void handEdit(UnaryOperator<List<InventoryEntry>> change) {
    member.edit(Inventory.REF, "kubectl-edit", EDITED_AT, cm -> {
      try {
        Inventory edited = Inventory.of(change.apply(Inventory.fromConfigMap(cm).entries()));
        cm.withObject("/data").put(Inventory.DATA_KEY, edited.toJson());
        return cm;
      } catch (Inventory.InventoryException e) {
        throw new AssertionError(e);
      }
    });
  }

  private static List<InventoryEntry> add(List<InventoryEntry> entries, InventoryEntry entry) {
    List<InventoryEntry> more = new java.util.ArrayList<>(entries);
    more.add(entry);
    return more;
  }

  private String uid(ObjectRef ref) {
    return member.object(ref).orElseThrow().path("metadata").path("uid").asString();
  }

  private static InventoryEntry entry(ObjectRef ref) {
    return new InventoryEntry(ref, Optional.empty());
  }

  private static Change change(ChangeSet changes, ObjectRef ref) {
    return changes.changes().stream().filter(c -> c.ref().equals(ref)).findFirst()
        .orElseThrow(() -> new AssertionError("no change for " + ref + " in " + changes.changes()));
  }

  private static DesiredObject namespace() {
    ObjectNode ns = JsonNodeFactory.instance.objectNode();
    ns.put("apiVersion", "v1");
    ns.put("kind", "Namespace");
    ns.putObject("metadata").put("name", NS).putObject("labels").put(Conventions.MANAGED_BY, Conventions.MANAGED_BY_VALUE);
    return new DesiredObject(NAMESPACE, ns, Optional.empty());
  }

  private static DesiredObject settings(Map<String, String> data) {
    return new DesiredObject(SETTINGS, configMap(SETTINGS.name(), data, true), Optional.empty());
  }

  private static ObjectNode configMap(String name, Map<String, String> data, boolean managed) {
    ObjectNode cm = JsonNodeFactory.instance.objectNode();
    cm.put("apiVersion", "v1");
    cm.put("kind", "ConfigMap");
    ObjectNode metadata = cm.putObject("metadata");
    metadata.put("name", name);
    metadata.put("namespace", NS);
    if (managed) {
      metadata.putObject("labels").put(Conventions.MANAGED_BY, Conventions.MANAGED_BY_VALUE);
    }
    if (!data.isEmpty()) {
      new java.util.TreeMap<>(data).forEach(cm.putObject("data")::put);
    }
    return cm;
  }

  private static DesiredObject secret(String value) {
    ObjectNode secret = JsonNodeFactory.instance.objectNode();
    secret.put("apiVersion", "v1");
    secret.put("kind", "Secret");
    secret.putObject("metadata").put("name", CREDENTIALS.name()).put("namespace", NS);
    secret.putObject("data").put("cloud", value);
    return new DesiredObject(CREDENTIALS, secret, Optional.empty());
  }

  private static DesiredObject backupRun(String base, String hash) {
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put(Conventions.SPEC_HASH, hash);
    annotations.put(Conventions.RUN, base);
    annotations.put(Conventions.RUN_NUMBER, "1");
    VeleroBackup backup = new VeleroBackup(VeleroMeta.of(base, NS, Map.of(Conventions.MANAGED_BY, Conventions.MANAGED_BY_VALUE), annotations),
        VeleroBackup.Spec.EMPTY, null);
    return new DesiredObject(new ObjectRef(ManagedKind.BACKUP, NS, base), VeleroCodec.encode(backup),
        Optional.of(new Run(base, hash, Optional.empty())));
  }
}
