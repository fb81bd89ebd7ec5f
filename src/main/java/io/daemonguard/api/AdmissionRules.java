package io.daemonguard.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class AdmissionRules {
  @JsonPropertyDescription("Rule host-root-mount: refuses a hostPath volume of the host's root filesystem, in any spelling"
      + " (/, //, /./, /proc/1/root, ...). {} turns it on with the policy's action.")
  private RuleSettings hostRootMount;

  @JsonPropertyDescription("Rule privileged-container: refuses a privileged container; init and ephemeral containers included."
      + " {} turns it on with the policy's action.")
  private RuleSettings privilegedContainer;

  @JsonPropertyDescription("Rule runtime-socket-mount: refuses a hostPath volume of a container runtime's API socket (Docker,"
      + " containerd, CRI-O, cri-dockerd) or of a directory holding one (/var/run, /run, /var, ...). {} turns it on"
      + " with the policy's action.")
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
