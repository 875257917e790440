package dev.fleetbackup.apply;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MassDeleteGuardTest {
  @Test
  void refusesDeletingMoreThanTheShareUnlessAllowed() {
    assertThat(MassDeleteGuard.check(7, 12, ApplyOptions.DEFAULTS)).hasValueSatisfying(m ->
        assertThat(m).contains("7 of 12").contains("--allow-mass-delete"));
    assertThat(MassDeleteGuard.check(7, 12, ApplyOptions.DEFAULTS.withDeletes(ApplyOptions.Deletes.ALLOW_MASS_DELETE))).isEmpty();
  }

  @Test
  void allowsOrdinaryPrunes() {
    assertThat(MassDeleteGuard.check(6, 12, ApplyOptions.DEFAULTS)).isEmpty();
    assertThat(MassDeleteGuard.check(1, 14, ApplyOptions.DEFAULTS)).isEmpty();
    assertThat(MassDeleteGuard.check(0, 0, ApplyOptions.DEFAULTS)).isEmpty();
  }
}
