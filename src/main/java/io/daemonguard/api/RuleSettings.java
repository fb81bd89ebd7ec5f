package io.daemonguard.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class RuleSettings {
  @JsonPropertyDescription("Overrides the policy's action for this rule.")
  @Pattern("^(Enforce|Warn|Audit)$")
  private String action;

  @JsonPropertyDescription("false turns the rule off in this policy. Default true.")
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
