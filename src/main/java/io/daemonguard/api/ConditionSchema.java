package io.daemonguard.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * Schema only (never instantiated): the CRD's schema for a metav1.Condition, with its required fields, status values
 * and patterns, which fabric8's {@link io.fabric8.kubernetes.api.model.Condition} does not carry. The Java field stays
 * a fabric8 Condition; the JSON names here must be the same as its. Patterns and sizes as in k8s.io/apimachinery.
 */
final class ConditionSchema {
  @JsonProperty
  @JsonPropertyDescription("The condition's type; Ready for a DaemonSecurityPolicy.")
  @Required
  @Size(max = 316)
  @Pattern("^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$")
  String type;

  @JsonProperty
  @JsonPropertyDescription("True, False or Unknown.")
  @Required
  Status status;

  @JsonProperty
  @JsonPropertyDescription("The metadata.generation the condition was set for.")
  @Min(0)
  Long observedGeneration;

  @JsonProperty
  @JsonPropertyDescription("When the condition last changed status (RFC 3339).")
  @Required
  String lastTransitionTime;

  @JsonProperty
  @JsonPropertyDescription("Why, in one CamelCase word: Valid, InvalidSpec, ...")
  @Required
  @Size(min = 1, max = 1024)
  @Pattern("^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$")
  String reason;

  @JsonProperty
  @JsonPropertyDescription("Why, for a human; for InvalidSpec the compiler's message, naming the field.")
  @Required
  @Size(max = 32768)
  String message;

  private ConditionSchema() {}

  enum Status { True, False, Unknown }
}
