package io.daemonguard.operator.scan;

import io.daemonguard.report.PolicyReports;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import java.time.Duration;

/**
 * How the operator scans nodes. {@code concurrency}: scan Jobs at once, cluster-wide; {@code deadline}: a scan's
 * lifetime, Pending included; {@code retry}: how long after a failed scan the next try. {@code reportFormat} null:
 * no ClusterPolicyReports.
 */
public record NodeScanSettings(PodTemplateSpec template, String namespace, int concurrency, Duration deadline,
    Duration retry, PolicyReports.Format reportFormat, boolean reportPass) {

  public NodeScanSettings {
    if (concurrency < 1) {
      throw new IllegalArgumentException("--scan-concurrency must be at least 1, not " + concurrency);
    }
    if (deadline.toSeconds() < 10) {
      throw new IllegalArgumentException("--scan-deadline must be at least 10s, not " + deadline.toSeconds() + "s");
    }
  }
}
