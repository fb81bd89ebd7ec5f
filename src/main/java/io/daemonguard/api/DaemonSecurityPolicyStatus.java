package io.daemonguard.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Min;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** Written by the operator only (through the status subresource). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DaemonSecurityPolicyStatus {
  @JsonPropertyDescription("The metadata.generation this status describes; when it is behind, the operator has not"
      + " yet judged the newest spec.")
  @Min(0)
  private Long observedGeneration;

  @JsonPropertyDescription("The policy's conditions, in the metav1.Condition shape. Type Ready: True (reason Valid)"
      + " when the policy compiles and is in force; False (reason InvalidSpec, with the compiler's message) when it does"
      + " not, in which case the last valid version, or the built-in default, stays in force.")
  @SchemaFrom(type = ConditionSchema[].class)
  private List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("What the background audit found among the workloads already running.")
  private AuditStatus audit;

  @JsonPropertyDescription("The daemon posture of the nodes this policy selects.")
  private NodesStatus nodes;

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  public AuditStatus getAudit() {
    return audit;
  }

  public void setAudit(AuditStatus audit) {
    this.audit = audit;
  }

  public NodesStatus getNodes() {
    return nodes;
  }

  public void setNodes(NodesStatus nodes) {
    this.nodes = nodes;
  }
}
