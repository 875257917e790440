package dev.fleetbackup.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SafeTextTest {
  @Test
  void aForgedSecondLineStaysOnTheFirst() {
    String forged = "0 2 * * *\n::error file=deploy/evil.yaml,line=1::forged";

    assertThat(SafeText.oneLine(forged))
        .isEqualTo("0 2 * * *\\n::error file=deploy/evil.yaml,line=1::forged")
        .doesNotContain("\n");
  }

  @Test
  void terminalEscapeSequencesAreShownNotSent() {
    assertThat(SafeText.oneLine("\u001b[2Jgone\u0007\u009b")).isEqualTo("\\x1b[2Jgone\\x07\\x9b");
  }

  @Test
  void bidiOverridesAndZeroWidthCharactersAreShown() {
    assertThat(SafeText.oneLine("invoice\u202Efdp.exe\u200B\uFEFF\u2028"))
        .isEqualTo("invoice\\u202efdp.exe\\u200b\\ufeff\\u2028");
  }

  @Test
  void aLeadingWorkflowCommandLosesItsPower() {
    assertThat(SafeText.oneLine("::error::x")).isEqualTo("\\x3a:error::x");
    assertThat(SafeText.oneLine("  ::warning::x")).isEqualTo("  \\x3a:warning::x");
    assertThat(SafeText.oneLine("a ::error::x")).isEqualTo("a ::error::x");
  }

  @Test
  void plainTextAndNonLatinScriptsAreLeftAlone() {
    assertThat(SafeText.oneLine("Backup default/nightly 完成 ✓")).isEqualTo("Backup default/nightly 完成 ✓");
  }

  @Test
  void quotesAreCutWithAnEllipsisAndKeepWholeCodePoints() {
    String huge = "v".repeat(1_000_000);
    String quoted = SafeText.quote(huge);

    assertThat(quoted).hasSize(SafeText.QUOTE_LIMIT + 2).startsWith("\"vvv").endsWith("v…\"");
    assertThat(SafeText.truncate("😀😀😀", 2)).isEqualTo("😀…");
    assertThat(SafeText.truncate("short", 10)).isEqualTo("short");
  }
}
