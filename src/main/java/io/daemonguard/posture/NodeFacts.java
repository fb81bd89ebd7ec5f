package io.daemonguard.posture;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Everything the collector read from one node, and nothing judged: the evaluator turns these facts and a policy into
 * findings, so that the operator can judge again, under another policy, without scanning again. A daemon absent from
 * the node is null (or an empty list), never an error.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NodeFacts(
    String node,
    String hostRoot,
    List<ListenerFact> listeners,
    DockerFacts docker,
    List<ContainerdFacts> containerd,
    CrioFacts crio,
    KubeletFacts kubelet,
    List<ProbeFact> probes,
    List<Unknown> unknown) {

  public NodeFacts withProbes(List<ProbeFact> found) {
    return new NodeFacts(node, hostRoot, listeners, docker, containerd, crio, kubelet, found, unknown);
  }
}
