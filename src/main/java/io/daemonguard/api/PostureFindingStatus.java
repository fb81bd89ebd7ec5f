package io.daemonguard.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** One finding on a node, as the evaluator wrote it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PostureFindingStatus {
  @JsonPropertyDescription("The posture check id, e.g. docker-tcp-without-tls.")
  private String check;

  @JsonPropertyDescription("critical, high, medium, low or info.")
  private String severity;

  @JsonPropertyDescription("What was found.")
  private String message;

  @JsonPropertyDescription("The CIS Docker or Kubernetes Benchmark recommendation, where one exists.")
  private String cis;

  @JsonPropertyDescription("Which process, flag, file or socket shows it.")
  private List<String> evidence;

  @JsonPropertyDescription("What to change on the node.")
  private String remediation;

  @JsonPropertyDescription("True when the check could not be judged: the message says which fact could not be read.")
  private Boolean unknown;

  public String getCheck() {
    return check;
  }

  public void setCheck(String check) {
    this.check = check;
  }

  public String getSeverity() {
    return severity;
  }

  public void setSeverity(String severity) {
    this.severity = severity;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public String getCis() {
    return cis;
  }

  public void setCis(String cis) {
    this.cis = cis;
  }

  public List<String> getEvidence() {
    return evidence;
  }

  public void setEvidence(List<String> evidence) {
    this.evidence = evidence;
  }

  public String getRemediation() {
    return remediation;
  }

  public void setRemediation(String remediation) {
    this.remediation = remediation;
  }

  public Boolean getUnknown() {
    return unknown;
  }

  public void setUnknown(Boolean unknown) {
    this.unknown = unknown;
  }
}
