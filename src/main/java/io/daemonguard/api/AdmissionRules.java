package io.daemonguard.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class AdmissionRules {
  @JsonPropertyDescription("host-root-mount: refuse hostPath / in any spelling.")
  private RuleSettings hostRootMount;

  @JsonPropertyDescription("privileged-container: refuse privileged containers, init and ephemeral included.")
  private RuleSettings privilegedContainer;

  @JsonPropertyDescription("runtime-socket-mount: refuse mounts of a runtime API socket or a directory holding one.")
  private SocketRuleSettings runtimeSocketMount;

  public RuleSettings getHostRootMount() {
    return hostRootMount;
  }

  public void setHostRootMount(RuleSettings hostRootMount) {
    this.hostRootMount = hostRootMount;
  }

  public RuleSettings getPrivilegedContainer() {
    return privilegedContainer;
  }

  public void setPrivilegedContainer(RuleSettings privilegedContainer) {
    this.privilegedContainer = privilegedContainer;
  }

  public SocketRuleSettings getRuntimeSocketMount() {
    return runtimeSocketMount;
  }

  public void setRuntimeSocketMount(SocketRuleSettings runtimeSocketMount) {
    this.runtimeSocketMount = runtimeSocketMount;
  }
}
