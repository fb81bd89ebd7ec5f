package io.daemonguard.operator.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ScanSlotsTest {

  private static final class MovableClock extends Clock {
    Instant now = Instant.parse("2026-12-02T12:00:00Z");

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void jobsJustCreatedCountUntilTheCacheShowsThem() {
    MovableClock clock = new MovableClock();
    ScanSlots slots = new ScanSlots(2, clock);
    assertThat(slots.tryTake("a", Set.of())).isTrue();
    assertThat(slots.tryTake("b", Set.of())).isTrue();
    // neither is in the cache yet: both still count
    assertThat(slots.tryTake("c", Set.of())).isFalse();
    // the cache shows a and b: still two running
    assertThat(slots.tryTake("c", Set.of("a", "b"))).isFalse();
    // a finished and was deleted
    assertThat(slots.tryTake("c", Set.of("b"))).isTrue();
  }

  @Test
  void aCreateTheCacheNeverShowsFreesItsSlotAfterAWhile() {
    MovableClock clock = new MovableClock();
    ScanSlots slots = new ScanSlots(1, clock);
    assertThat(slots.tryTake("a", Set.of())).isTrue();
    assertThat(slots.tryTake("b", Set.of())).isFalse();
    clock.now = clock.now.plus(Duration.ofSeconds(31));
    assertThat(slots.tryTake("b", Set.of())).isTrue();
    slots.release("b");
    assertThat(slots.tryTake("c", Set.of())).isTrue();
  }
}
