package io.daemonguard.webhook;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A static pod's mirror: the Pod a kubelet creates in the API for a pod it runs from its manifest directory. The
 * kubelet runs a static pod whatever admission says, so refusing the mirror protects nothing and hides the pod from
 * every API client, the audit included. The webhook admits it instead, records what it breaks in the audit
 * annotation, and the audit reports it. Only a node's own mirror counts: created by {@code system:node:NAME}, with the
 * kubelet's mirror annotation, bound to node NAME (which NodeRestriction also enforces); that node could run the pod
 * anyway.
 */
final class MirrorPods {

  static final String ANNOTATION = "kubernetes.io/config.mirror";
  private static final String NODE_USER = "system:node:";

  private MirrorPods() {}

  static boolean isNodesOwnMirror(ReviewRequest request) {
    if (!"Pod".equals(request.kind()) || !"CREATE".equals(request.operation()) || request.username() == null
        || !request.username().startsWith(NODE_USER) || request.object() == null) {
      return false;
    }
    JsonNode object = request.object();
    JsonNode annotation = object.path("metadata").path("annotations").path(ANNOTATION);
    String nodeName = object.path("spec").path("nodeName").asText("");
    return annotation.isTextual() && !nodeName.isEmpty()
        && nodeName.equals(request.username().substring(NODE_USER.length()))
        && request.groups().contains("system:nodes");
  }
}
