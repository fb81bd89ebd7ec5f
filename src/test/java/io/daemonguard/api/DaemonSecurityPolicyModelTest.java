package io.daemonguard.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.daemonguard.admission.Action;
import io.daemonguard.admission.AdmissionPolicy;
import io.daemonguard.admission.RuleId;
import io.daemonguard.policy.PolicyCompiler;
import io.daemonguard.policy.PolicyFiles;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Java classes carry design.md §4's shape, and a policy with the new sections still compiles as before. */
class DaemonSecurityPolicyModelTest {

  /** design.md §4's example, spec and status. */
  static final String DESIGN_EXAMPLE = """
      apiVersion: daemonguard.io/v1alpha1
      kind: DaemonSecurityPolicy
      metadata: {name: baseline}
      spec:
        admission:
          action: Enforce
          rules: {hostRootMount: {}, privilegedContainer: {action: Warn}, runtimeSocketMount: {extraPaths: []}}
          exemptions: {namespaces: [], serviceAccounts: [], images: []}
        nodes:
          nodeSelector: {matchLabels: {}}
          scanInterval: 6h
          failOn: high
          disabledChecks: []
          remediation: {labelNodes: true, taintNodes: false}
      status:
        observedGeneration: 3
        conditions:
        - {type: Ready, status: "True", reason: Valid, message: "...", observedGeneration: 3, lastTransitionTime: "2026-12-02T06:00:00Z"}
        audit:
          violations: 4
          byRule: {privileged-container: 3, runtime-socket-mount: 1}
          byAction: {Enforce: 3, Warn: 1}
          lastCompleted: "2026-12-02T06:00:00Z"
          examples: [{kind: Pod, namespace: team-a, name: x, rule: privileged-container, path: "spec.containers[0]"}]
        nodes:
          selected: 120
          scanned: 120
          compliant: 117
          nonCompliant: 3
          findings: {critical: 1, high: 2, medium: 0, low: 0}
      """;

  /** As strict as PolicyFiles: a field the classes do not have is an error. */
  private static final ObjectMapper STRICT = YAMLMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  @Test
  void theDesignsExampleReadsIntoTheClasses() throws Exception {
    DaemonSecurityPolicy policy = STRICT.readValue(DESIGN_EXAMPLE, DaemonSecurityPolicy.class);

    NodePostureSpec nodes = policy.getSpec().getNodes();
    assertThat(nodes.getNodeSelector().getMatchLabels()).isEmpty();
    assertThat(nodes.getScanInterval()).isEqualTo("6h");
    assertThat(nodes.getFailOn()).isEqualTo("high");
    assertThat(nodes.getDisabledChecks()).isEmpty();
    assertThat(nodes.getRemediation().getLabelNodes()).isTrue();
    assertThat(nodes.getRemediation().getTaintNodes()).isFalse();

    DaemonSecurityPolicyStatus status = policy.getStatus();
    assertThat(status.getObservedGeneration()).isEqualTo(3L);
    Condition ready = status.getConditions().get(0);
    assertThat(List.of(ready.getType(), ready.getStatus(), ready.getReason())).containsExactly("Ready", "True", "Valid");
    assertThat(ready.getObservedGeneration()).isEqualTo(3L);
    assertThat(status.getAudit().getViolations()).isEqualTo(4L);
    assertThat(status.getAudit().getByRule()).containsExactly(
        Map.entry("privileged-container", 3L), Map.entry("runtime-socket-mount", 1L));
    assertThat(status.getAudit().getByAction()).containsEntry("Warn", 1L);
    AuditExample example = status.getAudit().getExamples().get(0);
    assertThat(List.of(example.getKind(), example.getNamespace(), example.getName(), example.getRule(),
        example.getPath())).containsExactly("Pod", "team-a", "x", "privileged-container", "spec.containers[0]");
    assertThat(status.getNodes().getNonCompliant()).isEqualTo(3L);
    assertThat(status.getNodes().getFindings().getCritical()).isEqualTo(1L);
    assertThat(status.getNodes().getFindings().getHigh()).isEqualTo(2L);
  }

  @Test
  void writtenBackItIsTheSameDocument() throws Exception {
    // fabric8 writes an empty matchLabels as nothing ({}), which selects the same nodes; so here a label
    String document = DESIGN_EXAMPLE.replace("nodeSelector: {matchLabels: {}}",
        "nodeSelector: {matchLabels: {pool: gpu}, matchExpressions: [{key: zone, operator: In, values: [a]}]}");
    DaemonSecurityPolicy policy = STRICT.readValue(document, DaemonSecurityPolicy.class);
    String json = Serialization.asJson(policy);
    assertThat(STRICT.readTree(json)).isEqualTo(STRICT.readTree(document));
  }

  @Test
  void aPolicyFileWithANodesSectionCompilesAsItsAdmissionSectionSays(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("policy.yaml");
    Files.writeString(file, DESIGN_EXAMPLE);

    AdmissionPolicy policy = PolicyFiles.load(List.of(file)).get(0);

    assertThat(policy.name()).isEqualTo("baseline");
    assertThat(policy.rules()).containsExactly(Map.entry(RuleId.HOST_ROOT_MOUNT, Action.ENFORCE),
        Map.entry(RuleId.PRIVILEGED_CONTAINER, Action.WARN), Map.entry(RuleId.RUNTIME_SOCKET_MOUNT, Action.ENFORCE));
  }

  @Test
  void theSchemasDefaultsMeanWhatTheCompilerAssumesWhenTheyAreAbsent() throws Exception {
    // what the apiserver stores for `rules: {hostRootMount: {}}` once its defaults apply, and what a file says
    String defaulted = """
        apiVersion: daemonguard.io/v1alpha1
        kind: DaemonSecurityPolicy
        metadata: {name: p}
        spec: {admission: {action: Enforce, rules: {hostRootMount: {enabled: true}}}}
        """;
    String bare = """
        apiVersion: daemonguard.io/v1alpha1
        kind: DaemonSecurityPolicy
        metadata: {name: p}
        spec: {admission: {rules: {hostRootMount: {}}}}
        """;
    AdmissionPolicy fromDefaults = PolicyCompiler.compile(STRICT.readValue(defaulted, DaemonSecurityPolicy.class));
    AdmissionPolicy fromFile = PolicyCompiler.compile(STRICT.readValue(bare, DaemonSecurityPolicy.class));
    assertThat(fromDefaults.rules()).isEqualTo(fromFile.rules())
        .containsExactly(Map.entry(RuleId.HOST_ROOT_MOUNT, Action.ENFORCE));
  }

  @Test
  void severitiesAndCheckIdsParseTheCrdsSpellingAndNameTheFieldOtherwise() {
    assertThat(Severity.parse("medium", "spec.nodes.failOn")).isEqualTo(Severity.MEDIUM);
    assertThat(Severity.CRITICAL.atLeast(Severity.HIGH)).isTrue();
    assertThat(Severity.HIGH.atLeast(Severity.HIGH)).isTrue();
    assertThat(Severity.MEDIUM.atLeast(Severity.HIGH)).isFalse();
    assertThatThrownBy(() -> Severity.parse("High", "spec.nodes.failOn"))
        .hasMessage("spec.nodes.failOn: \"High\" is not one of critical, high, medium, low, info");
    assertThat(PostureCheck.parse("kubelet-readonly-port", "f")).isEqualTo(PostureCheck.KUBELET_READONLY_PORT);
    assertThatThrownBy(() -> PostureCheck.parse("docker-tls", "spec.nodes.disabledChecks"))
        .hasMessage("spec.nodes.disabledChecks: \"docker-tls\" is not a posture check id");
  }
}
