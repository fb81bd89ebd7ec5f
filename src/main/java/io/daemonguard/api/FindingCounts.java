package io.daemonguard.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;

/** {@code status.nodes.findings}: findings by severity. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FindingCounts {
  @JsonPropertyDescription("Critical findings.")
  @Min(0)
  private Long critical;

  @JsonPropertyDescription("High findings.")
  @Min(0)
  private Long high;

  @JsonPropertyDescription("Medium findings.")
  @Min(0)
  private Long medium;

  @JsonPropertyDescription("Low findings.")
  @Min(0)
  private Long low;

  public Long getCritical() {
    return critical;
  }

  public void setCritical(Long critical) {
    this.critical = critical;
  }

  public Long getHigh() {
    return high;
  }

  public void setHigh(Long high) {
    this.high = high;
  }

  public Long getMedium() {
    return medium;
  }

  public void setMedium(Long medium) {
    this.medium = medium;
  }

  public Long getLow() {
    return low;
  }

  public void setLow(Long low) {
    this.low = low;
  }
}
