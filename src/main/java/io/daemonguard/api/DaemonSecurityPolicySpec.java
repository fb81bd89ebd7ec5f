package io.daemonguard.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class DaemonSecurityPolicySpec {
  @JsonPropertyDescription("What the admission webhook does with workloads that break the rules.")
  private AdmissionSpec admission;

  public AdmissionSpec getAdmission() {
    return admission;
  }

  public void setAdmission(AdmissionSpec admission) {
    this.admission = admission;
  }
}
