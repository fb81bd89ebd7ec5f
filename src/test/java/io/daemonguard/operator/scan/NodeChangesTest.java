package io.daemonguard.operator.scan;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

class NodeChangesTest {

  private final NodeChanges filter = new NodeChanges();

  private static Node node() {
    return new NodeBuilder().withNewMetadata().withName("n").withUid("u").withResourceVersion("1")
        .addToLabels("pool", "a").endMetadata()
        .withNewSpec().endSpec()
        .withNewStatus().addToConditions(new NodeConditionBuilder().withType("Ready").withStatus("True")
            .withLastHeartbeatTime("2026-12-02T12:00:00Z").build()).endStatus()
        .build();
  }

  @Test
  void aHeartbeatIsNotAChange() {
    Node before = node();
    Node after = Serialization.clone(before);
    after.getMetadata().setResourceVersion("2");
    after.getStatus().getConditions().get(0).setLastHeartbeatTime("2026-12-02T12:00:10Z");
    after.getMetadata().setAnnotations(java.util.Map.of("node.alpha.kubernetes.io/ttl", "0"));
    assertThat(filter.accept(after, before)).isFalse();
  }

  @Test
  void labelsTaintsCordoningAndAScanRequestAreChanges() {
    Node before = node();
    Node relabelled = Serialization.clone(before);
    relabelled.getMetadata().getLabels().put("pool", "b");
    Node tainted = Serialization.clone(before);
    tainted.getSpec().getTaints().add(new Taint("NoSchedule", "k", null, "v"));
    Node cordoned = Serialization.clone(before);
    cordoned.getSpec().setUnschedulable(true);
    Node requested = Serialization.clone(before);
    requested.getMetadata().setAnnotations(java.util.Map.of(NodeChanges.SCAN_REQUESTED, "now"));
    assertThat(filter.accept(relabelled, before)).isTrue();
    assertThat(filter.accept(tainted, before)).isTrue();
    assertThat(filter.accept(cordoned, before)).isTrue();
    assertThat(filter.accept(requested, before)).isTrue();
  }
}
