package io.daemonguard.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** How one policy that selects the node judges it (its own failOn and disabled checks). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PolicyPostureVerdict {
  @JsonPropertyDescription("The DaemonSecurityPolicy.")
  private String policy;

  @JsonPropertyDescription("No finding at or above the policy's failOn (unset until the node is scanned).")
  private Boolean compliant;

  @JsonPropertyDescription("The policy's failOn.")
  private String failOn;

  @JsonPropertyDescription("Findings this policy counts, by severity (its disabled checks left out).")
  private FindingCounts findings;

  @JsonPropertyDescription("The policy asks for a non-compliant node to be tainted.")
  private Boolean taint;

  public String getPolicy() {
    return policy;
  }

  public void setPolicy(String policy) {
    this.policy = policy;
  }

  public Boolean getCompliant() {
    return compliant;
  }

  public void setCompliant(Boolean compliant) {
    this.compliant = compliant;
  }

  public String getFailOn() {
    return failOn;
  }

  public void setFailOn(String failOn) {
    this.failOn = failOn;
  }

  public FindingCounts getFindings() {
    return findings;
  }

  public void setFindings(FindingCounts findings) {
    this.findings = findings;
  }

  public Boolean getTaint() {
    return taint;
  }

  public void setTaint(Boolean taint) {
    this.taint = taint;
  }
}
