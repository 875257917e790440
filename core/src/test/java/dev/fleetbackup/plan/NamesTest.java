package dev.fleetbackup.plan;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NamesTest {
  @Test
  void shortNamesStayAsTheyAre() {
    assertThat(Names.fit("kurator-member1-backup-default-nightly")).isEqualTo("kurator-member1-backup-default-nightly");
    assertThat(Names.fit("x".repeat(63))).hasSize(63);
  }

  @Test
  void longNamesAreShortenedWithAStableHashSuffix() {
    String a = "kurator-member1-backup-a-very-long-namespace-name-" + "x".repeat(40) + "-one";
    String b = "kurator-member1-backup-a-very-long-namespace-name-" + "x".repeat(40) + "-two";
    assertThat(Names.fit(a)).hasSize(63).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?").isEqualTo(Names.fit(a));
    assertThat(Names.fit(a)).isNotEqualTo(Names.fit(b)).startsWith(a.substring(0, 50));
  }

  @Test
  void runNumbersAreSuffixesFittedToo() {
    Run run = new Run("kurator-member1-backup-default-select-labels", "0123456789abcdef", null);
    assertThat(run.nameOf(1)).isEqualTo("kurator-member1-backup-default-select-labels");
    assertThat(run.nameOf(2)).isEqualTo("kurator-member1-backup-default-select-labels-2");
    Run longRun = new Run("c-backup-ns-" + "y".repeat(60), "0123456789abcdef", null);
    assertThat(longRun.nameOf(2)).hasSize(63).isNotEqualTo(longRun.nameOf(3));
  }
}
