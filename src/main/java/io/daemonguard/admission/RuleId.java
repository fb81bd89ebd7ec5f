package io.daemonguard.admission;

/** The stable rule ids: they appear in messages, JSON output, metrics and Events. */
public enum RuleId {
  HOST_ROOT_MOUNT("host-root-mount", "hostRootMount"),
  PRIVILEGED_CONTAINER("privileged-container", "privilegedContainer"),
  RUNTIME_SOCKET_MOUNT("runtime-socket-mount", "runtimeSocketMount");

  private final String id;
  private final String policyField;

  RuleId(String id, String policyField) {
    this.id = id;
    this.policyField = policyField;
  }

  public String id() {
    return id;
  }

  /** The key of this rule under {@code spec.admission.rules} in a DaemonSecurityPolicy. */
  public String policyField() {
    return policyField;
  }
}
