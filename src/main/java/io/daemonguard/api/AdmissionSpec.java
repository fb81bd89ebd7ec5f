package io.daemonguard.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Default;

@JsonInclude(JsonInclude.Include.NON_NULL)
/** {@code spec.admission}: what the admission webhook, the background audit and {@code check} judge. */
public class AdmissionSpec {
  @JsonPropertyDescription("What happens to a workload that breaks a rule: Enforce (deny it), Warn (admit it, with a"
      + " warning kubectl prints) or Audit (admit it, record it in the audit log and the policy's status). A rule's own"
      + " action overrides this. Default Enforce.")
  @SchemaFrom(type = PolicyAction.class)
  @Default("Enforce")
  private String action;

  @JsonPropertyDescription("The rules this policy applies, one field per rule: hostRootMount (rule host-root-mount),"
      + " privilegedContainer (privileged-container), runtimeSocketMount (runtime-socket-mount). A rule left out here"
      + " is off; with no rules field at all, every rule is on with the policy's action.")
  private AdmissionRules rules;

  @JsonPropertyDescription("Workloads this policy does not judge, by namespace, service account or image. Other"
      + " policies still judge them.")
  private Exemptions exemptions;

  public String getAction() {
    return action;
  }

  public void setAction(String action) {
    this.action = action;
  }

  public AdmissionRules getRules() {
    return rules;
  }

  public void setRules(AdmissionRules rules) {
    this.rules = rules;
  }

  public Exemptions getExemptions() {
    return exemptions;
  }

  public void setExemptions(Exemptions exemptions) {
    this.exemptions = exemptions;
  }
}
