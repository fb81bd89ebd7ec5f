package io.daemonguard.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The values the CRD's schema admits for {@code spec.admission.action} and a rule's {@code action}. The Java fields
 * stay strings, so that a value the schema did not refuse (a policy file, an older CRD) reaches the policy compiler,
 * which names the field and the accepted values; {@code io.daemonguard.admission.Action} is what the engine uses.
 */
public enum PolicyAction {
  @JsonProperty("Enforce") ENFORCE,
  @JsonProperty("Warn") WARN,
  @JsonProperty("Audit") AUDIT
}
