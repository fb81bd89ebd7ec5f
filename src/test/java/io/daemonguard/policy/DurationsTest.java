package io.daemonguard.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

  @Test
  void readsGoStyleDurationsAndBareSeconds() {
    assertThat(Durations.parse("6h", "f")).isEqualTo(Duration.ofHours(6));
    assertThat(Durations.parse("1h30m", "f")).isEqualTo(Duration.ofMinutes(90));
    assertThat(Durations.parse("2m5s", "f")).isEqualTo(Duration.ofSeconds(125));
    assertThat(Durations.parse("90s", "f")).isEqualTo(Duration.ofSeconds(90));
    assertThat(Durations.parse("120", "f")).isEqualTo(Duration.ofSeconds(120));
  }

  @Test
  void namesTheFieldOfAWrongValue() {
    assertThatThrownBy(() -> Durations.parse("30m1h", "spec.nodes.scanInterval"))
        .hasMessageContaining("spec.nodes.scanInterval: \"30m1h\" is not a duration");
    assertThatThrownBy(() -> Durations.parse("0s", "--scan-retry")).hasMessageContaining("--scan-retry")
        .hasMessageContaining("zero");
    assertThatThrownBy(() -> Durations.parse(" ", "--scan-deadline")).hasMessageContaining("--scan-deadline: empty");
    assertThatThrownBy(() -> Durations.parse("1d", "x")).hasMessageContaining("\"1d\" is not a duration");
  }
}
