package dev.fleetbackup.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetbackup.model.PolicySet;
import dev.fleetbackup.source.DirectoryReader;
import dev.fleetbackup.validate.Validator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code --cluster}: checked against the config repo before a pass, a name it does not have a usage error. */
class SelectionTest {
  private static PolicySet sample() throws IOException {
    return new Validator().validate(new DirectoryReader(Path.of("sample-repo")).read("test", "")).policies();
  }

  @Test
  void namesTheConfigRepoHasSelectThoseMembersOnly() throws IOException {
    Selection.Choice choice = Selection.of(sample(), List.of("kurator-member2"));

    assertThat(choice).isInstanceOf(Selection.Chosen.class);
    Selection selection = ((Selection.Chosen) choice).selection();
    assertThat(selection.includes("kurator-member2")).isTrue();
    assertThat(selection.includes("kurator-member1")).isFalse();
  }

  @Test
  void noNameSelectsEveryMember() throws IOException {
    Selection selection = ((Selection.Chosen) Selection.of(sample(), List.of())).selection();

    assertThat(selection).isEqualTo(Selection.ALL);
    assertThat(selection.includes("kurator-member3")).isTrue();
  }

  @Test
  void unknownNamesAreAUsageErrorThatNamesEachOnce() throws IOException {
    Selection.Choice choice = Selection.of(sample(), List.of("nope", "kurator-member1", "also-nope", "nope"));

    assertThat(choice).isEqualTo(new Selection.Unknown(List.of("also-nope", "nope")));
    assertThat(((Selection.Unknown) choice).message()).isEqualTo("no member cluster named also-nope, nope in the config repo");
  }
}
