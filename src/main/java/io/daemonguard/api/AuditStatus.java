package io.daemonguard.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import java.util.List;
import java.util.Map;

/** {@code status.audit}: filled by the background audit. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AuditStatus {
  /** The most examples the status holds, so that it stays small however many workloads break the rules. */
  public static final int MAX_EXAMPLES = 20;

  @JsonPropertyDescription("Running workloads that break this policy: workloads, not replicas (a Deployment of 10"
      + " pods counts once).")
  @Min(0)
  private Long violations;

  @JsonPropertyDescription("Violating workloads by rule id (host-root-mount, privileged-container,"
      + " runtime-socket-mount, ...).")
  private Map<String, Long> byRule;

  @JsonPropertyDescription("Violating workloads by the action the policy takes on them: Enforce, Warn, Audit.")
  private Map<String, Long> byAction;

  @JsonPropertyDescription("When the last complete audit finished (RFC 3339).")
  private String lastCompleted;

  @JsonPropertyDescription("A few of the violations (at most 20), so that kubectl describe shows where to look;"
      + " kubectl get polr has them all.")
  @Size(max = MAX_EXAMPLES)
  private List<AuditExample> examples;

  public Long getViolations() {
    return violations;
  }

  public void setViolations(Long violations) {
    this.violations = violations;
  }

  public Map<String, Long> getByRule() {
    return byRule;
  }

  public void setByRule(Map<String, Long> byRule) {
    this.byRule = byRule;
  }

  public Map<String, Long> getByAction() {
    return byAction;
  }

  public void setByAction(Map<String, Long> byAction) {
    this.byAction = byAction;
  }

  public String getLastCompleted() {
    return lastCompleted;
  }

  public void setLastCompleted(String lastCompleted) {
    this.lastCompleted = lastCompleted;
  }

  public List<AuditExample> getExamples() {
    return examples;
  }

  public void setExamples(List<AuditExample> examples) {
    this.examples = examples;
  }
}
