package io.daemonguard.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Arrays;
import java.util.stream.Collectors;

/** A posture finding's severity, as {@code spec.nodes.failOn} spells it; declared from most to least severe. */
public enum Severity {
  @JsonProperty("critical") CRITICAL("critical"),
  @JsonProperty("high") HIGH("high"),
  @JsonProperty("medium") MEDIUM("medium"),
  @JsonProperty("low") LOW("low"),
  @JsonProperty("info") INFO("info");

  private final String label;

  Severity(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  /** True when this severity is {@code threshold} or more severe. */
  public boolean atLeast(Severity threshold) {
    return compareTo(threshold) <= 0;
  }

  /** Parses the CRD's spelling; names the field and the accepted values when the input is wrong. */
  public static Severity parse(String value, String field) {
    for (Severity severity : values()) {
      if (severity.label.equals(value)) {
        return severity;
      }
    }
    throw new IllegalArgumentException(field + ": \"" + value + "\" is not one of "
        + Arrays.stream(values()).map(Severity::label).collect(Collectors.joining(", ")));
  }
}
