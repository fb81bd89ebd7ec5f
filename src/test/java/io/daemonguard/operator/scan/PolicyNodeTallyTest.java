package io.daemonguard.operator.scan;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonguard.api.FindingCounts;
import io.daemonguard.api.NodeDaemonPosture;
import io.daemonguard.api.NodeDaemonPostureStatus;
import io.daemonguard.api.NodesStatus;
import io.daemonguard.api.PolicyPostureVerdict;
import io.daemonguard.api.Severity;
import io.daemonguard.operator.scan.NodePostures.SelectingPolicy;
import io.daemonguard.posture.NodeFacts;
import io.daemonguard.posture.evaluate.PosturePolicy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PolicyNodeTallyTest {
  private static final SelectingPolicy BASELINE =
      new SelectingPolicy("baseline", new PosturePolicy(Severity.HIGH, Set.of()), true, false);
  private static final SelectingPolicy STRICT =
      new SelectingPolicy("strict", new PosturePolicy(Severity.MEDIUM, Set.of()), true, false);

  /** A posture as the reconciler writes it: the judgement, and lastScan when there are facts. */
  private static NodeDaemonPosture posture(NodeFacts facts, SelectingPolicy... policies) {
    NodeDaemonPosture posture = new NodeDaemonPosture();
    NodeDaemonPostureStatus status = NodePostures.judge(facts, Arrays.asList(policies)).status();
    if (facts != null) {
      status.setLastScan("2026-12-02T10:00:00Z");
    }
    posture.setStatus(status);
    return posture;
  }

  private static List<Long> counts(FindingCounts counts) {
    return List.of(counts.getCritical(), counts.getHigh(), counts.getMedium(), counts.getLow());
  }

  @Test
  void countsTheNodesThatSelectThePolicyByItsOwnVerdict() {
    List<NodeDaemonPosture> postures = List.of(
        posture(ScanFixtures.openDocker(100), BASELINE, STRICT), // critical + medium: fails both
        posture(ScanFixtures.mediumOnly(), BASELINE, STRICT), // medium: passes baseline, fails strict
        posture(ScanFixtures.quietDocker(), BASELINE), // passes
        posture(null, BASELINE, STRICT), // not scanned yet
        posture(ScanFixtures.openDocker(101), STRICT)); // not selected by baseline

    NodesStatus baseline = PolicyNodeTally.tally("baseline", postures);
    NodesStatus strict = PolicyNodeTally.tally("strict", postures);

    assertThat(List.of(baseline.getSelected(), baseline.getScanned(), baseline.getCompliant(),
        baseline.getNonCompliant())).containsExactly(4L, 3L, 2L, 1L);
    assertThat(counts(baseline.getFindings())).containsExactly(1L, 0L, 2L, 0L);
    assertThat(List.of(strict.getSelected(), strict.getScanned(), strict.getCompliant(), strict.getNonCompliant()))
        .containsExactly(4L, 3L, 0L, 3L);
    assertThat(counts(strict.getFindings())).containsExactly(2L, 0L, 3L, 0L);
  }

  @Test
  void aVerdictNotGivenYetIsNotCountedAndNothingIsNull() {
    NodeDaemonPosture half = new NodeDaemonPosture();
    NodeDaemonPostureStatus status = new NodeDaemonPostureStatus();
    status.setPolicies(List.of("baseline"));
    status.setLastScan("2026-12-02T10:00:00Z");
    PolicyPostureVerdict pending = new PolicyPostureVerdict();
    pending.setPolicy("baseline");
    status.setVerdicts(List.of(pending));
    half.setStatus(status);
    List<NodeDaemonPosture> postures = new ArrayList<>(List.of(half, new NodeDaemonPosture()));
    postures.add(null);

    NodesStatus tally = PolicyNodeTally.tally("baseline", postures);

    assertThat(List.of(tally.getSelected(), tally.getScanned(), tally.getCompliant(), tally.getNonCompliant()))
        .containsExactly(1L, 1L, 0L, 0L);
    assertThat(counts(tally.getFindings())).containsExactly(0L, 0L, 0L, 0L);
    NodesStatus none = PolicyNodeTally.tally("baseline", List.of());
    assertThat(List.of(none.getSelected(), none.getScanned(), none.getCompliant(), none.getNonCompliant()))
        .containsExactly(0L, 0L, 0L, 0L);
    assertThat(counts(none.getFindings())).containsExactly(0L, 0L, 0L, 0L);
  }
}
