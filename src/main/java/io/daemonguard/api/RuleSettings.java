package io.daemonguard.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Default;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class RuleSettings {
  @JsonPropertyDescription("Enforce, Warn or Audit for this rule only, in place of spec.admission.action. Absent: the"
      + " policy's action.")
  @SchemaFrom(type = PolicyAction.class)
  private String action;

  @JsonPropertyDescription("false turns the rule off in this policy, as leaving it out would. Default true.")
  @Default("true")
  private Boolean enabled;

  public String getAction() {
    return action;
  }

  public void setAction(String action) {
    this.action = action;
  }

  public Boolean getEnabled() {
    return enabled;
  }

  public void setEnabled(Boolean enabled) {
    this.enabled = enabled;
  }
}
