package io.daemonguard.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class AdmissionSpec {
  @JsonPropertyDescription("Enforce (deny), Warn (allow with a kubectl warning) or Audit (allow, record in the audit log). Default Enforce.")
  @Pattern("^(Enforce|Warn|Audit)$")
  private String action;

  @JsonPropertyDescription("The rules this policy applies; an absent rule is off. Absent altogether: all rules on.")
  private AdmissionRules rules;

  @JsonPropertyDescription("Workloads this policy does not judge.")
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
