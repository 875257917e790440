package dev.fleetbackup.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MemberBudgetTest {
  private final AtomicLong now = new AtomicLong();
  private final MemberBudget budget = new MemberBudget(Duration.ofSeconds(10), now::get);

  private void pass(Duration d) {
    now.addAndGet(d.toNanos());
  }

  @Test
  void onlyTheTimeThePassWorksOnTheMemberIsSpent() {
    budget.start();
    pass(Duration.ofSeconds(3)); // observing it
    budget.stop();
    pass(Duration.ofMinutes(4)); // waiting for a slow member's observation
    budget.start();
    pass(Duration.ofSeconds(2)); // diffing it

    assertThat(budget.remaining()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void aSpentBudgetHasNothingLeft() {
    budget.start();
    pass(Duration.ofSeconds(11));

    assertThat(budget.remaining()).isZero();
  }

  @Test
  void aBudgetIsPositive() {
    assertThatThrownBy(() -> new MemberBudget(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
  }
}
