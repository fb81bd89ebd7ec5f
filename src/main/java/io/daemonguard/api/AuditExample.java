package io.daemonguard.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** One violation in {@code status.audit.examples}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AuditExample {
  @JsonPropertyDescription("The workload's kind: Pod, Deployment, DaemonSet, ...")
  @Required
  private String kind;

  @JsonPropertyDescription("The workload's namespace.")
  private String namespace;

  @JsonPropertyDescription("The workload's name.")
  @Required
  private String name;

  @JsonPropertyDescription("The rule id it breaks, e.g. privileged-container.")
  @Required
  private String rule;

  @JsonPropertyDescription("The offending field, e.g. spec.template.spec.containers[0].securityContext.privileged.")
  private String path;

  public String getKind() {
    return kind;
  }

  public void setKind(String kind) {
    this.kind = kind;
  }

  public String getNamespace() {
    return namespace;
  }

  public void setNamespace(String namespace) {
    this.namespace = namespace;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getRule() {
    return rule;
  }

  public void setRule(String rule) {
    this.rule = rule;
  }

  public String getPath() {
    return path;
  }

  public void setPath(String path) {
    this.path = path;
  }
}
