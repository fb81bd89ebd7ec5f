package io.daemonguard.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;

/** {@code status.summary}: a node's findings by severity (info too), and the checks that could not be judged. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PostureSummary extends FindingCounts {
  @JsonPropertyDescription("Informational findings.")
  @Min(0)
  private Long info;

  @JsonPropertyDescription("Checks that could not be judged (a fact could not be read); never counted as a pass.")
  @Min(0)
  private Long unknown;

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
