package io.daemonguard.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** {@code spec} of a NodeDaemonPosture: which node it describes (the object is named after it too). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NodeDaemonPostureSpec {
  @JsonPropertyDescription("The Node this posture describes.")
  private String nodeName;

  public String getNodeName() {
    return nodeName;
  }

  public void setNodeName(String nodeName) {
    this.nodeName = nodeName;
  }
}
