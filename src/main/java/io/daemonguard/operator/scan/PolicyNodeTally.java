package io.daemonguard.operator.scan;

import io.daemonguard.api.FindingCounts;
import io.daemonguard.api.NodeDaemonPosture;
import io.daemonguard.api.NodeDaemonPostureStatus;
import io.daemonguard.api.NodesStatus;
import io.daemonguard.api.PolicyPostureVerdict;
import java.util.Collection;

/** A policy's {@code status.nodes}, counted from the nodes' postures: pure, so the counting rules are tested alone. */
public final class PolicyNodeTally {
  private PolicyNodeTally() {}

  /**
   * The figures of {@code policy} over {@code postures}: selected, the postures whose status.policies names it;
   * scanned, those of them with a lastScan; compliant and nonCompliant, the scanned ones whose verdict of this policy
   * says so (a verdict not given yet is not counted); findings, the sum of this policy's verdict counts over the
   * scanned ones. Every field is set, zeros included.
   */
  public static NodesStatus tally(String policy, Collection<NodeDaemonPosture> postures) {
    long selected = 0;
    long scanned = 0;
    long compliant = 0;
    long nonCompliant = 0;
    long[] findings = new long[4];
    for (NodeDaemonPosture posture : postures) {
      NodeDaemonPostureStatus status = posture == null ? null : posture.getStatus();
      if (status == null || status.getPolicies() == null || !status.getPolicies().contains(policy)) {
        continue;
      }
      selected++;
      if (status.getLastScan() == null) {
        continue;
      }
      scanned++;
      PolicyPostureVerdict verdict = verdict(status, policy);
      if (verdict == null) {
        continue;
      }
      if (Boolean.TRUE.equals(verdict.getCompliant())) {
        compliant++;
      } else if (Boolean.FALSE.equals(verdict.getCompliant())) {
        nonCompliant++;
      }
      FindingCounts counts = verdict.getFindings();
      if (counts != null) {
        findings[0] += orZero(counts.getCritical());
        findings[1] += orZero(counts.getHigh());
        findings[2] += orZero(counts.getMedium());
        findings[3] += orZero(counts.getLow());
      }
    }
    NodesStatus nodes = new NodesStatus();
    nodes.setSelected(selected);
    nodes.setScanned(scanned);
    nodes.setCompliant(compliant);
    nodes.setNonCompliant(nonCompliant);
    FindingCounts total = new FindingCounts();
    total.setCritical(findings[0]);
    total.setHigh(findings[1]);
    total.setMedium(findings[2]);
    total.setLow(findings[3]);
    nodes.setFindings(total);
    return nodes;
  }

  private static PolicyPostureVerdict verdict(NodeDaemonPostureStatus status, String policy) {
    if (status.getVerdicts() == null) {
      return null;
    }
    return status.getVerdicts().stream().filter(v -> v != null && policy.equals(v.getPolicy())).findFirst()
        .orElse(null);
  }

  private static long orZero(Long value) {
    return value == null ? 0 : value;
  }
}
