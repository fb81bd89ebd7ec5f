package io.daemonguard.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;

/** {@code status.summary}: a node's findings by severity, and the checks that could not be judged. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PostureSummary {
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

  @JsonPropertyDescription("Informational findings.")
  @Min(0)
  private Long info;

  @JsonPropertyDescription("Checks that could not be judged (a fact could not be read); never counted as a pass.")
  @Min(0)
  private Long unknown;

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

  public Long getInfo() {
    return info;
  }

  public void setInfo(Long info) {
    this.info = info;
  }

  public Long getUnknown() {
    return unknown;
  }

  public void setUnknown(Long unknown) {
    this.unknown = unknown;
  }
}
