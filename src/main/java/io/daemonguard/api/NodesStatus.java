package io.daemonguard.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;

/** {@code status.nodes}: filled by the node-posture side of the operator. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NodesStatus {
  @JsonPropertyDescription("Nodes this policy selects.")
  @Min(0)
  private Long selected;

  @JsonPropertyDescription("Selected nodes with a completed scan.")
  @Min(0)
  private Long scanned;

  @JsonPropertyDescription("Scanned nodes with no finding at or above failOn.")
  @Min(0)
  private Long compliant;

  @JsonPropertyDescription("Scanned nodes with a finding at or above failOn.")
  @Min(0)
  private Long nonCompliant;

  @JsonPropertyDescription("Findings on the selected nodes, by severity (disabled checks left out).")
  private FindingCounts findings;

  public Long getSelected() {
    return selected;
  }

  public void setSelected(Long selected) {
    this.selected = selected;
  }

  public Long getScanned() {
    return scanned;
  }

  public void setScanned(Long scanned) {
    this.scanned = scanned;
  }

  public Long getCompliant() {
    return compliant;
  }

  public void setCompliant(Long compliant) {
    this.compliant = compliant;
  }

  public Long getNonCompliant() {
    return nonCompliant;
  }

  public void setNonCompliant(Long nonCompliant) {
    this.nonCompliant = nonCompliant;
  }

  public FindingCounts getFindings() {
    return findings;
  }

  public void setFindings(FindingCounts findings) {
    this.findings = findings;
  }
}
