package io.daemonguard.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

/** {@code spec.nodes.remediation}: what is done to a node found non-compliant. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Remediation {
  @JsonPropertyDescription("Label each selected node daemonguard.io/daemon-posture=compliant or noncompliant."
      + " Default true.")
  @Default("true")
  private Boolean labelNodes;

  @JsonPropertyDescription("Taint a non-compliant node daemonguard.io/daemon-posture=noncompliant:NoSchedule, so that"
      + " no new pod is scheduled there; the taint is removed when the node is compliant again. Default false.")
  @Default("false")
  private Boolean taintNodes;

  public Boolean getLabelNodes() {
    return labelNodes;
  }

  public void setLabelNodes(Boolean labelNodes) {
    this.labelNodes = labelNodes;
  }

  public Boolean getTaintNodes() {
    return taintNodes;
  }

  public void setTaintNodes(Boolean taintNodes) {
    this.taintNodes = taintNodes;
  }
}
