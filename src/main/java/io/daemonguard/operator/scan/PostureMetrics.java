package io.daemonguard.operator.scan;

import io.daemonguard.api.NodeDaemonPosture;
import io.daemonguard.api.NodeDaemonPostureStatus;
import io.daemonguard.api.PostureFindingStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The node side's series. Per node, check and severity: at most one series per finding a node has, so the cardinality
 * is bounded by nodes times checks. Rebuilt from the postures' cache on a timer (not per write), on the leader only.
 */
final class PostureMetrics {

  private final MultiGauge findings;
  private final MultiGauge compliant;
  private final MultiGauge lastScan;
  private final Map<String, Counter> scans = new ConcurrentHashMap<>();
  private final AtomicInteger running = new AtomicInteger();
  private final MeterRegistry registry;

  PostureMetrics(MeterRegistry registry) {
    this.registry = registry;
    findings = MultiGauge.builder("daemonguard.node.posture.findings")
        .description("1 for each finding a node's container daemon has now, by check and severity (unknown: the check"
            + " could not be judged)")
        .register(registry);
    compliant = MultiGauge.builder("daemonguard.node.compliant")
        .description("1 when the node has no finding at or above the failOn of the policies that select it, else 0")
        .register(registry);
    lastScan = MultiGauge.builder("daemonguard.node.last.scan.timestamp.seconds")
        .description("When the node's last successful scan finished (alert on time() minus this)")
        .register(registry);
    Gauge.builder("daemonguard.node.scans.running", running, AtomicInteger::get)
        .description("Scan Jobs running now").register(registry);
  }

  void scanned(boolean succeeded) {
    String result = succeeded ? "succeeded" : "failed";
    scans.computeIfAbsent(result, r -> Counter.builder("daemonguard.node.scans")
        .description("Node scans by result").tag("result", r).register(registry)).increment();
  }

  double scans(String result) {
    Counter c = scans.get(result);
    return c == null ? 0 : c.count();
  }

  void running(int jobs) {
    running.set(jobs);
  }

  /** The series from the postures as they are now; a deleted node's series go with it. */
  void refresh(Stream<NodeDaemonPosture> postures) {
    List<MultiGauge.Row<?>> findingRows = new ArrayList<>();
    List<MultiGauge.Row<?>> compliantRows = new ArrayList<>();
    List<MultiGauge.Row<?>> scanRows = new ArrayList<>();
    postures.forEach(p -> {
      NodeDaemonPostureStatus status = p.getStatus();
      String node = p.getMetadata().getName();
      if (status == null || status.getLastScan() == null) {
        return;
      }
      if (status.getCompliant() != null) {
        compliantRows.add(MultiGauge.Row.of(Tags.of("node", node), status.getCompliant() ? 1 : 0));
      }
      scanRows.add(MultiGauge.Row.of(Tags.of("node", node), Instant.parse(status.getLastScan()).getEpochSecond()));
      if (status.getFindings() != null) {
        status.getFindings().stream()
            .map(f -> Tags.of("node", node, "check", f.getCheck(), "severity", severity(f)))
            .distinct()
            .forEach(tags -> findingRows.add(MultiGauge.Row.of(tags, 1)));
      }
    });
    findings.register(findingRows, true);
    compliant.register(compliantRows, true);
    lastScan.register(scanRows, true);
  }

  private static String severity(PostureFindingStatus finding) {
    return Boolean.TRUE.equals(finding.getUnknown()) ? "unknown" : finding.getSeverity();
  }
}
