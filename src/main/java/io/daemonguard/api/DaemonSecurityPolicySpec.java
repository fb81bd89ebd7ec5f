package io.daemonguard.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class DaemonSecurityPolicySpec {
  @JsonPropertyDescription("What the admission webhook (and the background audit, and daemonguard check) does with"
      + " workloads that break the rules. Absent: every rule on, with action Enforce.")
  private AdmissionSpec admission;

  @JsonPropertyDescription("The daemon posture this policy asks of the nodes it selects: which nodes, how often they"
      + " are scanned, which findings make a node non-compliant and what is done to such a node. Absent: this policy"
      + " judges no node.")
  private NodePostureSpec nodes;

  public AdmissionSpec getAdmission() {
    return admission;
  }

  public void setAdmission(AdmissionSpec admission) {
    this.admission = admission;
  }

  public NodePostureSpec getNodes() {
    return nodes;
  }

  public void setNodes(NodePostureSpec nodes) {
    this.nodes = nodes;
  }
}
