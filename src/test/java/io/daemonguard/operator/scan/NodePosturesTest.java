package io.daemonguard.operator.scan;

import static io.daemonguard.operator.scan.ScanFixtures.finding;
import static io.daemonguard.operator.scan.ScanFixtures.nodes;
import static io.daemonguard.operator.scan.ScanFixtures.policy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.daemonguard.api.DaemonSecurityPolicy;
import io.daemonguard.api.NodeDaemonPostureStatus;
import io.daemonguard.api.NodePostureSpec;
import io.daemonguard.api.PolicyPostureVerdict;
import io.daemonguard.api.PostureCheck;
import io.daemonguard.api.PostureFindingStatus;
import io.daemonguard.api.Severity;
import io.daemonguard.operator.scan.NodePostures.FindingChange;
import io.daemonguard.operator.scan.NodePostures.Judgement;
import io.daemonguard.operator.scan.NodePostures.SelectingPolicy;
import io.daemonguard.posture.NodeFacts;
import io.daemonguard.posture.evaluate.PosturePolicy;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NodePosturesTest {
  private static final Map<String, String> GPU = Map.of("pool", "gpu");
  private static final ObjectMapper JSON = new ObjectMapper();

  private static SelectingPolicy selecting(String name, Severity failOn, Set<PostureCheck> disabled, boolean label,
      boolean taint) {
    return new SelectingPolicy(name, new PosturePolicy(failOn, disabled), label, taint);
  }

  // --- selecting

  @Test
  void selectingKeepsThePoliciesWhoseSelectorSelectsTheNodeSortedByName() {
    DaemonSecurityPolicy gpuOnly = policy("z-gpu", nodes(new LabelSelectorBuilder().addToMatchLabels("pool", "gpu")
        .build(), "medium", List.of("docker-userns-remap-disabled"), false, true));
    DaemonSecurityPolicy cpuOnly = policy("cpu", nodes(new LabelSelectorBuilder().addToMatchLabels("pool", "cpu")
        .build(), null, null, null, null));
    DaemonSecurityPolicy everyNode = policy("a-all", nodes(null, "critical", null, null, null));

    List<SelectingPolicy> found = NodePostures.selecting(GPU, List.of(gpuOnly, cpuOnly, everyNode));

    assertThat(found).containsExactly(
        selecting("a-all", Severity.CRITICAL, Set.of(), true, false),
        selecting("z-gpu", Severity.MEDIUM, Set.of(PostureCheck.DOCKER_USERNS_REMAP_DISABLED), false, true));
    assertThat(NodePostures.selecting(Map.of("pool", "cpu"), List.of(gpuOnly))).isEmpty();
  }

  @Test
  void aPolicyWithoutSpecNodesJudgesNoNodeWhileAnEmptyOneJudgesEveryNodeWithTheDefaults() {
    DaemonSecurityPolicy admissionOnly = policy("admission-only", null);
    DaemonSecurityPolicy everyNode = policy("every-node", new NodePostureSpec());

    assertThat(NodePostures.selecting(GPU, List.of(admissionOnly, everyNode)))
        .containsExactly(new SelectingPolicy("every-node", PosturePolicy.defaults(), true, false));
  }

  @Test
  void anInvalidSpecNodesIsJudgedWithTheDefaultsNeverLooser() {
    DaemonSecurityPolicy badFailOn = policy("bad-fail-on", nodes(null, "severe", null, null, true));
    DaemonSecurityPolicy badCheck = policy("bad-check", nodes(null, "critical", List.of("no-such-check"), null, null));

    assertThat(NodePostures.selecting(GPU, List.of(badFailOn, badCheck))).containsExactly(
        new SelectingPolicy("bad-check", PosturePolicy.defaults(), true, false),
        new SelectingPolicy("bad-fail-on", PosturePolicy.defaults(), true, true));
  }

  @Test
  void aPolicyBeingDeletedIsLeftOut() {
    DaemonSecurityPolicy going = policy("going", new NodePostureSpec());
    going.getMetadata().setDeletionTimestamp("2026-12-02T10:00:00Z");

    assertThat(NodePostures.selecting(GPU, List.of(going, policy("staying", new NodePostureSpec()))))
        .extracting(SelectingPolicy::name).containsExactly("staying");
  }

  // --- strictest and judge

  @Test
  void theStrictestTakesTheLowestFailOnAndOnlyTheChecksEveryPolicyDisables() {
    SelectingPolicy high = selecting("high", Severity.HIGH,
        Set.of(PostureCheck.DOCKER_USERNS_REMAP_DISABLED, PostureCheck.KUBELET_READONLY_PORT), true, false);
    SelectingPolicy medium = selecting("medium", Severity.MEDIUM,
        Set.of(PostureCheck.DOCKER_USERNS_REMAP_DISABLED, PostureCheck.KUBELET_ANONYMOUS_AUTH), true, false);

    PosturePolicy strictest = NodePostures.strictest(List.of(high, medium));

    assertThat(strictest.failOn()).isEqualTo(Severity.MEDIUM);
    assertThat(strictest.disabledChecks()).containsExactly(PostureCheck.DOCKER_USERNS_REMAP_DISABLED);
    assertThat(NodePostures.strictest(List.of())).isEqualTo(PosturePolicy.defaults());
  }

  @Test
  void theStatusShowsTheStrictestAndEachPolicyItsOwnVerdict() {
    // medium-only finding: non-compliant under failOn medium, compliant under high
    SelectingPolicy high = selecting("high", Severity.HIGH, Set.of(), true, true);
    SelectingPolicy medium = selecting("medium", Severity.MEDIUM, Set.of(), true, false);

    Judgement judgement = NodePostures.judge(ScanFixtures.mediumOnly(), List.of(high, medium));

    NodeDaemonPostureStatus status = judgement.status();
    assertThat(status.getPolicies()).containsExactly("high", "medium");
    assertThat(status.getFailOn()).isEqualTo("medium");
    assertThat(status.getCompliant()).isFalse();
    assertThat(status.getRuntime()).isEqualTo("docker");
    assertThat(status.getFindings()).extracting(PostureFindingStatus::getCheck, PostureFindingStatus::getSeverity)
        .containsExactly(tuple("docker-userns-remap-disabled", "medium"));
    assertThat(status.getVerdicts()).extracting(PolicyPostureVerdict::getPolicy, PolicyPostureVerdict::getCompliant,
        PolicyPostureVerdict::getFailOn, PolicyPostureVerdict::getTaint).containsExactly(
            tuple("high", true, "high", true),
            tuple("medium", false, "medium", false));
    assertThat(status.getVerdicts().get(1).getFindings().getMedium()).isEqualTo(1L);
    assertThat(status.getVerdicts().get(1).getFindings().getCritical()).isZero();
    assertThat(judgement.label()).isEqualTo("noncompliant");
    assertThat(judgement.taint()).as("the tainting policy finds the node compliant").isFalse();
    assertThat(judgement.strictest().policy().failOn()).isEqualTo(Severity.MEDIUM);
    // the reconciler's fields are left alone
    assertThat(status.getFacts()).isNull();
    assertThat(status.getFactsDigest()).isNull();
    assertThat(status.getLastScan()).isNull();
    assertThat(status.getConditions()).isNull();
  }

  @Test
  void aCheckOnePolicyDisablesStillCountsForTheOtherAndForTheStatus() {
    SelectingPolicy lenient = selecting("lenient", Severity.MEDIUM,
        Set.of(PostureCheck.DOCKER_USERNS_REMAP_DISABLED), true, true);
    SelectingPolicy plain = selecting("plain", Severity.MEDIUM, Set.of(), true, true);

    Judgement judgement = NodePostures.judge(ScanFixtures.mediumOnly(), List.of(lenient, plain));

    assertThat(judgement.status().getVerdicts()).extracting(PolicyPostureVerdict::getCompliant)
        .containsExactly(true, false);
    assertThat(judgement.status().getVerdicts().get(0).getFindings().getMedium()).isZero();
    assertThat(judgement.status().getSummary().getMedium()).isEqualTo(1L);
    assertThat(judgement.status().getCompliant()).isFalse();
    assertThat(judgement.taint()).as("plain taints and finds the node non-compliant").isTrue();
  }

  @Test
  void aCompliantNodeIsLabelledCompliantAndNeverTainted() {
    Judgement judgement = NodePostures.judge(ScanFixtures.quietDocker(),
        List.of(selecting("p", Severity.LOW, Set.of(), true, true)));

    assertThat(judgement.status().getCompliant()).isTrue();
    assertThat(judgement.status().getFindings()).isEmpty();
    assertThat(judgement.status().getSummary().getCritical()).isZero();
    assertThat(judgement.label()).isEqualTo("compliant");
    assertThat(judgement.taint()).isFalse();
  }

  @Test
  void noLabelWhenNoSelectingPolicyAsksForOne() {
    Judgement judgement = NodePostures.judge(ScanFixtures.openDocker(100),
        List.of(selecting("a", Severity.HIGH, Set.of(), false, true), selecting("b", Severity.HIGH, Set.of(), false,
            false)));

    assertThat(judgement.status().getCompliant()).isFalse();
    assertThat(judgement.label()).isNull();
    assertThat(judgement.taint()).isTrue();
  }

  @Test
  void theSummaryCountsEverySeverityAndTheUnknownUnderTheStrictest() {
    Judgement judgement = NodePostures.judge(ScanFixtures.openDockerContainerdAndKubelet(),
        List.of(selecting("p", Severity.HIGH, Set.of(), true, false)));

    NodeDaemonPostureStatus status = judgement.status();
    assertThat(status.getRuntime()).isEqualTo("docker,containerd");
    assertThat(status.getSummary().getCritical()).isEqualTo(1L);
    assertThat(status.getSummary().getMedium()).isEqualTo(1L);
    assertThat(status.getSummary().getHigh()).isZero();
    assertThat(status.getSummary().getInfo()).isZero();
    assertThat(status.getSummary().getUnknown()).isEqualTo(1L);
    assertThat(status.getFindings()).extracting(PostureFindingStatus::getCheck).containsExactly(
        "docker-tcp-without-tls", "docker-userns-remap-disabled", "kubelet-anonymous-auth");
    assertThat(status.getFindings().get(0).getUnknown()).isNull();
    assertThat(status.getFindings().get(0).getCis()).isEqualTo("CIS Docker 2.6");
    assertThat(status.getFindings().get(0).getRemediation()).startsWith("Anyone who reaches this port");
    assertThat(status.getFindings().get(2).getUnknown()).isTrue();
    assertThat(status.getFindings().get(2).getSeverity()).isEqualTo("info");
  }

  @Test
  void aNodeNotScannedYetHasPoliciesAndFailOnOnly() {
    Judgement judgement = NodePostures.judge(null,
        List.of(selecting("p", Severity.LOW, Set.of(), true, true)));

    NodeDaemonPostureStatus status = judgement.status();
    assertThat(status.getPolicies()).containsExactly("p");
    assertThat(status.getFailOn()).isEqualTo("low");
    assertThat(status.getRuntime()).isNull();
    assertThat(status.getCompliant()).isNull();
    assertThat(status.getSummary()).isNull();
    assertThat(status.getFindings()).isNull();
    assertThat(status.getVerdicts()).singleElement().satisfies(v -> {
      assertThat(v.getCompliant()).isNull();
      assertThat(v.getFindings()).isNull();
      assertThat(v.getFailOn()).isEqualTo("low");
    });
    assertThat(judgement.strictest()).isNull();
    assertThat(judgement.label()).isNull();
    assertThat(judgement.taint()).isFalse();
  }

  @Test
  void aNodeNoPolicySelectsIsNeitherCompliantNorNotAndGetsNoLabel() {
    Judgement judgement = NodePostures.judge(ScanFixtures.openDocker(100), List.of());

    assertThat(judgement.status().getPolicies()).isEmpty();
    assertThat(judgement.status().getCompliant()).isNull();
    assertThat(judgement.status().getFailOn()).isNull();
    assertThat(judgement.status().getVerdicts()).isEmpty();
    assertThat(judgement.status().getRuntime()).isEqualTo("docker");
    assertThat(judgement.label()).isNull();
    assertThat(judgement.taint()).isFalse();
  }

  @Test
  void theRuntimeIsNoneWhenNoDaemonIsFound() {
    NodeFacts bare = new NodeFacts("n", "/host", List.of(), null, List.of(), null, null, null, List.of());

    assertThat(NodePostures.judge(bare, List.of(selecting("p", Severity.HIGH, Set.of(), true, false)))
        .status().getRuntime()).isEqualTo("none");
  }

  // --- changes

  @Test
  void aFindingWhoseMessageOrEvidenceMovedIsNoChange() {
    List<PostureFindingStatus> before = NodePostures.judge(ScanFixtures.openDocker(100),
        List.of(selecting("p", Severity.HIGH, Set.of(), true, false))).status().getFindings();
    List<PostureFindingStatus> after = NodePostures.judge(ScanFixtures.openDocker(4242),
        List.of(selecting("p", Severity.HIGH, Set.of(), true, false))).status().getFindings();

    assertThat(after.get(0).getEvidence()).isNotEqualTo(before.get(0).getEvidence());
    assertThat(NodePostures.changes(before, after)).isEmpty();
  }

  @Test
  void aNewCheckAppearsAndAGoneOneClears() {
    List<PostureFindingStatus> before = List.of(finding("docker-userns-remap-disabled", "medium", "off", null));
    List<PostureFindingStatus> after = List.of(finding("docker-tcp-without-tls", "critical", "open", null),
        finding("docker-userns-remap-disabled", "medium", "still off, pid 7", null));

    assertThat(NodePostures.changes(before, after)).extracting(FindingChange::appeared, c -> c.finding().getCheck())
        .containsExactly(tuple(true, "docker-tcp-without-tls"));
    assertThat(NodePostures.changes(after, before)).extracting(FindingChange::appeared, c -> c.finding().getCheck())
        .containsExactly(tuple(false, "docker-tcp-without-tls"));
    assertThat(NodePostures.changes(null, after)).hasSize(2).allMatch(FindingChange::appeared);
    assertThat(NodePostures.changes(before, null)).singleElement().satisfies(c -> {
      assertThat(c.appeared()).isFalse();
      assertThat(c.finding().getMessage()).isEqualTo("off");
    });
  }

  @Test
  void aSeverityChangeIsOneClearedAndOneAppeared() {
    List<PostureFindingStatus> before = List.of(finding("kubelet-anonymous-auth", "high", "anonymous", null));
    List<PostureFindingStatus> after = List.of(finding("kubelet-anonymous-auth", "critical", "and AlwaysAllow", null));

    assertThat(NodePostures.changes(before, after)).extracting(FindingChange::appeared,
        c -> c.finding().getSeverity()).containsExactly(tuple(true, "critical"),
            tuple(false, "high"));
  }

  @Test
  void unknownAndInfoFindingsAreNoNews() {
    List<PostureFindingStatus> after = List.of(
        finding("kubelet-anonymous-auth", "info", "could not be judged: permission denied", true),
        finding("docker-tcp-without-tls", "info", "configuration names tcp://:2375 but nothing listens", null));

    assertThat(NodePostures.changes(List.of(), after)).isEmpty();
    assertThat(NodePostures.changes(after, null)).isEmpty();
  }

  // --- facts as JSON, and their digest

  @Test
  void factsSurviveTheTreeAndItsDigestIgnoresKeyOrder() throws Exception {
    NodeFacts facts = ScanFixtures.openDockerContainerdAndKubelet();
    JsonNode tree = NodePostures.factsTree(facts);

    assertThat(NodePostures.facts(tree)).isEqualTo(facts);
    JsonNode reordered = JSON.readTree("{\"b\": 1, \"a\": {\"y\": [1, {\"q\": true, \"p\": null}], \"x\": \"s\"}}");
    JsonNode ordered = JSON.readTree("{\"a\": {\"x\": \"s\", \"y\": [1, {\"p\": null, \"q\": true}]}, \"b\": 1}");
    assertThat(NodePostures.digest(reordered)).isEqualTo(NodePostures.digest(ordered)).matches("[0-9a-f]{64}");
    assertThat(NodePostures.digest(JSON.readTree("{\"b\": 1, \"a\": {\"y\": [{\"q\": true, \"p\": null}, 1],"
        + " \"x\": \"s\"}}"))).as("array order counts").isNotEqualTo(NodePostures.digest(ordered));
    assertThat(NodePostures.digest(tree)).isEqualTo(NodePostures.digest(JSON.readTree(JSON.writeValueAsString(tree))))
        .isNotEqualTo(NodePostures.digest(NodePostures.factsTree(ScanFixtures.openDocker(101))));
    assertThat(NodePostures.digest(null)).isNull();
  }

  @Test
  void factsFromANewerScannerKeepWhatThisVersionKnows() throws Exception {
    JsonNode tree = JSON.readTree("{\"node\": \"n\", \"hostRoot\": \"/host\", \"gpuRuntime\": {\"x\": 1},"
        + " \"docker\": {\"rootless\": false, \"usernsRemap\": false, \"future\": [1]}}");

    NodeFacts facts = NodePostures.facts(tree);

    assertThat(facts.node()).isEqualTo("n");
    assertThat(facts.docker().usernsRemap()).isFalse();
    assertThat(NodePostures.facts(null)).isNull();
    assertThat(NodePostures.facts(JSON.nullNode())).isNull();
    assertThatThrownBy(() -> NodePostures.facts(JSON.readTree("\"facts\""))).isInstanceOf(
        IllegalArgumentException.class).hasMessageContaining("expected a JSON object");
    assertThatThrownBy(() -> NodePostures.facts(JSON.readTree("{\"listeners\": {\"a\": 1}}")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("facts: ");
  }
}
