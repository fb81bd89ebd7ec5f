package io.daemonguard.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.List;

/**
 * {@code spec.nodes}: the node-posture side of a policy. The severity and check ids are strings here, as the admission
 * actions are: the CRD's schema refuses what it does not know, and a value that still arrives (a policy file, an older
 * CRD) reaches the compiler, which names the field, rather than failing deserialization of the whole policy.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NodePostureSpec {
  /**
   * A Go-style duration of whole hours, minutes and seconds, in that order, at least one of them: 6h, 30m, 1h30m, 90s.
   * RE2 (the apiserver's regex engine) has no lookahead, hence the three branches that keep the empty string out.
   */
  public static final String DURATION_PATTERN =
      "^([0-9]+h([0-9]+m)?([0-9]+s)?|[0-9]+m([0-9]+s)?|[0-9]+s)$";

  @JsonPropertyDescription("The nodes this policy judges, by their labels (matchLabels, matchExpressions). Absent or"
      + " empty ({}): every node.")
  @SchemaFrom(type = LabelSelectorSchema.class)
  private LabelSelector nodeSelector;

  @JsonPropertyDescription("How often each selected node is scanned: whole hours, minutes and seconds, in that order,"
      + " e.g. 6h, 30m, 1h30m. Default 6h.")
  @Pattern(DURATION_PATTERN)
  @Default("6h")
  private String scanInterval;

  @JsonPropertyDescription("The least severe finding that makes a node non-compliant: critical, high, medium, low or"
      + " info. Default high: a node with a critical or high finding is non-compliant.")
  @SchemaFrom(type = Severity.class)
  @Default("high")
  private String failOn;

  @JsonPropertyDescription("Posture check ids this policy does not judge, e.g. docker-userns-remap-disabled: a finding"
      + " of a disabled check never makes a node non-compliant and is not counted in status.nodes.findings.")
  @SchemaFrom(type = PostureCheck[].class)
  private List<String> disabledChecks;

  @JsonPropertyDescription("What daemonguard does to a node this policy finds non-compliant.")
  @Default("{}")
  private Remediation remediation;

  public LabelSelector getNodeSelector() {
    return nodeSelector;
  }

  public void setNodeSelector(LabelSelector nodeSelector) {
    this.nodeSelector = nodeSelector;
  }

  public String getScanInterval() {
    return scanInterval;
  }

  public void setScanInterval(String scanInterval) {
    this.scanInterval = scanInterval;
  }

  public String getFailOn() {
    return failOn;
  }

  public void setFailOn(String failOn) {
    this.failOn = failOn;
  }

  public List<String> getDisabledChecks() {
    return disabledChecks;
  }

  public void setDisabledChecks(List<String> disabledChecks) {
    this.disabledChecks = disabledChecks;
  }

  public Remediation getRemediation() {
    return remediation;
  }

  public void setRemediation(Remediation remediation) {
    this.remediation = remediation;
  }
}
