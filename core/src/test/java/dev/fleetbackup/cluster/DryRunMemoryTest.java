package dev.fleetbackup.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetbackup.plan.ManagedKind;
import dev.fleetbackup.plan.ObjectRef;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** When a steady pass may answer a dry run from what the member answered before, and when it must send it. */
class DryRunMemoryTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final ObjectRef SCHEDULE = new ObjectRef(ManagedKind.SCHEDULE, "velero", "nightly");
  private final DryRunMemory memory = new DryRunMemory();

  private static ObjectNode json(String text) {
    return (ObjectNode) JSON.readTree(text.replace('\'', '"'));
  }

  private static ObjectNode manifest(String cron) {
    return json("{'apiVersion':'velero.io/v1','kind':'Schedule','metadata':{'name':'nightly','namespace':'velero'},"
        + "'spec':{'schedule':'" + cron + "'}}");
  }

  private static ObjectNode live(String version, String cron, String status) {
    return json("{'apiVersion':'velero.io/v1','kind':'Schedule','metadata':{'name':'nightly','namespace':'velero',"
        + "'resourceVersion':'" + version + "','managedFields':[{'manager':'fleet-backup','operation':'Apply',"
        + "'time':'2026-12-02T06:00:00Z','fieldsV1':{'f:spec':{'f:schedule':{}}}},{'manager':'velero-server',"
        + "'operation':'Update','subresource':'status','time':'" + status + "','fieldsV1':{'f:status':{}}}]},"
        + "'spec':{'schedule':'" + cron + "'},'status':{'phase':'Enabled','lastBackup':'" + status + "'}}");
  }

  @Test
  void theSameManifestAgainstTheSameVersionIsAnsweredFromMemory() {
    ObjectNode applied = live("41", "0 2 * * *", "2026-12-02T02:00:00Z");
    memory.remember(SCHEDULE, manifest("0 2 * * *"), applied, applied);

    assertThat(memory.answer(SCHEDULE, manifest("0 2 * * *"), Optional.of(applied))).contains(applied);
  }

  @Test
  void aNewManifestIsSentToTheMember() {
    ObjectNode applied = live("41", "0 2 * * *", "2026-12-02T02:00:00Z");
    memory.remember(SCHEDULE, manifest("0 2 * * *"), applied, applied);

    assertThat(memory.answer(SCHEDULE, manifest("0 3 * * *"), Optional.of(applied))).isEmpty();
  }

  @Test
  void anObjectSomeoneElseEditedIsSentToTheMember() {
    ObjectNode applied = live("41", "0 2 * * *", "2026-12-02T02:00:00Z");
    memory.remember(SCHEDULE, manifest("0 2 * * *"), applied, applied);
    ObjectNode edited = live("57", "*/5 * * * *", "2026-12-02T02:00:00Z");

    assertThat(memory.answer(SCHEDULE, manifest("0 2 * * *"), Optional.of(edited))).isEmpty();
    assertThat(memory.matches(SCHEDULE, edited)).as("drift").isFalse();
  }

  @Test
  void anObjectWhoseStatusAloneMovedIsAnsweredFromMemory() {
    ObjectNode applied = live("41", "0 2 * * *", "2026-12-02T02:00:00Z");
    memory.remember(SCHEDULE, manifest("0 2 * * *"), applied, applied);
    ObjectNode ranAgain = live("63", "0 2 * * *", "2026-12-03T02:00:00Z"); // Velero wrote its status: a new version
    ((ObjectNode) ranAgain.get("metadata")).put("generation", 7); // and, without a status subresource, a new generation

    assertThat(memory.answer(SCHEDULE, manifest("0 2 * * *"), Optional.of(ranAgain))).contains(applied);
    assertThat(memory.matches(SCHEDULE, ranAgain)).as("no drift").isTrue();
  }

  @Test
  void fieldOrderDoesNotMatter() {
    ObjectNode applied = live("41", "0 2 * * *", "2026-12-02T02:00:00Z");
    memory.remember(SCHEDULE, manifest("0 2 * * *"), applied, applied);
    ObjectNode reordered = json("{'spec':{'schedule':'0 2 * * *'},'metadata':{'namespace':'velero','name':'nightly'},"
        + "'kind':'Schedule','apiVersion':'velero.io/v1'}");

    assertThat(memory.answer(SCHEDULE, reordered, Optional.of(applied))).isPresent();
  }

  @Test
  void anObjectThatIsGoneOrWasNeverAnsweredIsSentToTheMember() {
    ObjectNode applied = live("41", "0 2 * * *", "2026-12-02T02:00:00Z");
    assertThat(memory.answer(SCHEDULE, manifest("0 2 * * *"), Optional.of(applied))).as("never answered").isEmpty();

    memory.remember(SCHEDULE, manifest("0 2 * * *"), applied, applied);
    assertThat(memory.answer(SCHEDULE, manifest("0 2 * * *"), Optional.empty())).as("deleted: a create").isEmpty();

    memory.forget(SCHEDULE);
    assertThat(memory.answer(SCHEDULE, manifest("0 2 * * *"), Optional.of(applied))).as("forgotten after a failed write").isEmpty();
  }

  @Test
  void anAnswerFromMemoryIsACopy() {
    ObjectNode applied = live("41", "0 2 * * *", "2026-12-02T02:00:00Z");
    memory.remember(SCHEDULE, manifest("0 2 * * *"), applied, applied);
    memory.answer(SCHEDULE, manifest("0 2 * * *"), Optional.of(applied)).orElseThrow().putObject("spec").put("schedule", "x");

    assertThat(memory.answer(SCHEDULE, manifest("0 2 * * *"), Optional.of(applied))).contains(applied);
  }
}
