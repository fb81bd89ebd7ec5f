package io.daemonguard.operator.scan;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;

/**
 * The node cache without what the posture side never reads: the status (a Node's image list alone can be tens of
 * kilobytes) and managedFields. Labels, annotations, taints and the uid stay.
 */
public final class PrunedNodeStore extends BasicItemStore<Node> {

  public PrunedNodeStore() {
    super(Cache::metaNamespaceKeyFunc);
  }

  @Override
  public Node put(String key, Node node) {
    node.setStatus(null);
    node.getMetadata().setManagedFields(null);
    return super.put(key, node);
  }
}
