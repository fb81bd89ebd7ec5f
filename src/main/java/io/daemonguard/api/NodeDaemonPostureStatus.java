package io.daemonguard.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** Written by the operator only: the facts of the last scan and their judgement. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NodeDaemonPostureStatus {
  @JsonPropertyDescription("The container daemons found on the node: docker, containerd, cri-o (comma-separated), or none.")
  private String runtime;

  @JsonPropertyDescription("False when a finding is at or above the failOn of any policy that selects the node; unset until the first scan.")
  private Boolean compliant;

  @JsonPropertyDescription("The DaemonSecurityPolicies that select this node.")
  private List<String> policies;

  @JsonPropertyDescription("The strictest failOn among those policies.")
  private String failOn;

  @JsonPropertyDescription("Findings by severity under the strictest of those policies.")
  private PostureSummary summary;

  @JsonPropertyDescription("What the last scan found, most severe first.")
  private List<PostureFindingStatus> findings;

  @JsonPropertyDescription("Each selecting policy's own verdict.")
  private List<PolicyPostureVerdict> verdicts;

  @JsonPropertyDescription("Everything the last successful scan read from the node (daemons, listeners, sockets, settings), unjudged: a policy change judges these again without a new scan.")
  @PreserveUnknownFields
  private JsonNode facts;

  @JsonPropertyDescription("SHA-256 of the facts, to tell a scan that changed something from one that did not.")
  private String factsDigest;

  @JsonPropertyDescription("When the last successful scan finished (RFC 3339).")
  private String lastScan;

  @JsonPropertyDescription("The last value of the annotation daemonguard.io/scan-requested (on the Node or on this object) that started a scan.")
  private String lastScanRequest;

  @JsonPropertyDescription("Type Scanned: True (reason ScanSucceeded) or False (reason ScanFailed, with the reason); type Compliant.")
  @SchemaFrom(type = ConditionSchema[].class)
  private List<Condition> conditions = new ArrayList<>();

  public String getRuntime() {
    return runtime;
  }

  public void setRuntime(String runtime) {
    this.runtime = runtime;
  }

  public Boolean getCompliant() {
    return compliant;
  }

  public void setCompliant(Boolean compliant) {
    this.compliant = compliant;
  }

  public List<String> getPolicies() {
    return policies;
  }

  public void setPolicies(List<String> policies) {
    this.policies = policies;
  }

  public String getFailOn() {
    return failOn;
  }

  public void setFailOn(String failOn) {
    this.failOn = failOn;
  }

  public PostureSummary getSummary() {
    return summary;
  }

  public void setSummary(PostureSummary summary) {
    this.summary = summary;
  }

  public List<PostureFindingStatus> getFindings() {
    return findings;
  }

  public void setFindings(List<PostureFindingStatus> findings) {
    this.findings = findings;
  }

  public List<PolicyPostureVerdict> getVerdicts() {
    return verdicts;
  }

  public void setVerdicts(List<PolicyPostureVerdict> verdicts) {
    this.verdicts = verdicts;
  }

  public JsonNode getFacts() {
    return facts;
  }

  public void setFacts(JsonNode facts) {
    this.facts = facts;
  }

  public String getFactsDigest() {
    return factsDigest;
  }

  public void setFactsDigest(String factsDigest) {
    this.factsDigest = factsDigest;
  }

  public String getLastScan() {
    return lastScan;
  }

  public void setLastScan(String lastScan) {
    this.lastScan = lastScan;
  }

  public String getLastScanRequest() {
    return lastScanRequest;
  }

  public void setLastScanRequest(String lastScanRequest) {
    this.lastScanRequest = lastScanRequest;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }
}
