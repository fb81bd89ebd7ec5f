package io.daemonguard.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import java.util.List;
import java.util.Map;

/**
 * Schema only (never instantiated): the CRD's schema for a metav1.LabelSelector, with the descriptions and the
 * required fields and operator values that fabric8's {@link io.fabric8.kubernetes.api.model.LabelSelector} does not
 * carry. The Java field stays a fabric8 LabelSelector; the JSON names here must be the same as its.
 */
final class LabelSelectorSchema {
  @JsonProperty
  @JsonPropertyDescription("Labels a node must carry, each with exactly this value.")
  Map<String, String> matchLabels;

  @JsonProperty
  @JsonPropertyDescription("Requirements on a node's labels; a node must meet all of them, and matchLabels too.")
  List<Requirement> matchExpressions;

  private LabelSelectorSchema() {}

  /** Schema only: a metav1.LabelSelectorRequirement. */
  static final class Requirement {
    @JsonProperty
    @JsonPropertyDescription("The label's key.")
    @Required
    String key;

    @JsonProperty
    @JsonPropertyDescription("In, NotIn, Exists or DoesNotExist.")
    @Required
    Operator operator;

    @JsonProperty
    @JsonPropertyDescription("The values for In and NotIn (at least one); empty for Exists and DoesNotExist.")
    List<String> values;

    private Requirement() {}
  }

  enum Operator { In, NotIn, Exists, DoesNotExist }
}
