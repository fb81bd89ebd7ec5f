package io.daemonguard.operator.scan;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeSelectionTest {
  private static final Map<String, String> GPU_A = Map.of("pool", "gpu", "zone", "a");
  private static final Map<String, String> BARE = Map.of();

  private static LabelSelector expression(String key, String operator, String... values) {
    return new LabelSelectorBuilder()
        .addToMatchExpressions(new LabelSelectorRequirement(key, operator, values.length == 0 ? null : List.of(values)))
        .build();
  }

  @Test
  void aNullOrEmptySelectorSelectsEveryNode() {
    assertThat(NodeSelection.selects(null, GPU_A)).isTrue();
    assertThat(NodeSelection.selects(null, null)).isTrue();
    assertThat(NodeSelection.selects(new LabelSelector(), BARE)).isTrue();
    assertThat(NodeSelection.selects(new LabelSelectorBuilder().withMatchLabels(Map.of()).build(), GPU_A)).isTrue();
  }

  @Test
  void matchLabelsNeedsEveryPairExactly() {
    LabelSelector gpu = new LabelSelectorBuilder().addToMatchLabels("pool", "gpu").build();
    LabelSelector gpuB = new LabelSelectorBuilder().addToMatchLabels("pool", "gpu").addToMatchLabels("zone", "b")
        .build();

    assertThat(NodeSelection.selects(gpu, GPU_A)).isTrue();
    assertThat(NodeSelection.selects(gpu, Map.of("pool", "cpu"))).isFalse();
    assertThat(NodeSelection.selects(gpu, BARE)).isFalse();
    assertThat(NodeSelection.selects(gpuB, GPU_A)).isFalse();
  }

  @Test
  void inNeedsThePresentKeyWithOneOfTheValues() {
    LabelSelector in = expression("zone", "In", "a", "b");

    assertThat(NodeSelection.selects(in, GPU_A)).isTrue();
    assertThat(NodeSelection.selects(in, Map.of("zone", "c"))).isFalse();
    assertThat(NodeSelection.selects(in, BARE)).as("absent key").isFalse();
  }

  @Test
  void notInMatchesAnAbsentKeyToo() {
    LabelSelector notIn = expression("zone", "NotIn", "a");

    assertThat(NodeSelection.selects(notIn, GPU_A)).isFalse();
    assertThat(NodeSelection.selects(notIn, Map.of("zone", "b"))).isTrue();
    assertThat(NodeSelection.selects(notIn, BARE)).as("absent key").isTrue();
  }

  @Test
  void existsAndDoesNotExistLookAtTheKeyOnly() {
    assertThat(NodeSelection.selects(expression("pool", "Exists"), GPU_A)).isTrue();
    assertThat(NodeSelection.selects(expression("pool", "Exists"), Map.of("pool", ""))).isTrue();
    assertThat(NodeSelection.selects(expression("pool", "Exists"), BARE)).isFalse();
    assertThat(NodeSelection.selects(expression("pool", "DoesNotExist"), GPU_A)).isFalse();
    assertThat(NodeSelection.selects(expression("pool", "DoesNotExist"), BARE)).isTrue();
  }

  @Test
  void labelsAndExpressionsMustAllHold() {
    LabelSelector both = new LabelSelectorBuilder().addToMatchLabels("pool", "gpu")
        .addToMatchExpressions(new LabelSelectorRequirement("zone", "NotIn", List.of("a")))
        .addToMatchExpressions(new LabelSelectorRequirement("spot", "DoesNotExist", null)).build();

    assertThat(NodeSelection.selects(both, Map.of("pool", "gpu", "zone", "b"))).isTrue();
    assertThat(NodeSelection.selects(both, GPU_A)).isFalse();
    assertThat(NodeSelection.selects(both, Map.of("pool", "gpu", "spot", "true"))).isFalse();
    assertThat(NodeSelection.selects(both, Map.of("zone", "b"))).isFalse();
  }

  @Test
  void anUnknownOperatorOrAMalformedRequirementSelectsNothing() {
    assertThat(NodeSelection.selects(expression("zone", "Equals", "a"), GPU_A)).isFalse();
    assertThat(NodeSelection.selects(expression("zone", "Gt", "1"), Map.of("zone", "2"))).isFalse();
    assertThat(NodeSelection.selects(expression("zone", "In"), GPU_A)).as("In without values").isFalse();
    assertThat(NodeSelection.selects(expression("zone", "NotIn"), BARE)).as("NotIn without values").isFalse();
    assertThat(NodeSelection.selects(expression("zone", "Exists", "a"), GPU_A)).as("Exists with values").isFalse();
    assertThat(NodeSelection.selects(expression(null, "Exists"), GPU_A)).as("no key").isFalse();
    assertThat(NodeSelection.selects(expression("zone", null), GPU_A)).as("no operator").isFalse();
  }
}
