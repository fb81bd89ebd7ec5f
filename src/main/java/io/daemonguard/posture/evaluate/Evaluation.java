package io.daemonguard.posture.evaluate;

import io.daemonguard.api.Severity;
import java.util.List;

/** Findings (most severe first) and every check's outcome, under one policy. */
public record Evaluation(List<Finding> findings, List<CheckResult> checks, PosturePolicy policy) {

  /** True when a finding is at or above the policy's failOn. */
  public boolean failed() {
    return findings.stream().anyMatch(f -> f.severity().atLeast(policy.failOn()));
  }

  public long count(Severity severity) {
    return findings.stream().filter(f -> !f.unknown() && f.severity() == severity).count();
  }

  public long unknownCount() {
    return findings.stream().filter(Finding::unknown).count();
  }
}
