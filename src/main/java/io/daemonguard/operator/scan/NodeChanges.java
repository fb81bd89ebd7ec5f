package io.daemonguard.operator.scan;

import io.fabric8.kubernetes.api.model.Node;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import java.util.Map;
import java.util.Objects;

/**
 * Lets through only the node updates that matter to its posture: labels (policies select by them, and ours is one),
 * the scan request annotation, taints and cordoning. A Node has no generation, and the kubelet updates its status
 * every few seconds: without this filter each heartbeat would be a reconcile.
 */
public final class NodeChanges implements OnUpdateFilter<Node> {

  public static final String SCAN_REQUESTED = "daemonguard.io/scan-requested";

  @Override
  public boolean accept(Node updated, Node previous) {
    return !Objects.equals(updated.getMetadata().getLabels(), previous.getMetadata().getLabels())
        || !Objects.equals(requested(updated), requested(previous))
        || !Objects.equals(updated.getMetadata().getUid(), previous.getMetadata().getUid())
        || !Objects.equals(spec(updated, true), spec(previous, true))
        || !Objects.equals(spec(updated, false), spec(previous, false));
  }

  static String requested(io.fabric8.kubernetes.api.model.HasMetadata object) {
    Map<String, String> annotations = object.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(SCAN_REQUESTED);
  }

  private static Object spec(Node node, boolean taints) {
    if (node.getSpec() == null) {
      return null;
    }
    return taints ? node.getSpec().getTaints() : node.getSpec().getUnschedulable();
  }
}
