package io.daemonguard.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.daemonguard.admission.Action;
import io.daemonguard.admission.RuleId;
import io.daemonguard.admission.Violation;
import io.daemonguard.api.PostureCheck;
import io.daemonguard.api.Severity;
import io.daemonguard.posture.DaemonProcess;
import io.daemonguard.posture.DockerFacts;
import io.daemonguard.posture.Endpoint;
import io.daemonguard.posture.FileFact;
import io.daemonguard.posture.KubeletFacts;
import io.daemonguard.posture.NodeFacts;
import io.daemonguard.posture.Setting;
import io.daemonguard.posture.Unknown;
import io.daemonguard.posture.evaluate.Evaluation;
import io.daemonguard.posture.evaluate.PostureEvaluator;
import io.daemonguard.posture.evaluate.PosturePolicy;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PolicyReportsTest {

  private static final Instant AT = Instant.parse("2026-12-02T10:00:00.5Z");
  private static final PolicyReports.Subject POD =
      new PolicyReports.Subject("v1", "Pod", "team-a", "web-1", "0c6a1b5e-uid");
  private static final Violation PRIVILEGED = Violation.found(RuleId.PRIVILEGED_CONTAINER,
          "container \"app\" runs privileged", "spec.containers[0].securityContext.privileged", List.of("app"))
      .judged(Action.WARN, List.of("baseline", "team-a"));

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> results(GenericKubernetesResource report) {
    return (List<Map<String, Object>>) report.getAdditionalProperties().get("results");
  }

  @Test
  void aNamespacedResourceGetsAPolicyReportNamedByItsUidAndOwnedByIt() {
    GenericKubernetesResource report = PolicyReports.build(PolicyReports.Format.WGPOLICY, POD, List.of(PRIVILEGED),
        List.of(), "", "abc", AT);

    assertThat(report.getApiVersion()).isEqualTo("wgpolicyk8s.io/v1alpha2");
    assertThat(report.getKind()).isEqualTo("PolicyReport");
    assertThat(report.getMetadata().getName()).isEqualTo("0c6a1b5e-uid");
    assertThat(report.getMetadata().getNamespace()).isEqualTo("team-a");
    assertThat(report.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "daemonguard");
    assertThat(report.getMetadata().getAnnotations()).containsEntry("daemonguard.io/findings", "abc");
    assertThat(report.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
      assertThat(o.getUid()).isEqualTo("0c6a1b5e-uid");
      assertThat(o.getKind()).isEqualTo("Pod");
      assertThat(o.getBlockOwnerDeletion()).isNull();
    });
    assertThat((Map<String, Object>) report.getAdditionalProperties().get("scope"))
        .containsEntry("kind", "Pod").containsEntry("namespace", "team-a").containsEntry("uid", "0c6a1b5e-uid");
    assertThat((Map<String, Object>) report.getAdditionalProperties().get("summary"))
        .containsEntry("warn", 1).containsEntry("fail", 0).containsEntry("pass", 0);
    assertThat(results(report)).singleElement().satisfies(r -> {
      assertThat(r).containsEntry("source", "daemonguard").containsEntry("policy", "baseline,team-a")
          .containsEntry("rule", "privileged-container").containsEntry("result", "warn")
          .containsEntry("severity", "critical").containsEntry("scored", true);
      assertThat((Map<String, Object>) r.get("timestamp")).containsEntry("seconds", AT.getEpochSecond())
          .containsEntry("nanos", 500_000_000);
      assertThat((Map<String, String>) r.get("properties")).containsEntry("action", "Warn")
          .containsEntry("path", "spec.containers[0].securityContext.privileged").containsEntry("container", "app");
    });
  }

  @Test
  void aClusterScopedResourceGetsAClusterReportAndPassResultsWhenAsked() {
    PolicyReports.Subject pv = new PolicyReports.Subject("v1", "PersistentVolume", null, "data", "pv-uid");

    GenericKubernetesResource report = PolicyReports.build(PolicyReports.Format.OPENREPORTS, pv, List.of(),
        List.of(RuleId.HOST_ROOT_MOUNT), "baseline", "f", AT);

    assertThat(report.getApiVersion()).isEqualTo("openreports.io/v1alpha1");
    assertThat(report.getKind()).isEqualTo("ClusterReport");
    assertThat(report.getMetadata().getNamespace()).isNull();
    assertThat(results(report)).singleElement().satisfies(r -> assertThat(r).containsEntry("result", "pass")
        .containsEntry("rule", "host-root-mount").containsEntry("policy", "baseline"));
  }

  @Test
  void enforceAndAuditFailWarnWarns() {
    assertThat(PolicyReports.result(Action.ENFORCE)).isEqualTo("fail");
    assertThat(PolicyReports.result(Action.AUDIT)).isEqualTo("fail");
    assertThat(PolicyReports.result(Action.WARN)).isEqualTo("warn");
  }

  @Test
  void anUnknownFormatIsNamed() {
    assertThatThrownBy(() -> PolicyReports.Format.parse("kyverno"))
        .hasMessage("--report-format: \"kyverno\" is not wgpolicyk8s, openreports or none");
  }

  // --- a node's posture

  /**
   * dockerd on tcp://0.0.0.0:2375 without TLS (critical), no userns-remap (medium, disabled here), its socket 0660
   * root:docker (pass); a kubelet whose anonymous-auth could not be read (unknown) and whose read-only port is off.
   */
  private static Evaluation nodeEvaluation() {
    Endpoint tcp = new Endpoint("tcp://0.0.0.0:2375", "tcp", "0.0.0.0", 2375, "command line", true, null);
    FileFact socket = new FileFact("/var/run/docker.sock", "default", true, "socket", 0, "root", 998, "docker",
        "0660", true, null);
    DockerFacts docker = new DockerFacts(new DaemonProcess(812, "dockerd", 0, List.of("dockerd")), false, List.of(),
        List.of(tcp), false, false, false, null, List.of(socket), List.of());
    KubeletFacts kubelet = new KubeletFacts(new DaemonProcess(90, "kubelet", 0, List.of("kubelet")), null, null,
        new Setting("read-only-port", "0", "config"), null, false, List.of(new Unknown("anonymous-auth", "EACCES")));
    NodeFacts facts = new NodeFacts("node-1", "/host", List.of(), docker, null, null, kubelet, null, List.of());
    return PostureEvaluator.evaluate(facts,
        new PosturePolicy(Severity.HIGH, Set.of(PostureCheck.DOCKER_USERNS_REMAP_DISABLED)));
  }

  private static final PolicyReports.Subject NODE = PolicyReports.Subject.node("node-1", "node-uid-1");

  private static Map<String, Object> rule(GenericKubernetesResource report, String rule) {
    return results(report).stream().filter(r -> rule.equals(r.get("rule"))).findFirst().orElseThrow();
  }

  @Test
  void aNodeGetsAClusterReportOwnedByItWithOneResultPerJudgedCheck() {
    GenericKubernetesResource report = PolicyReports.forNode(PolicyReports.Format.WGPOLICY, NODE, nodeEvaluation(),
        List.of("baseline", "strict"), false, AT);

    assertThat(report.getApiVersion()).isEqualTo("wgpolicyk8s.io/v1alpha2");
    assertThat(report.getKind()).isEqualTo("ClusterPolicyReport");
    assertThat(report.getMetadata().getName()).isEqualTo("node-uid-1");
    assertThat(report.getMetadata().getNamespace()).isNull();
    assertThat(report.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "daemonguard")
        .containsEntry("daemonguard.io/report-for", "node");
    assertThat(report.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
      assertThat(o.getApiVersion()).isEqualTo("v1");
      assertThat(o.getKind()).isEqualTo("Node");
      assertThat(o.getName()).isEqualTo("node-1");
      assertThat(o.getUid()).isEqualTo("node-uid-1");
      assertThat(o.getBlockOwnerDeletion()).isNull();
    });
    assertThat((Map<String, Object>) report.getAdditionalProperties().get("scope")).containsEntry("kind", "Node")
        .containsEntry("name", "node-1").containsEntry("uid", "node-uid-1").doesNotContainKey("namespace");
    assertThat(results(report)).extracting(r -> r.get("rule") + "=" + r.get("result")).containsExactly(
        "docker-tcp-without-tls=fail", "docker-userns-remap-disabled=skip", "kubelet-anonymous-auth=error");
    assertThat((Map<String, Object>) report.getAdditionalProperties().get("summary")).containsEntry("fail", 1)
        .containsEntry("error", 1).containsEntry("skip", 1).containsEntry("pass", 0).containsEntry("warn", 0);

    Map<String, Object> fail = rule(report, "docker-tcp-without-tls");
    assertThat(fail).containsEntry("source", "daemonguard").containsEntry("policy", "baseline,strict")
        .containsEntry("category", "Container daemon posture").containsEntry("severity", "critical")
        .containsEntry("scored", true);
    assertThat((String) fail.get("message")).contains("without TLS");
    assertThat((Map<String, String>) fail.get("properties")).containsEntry("cis", "CIS Docker 2.6")
        .hasEntrySatisfying("evidence", e -> assertThat(e).contains("daemon: dockerd (pid 812)",
            "endpoint: tcp://0.0.0.0:2375 from command line"))
        .hasEntrySatisfying("remediation", r -> assertThat(r).startsWith("Anyone who reaches this port"));
    assertThat((Map<String, Object>) fail.get("timestamp")).containsEntry("seconds", AT.getEpochSecond());
    assertThat((List<Map<String, Object>>) fail.get("resources")).singleElement()
        .satisfies(r -> assertThat(r).containsEntry("kind", "Node").containsEntry("uid", "node-uid-1"));

    Map<String, Object> error = rule(report, "kubelet-anonymous-auth");
    assertThat((String) error.get("message")).startsWith("could not be judged: ").contains("EACCES");
    assertThat(error).containsEntry("severity", "high");
    assertThat((Map<String, String>) error.get("properties")).containsEntry("cis", "CIS Kubernetes 4.2.1")
        .hasEntrySatisfying("remediation", r -> assertThat(r).startsWith("Make the fact readable"));
    assertThat(rule(report, "docker-userns-remap-disabled")).doesNotContainKey("properties");
  }

  @Test
  void aNodeReportHasPassResultsWhenAskedAndIsTheSameInOpenReports() {
    GenericKubernetesResource wg = PolicyReports.forNode(PolicyReports.Format.WGPOLICY, NODE, nodeEvaluation(),
        List.of("baseline"), true, AT);
    GenericKubernetesResource open = PolicyReports.forNode(PolicyReports.Format.OPENREPORTS, NODE, nodeEvaluation(),
        List.of("baseline"), true, AT);

    assertThat(open.getApiVersion()).isEqualTo("openreports.io/v1alpha1");
    assertThat(open.getKind()).isEqualTo("ClusterReport");
    assertThat(open.getMetadata().getLabels()).containsEntry("daemonguard.io/report-for", "node");
    assertThat(results(open)).extracting(r -> r.get("rule") + "=" + r.get("result")).containsExactly(
        "docker-tcp-without-tls=fail", "docker-tcp-without-client-verify=pass", "docker-socket-permissions=pass",
        "docker-socket-ownership=pass", "docker-userns-remap-disabled=skip", "docker-daemon-json-permissions=pass",
        "kubelet-anonymous-auth=error", "kubelet-readonly-port=pass");
    assertThat(rule(open, "docker-socket-permissions")).containsEntry("policy", "baseline")
        .containsEntry("severity", "high").containsEntry("message", "No docker-socket-permissions finding.");
    assertThat((Map<String, Object>) open.getAdditionalProperties().get("summary")).containsEntry("pass", 5);
    assertThat(open.getAdditionalProperties()).isEqualTo(wg.getAdditionalProperties());
  }

  @Test
  void aNodeReportsFingerprintIgnoresTheTimestampAndFollowsTheResults() {
    String first = PolicyReports.forNode(PolicyReports.Format.WGPOLICY, NODE, nodeEvaluation(), List.of("baseline"),
        false, AT).getMetadata().getAnnotations().get("daemonguard.io/findings");
    String later = PolicyReports.forNode(PolicyReports.Format.WGPOLICY, NODE, nodeEvaluation(), List.of("baseline"),
        false, AT.plusSeconds(3600)).getMetadata().getAnnotations().get("daemonguard.io/findings");
    String withPass = PolicyReports.forNode(PolicyReports.Format.WGPOLICY, NODE, nodeEvaluation(),
        List.of("baseline"), true, AT).getMetadata().getAnnotations().get("daemonguard.io/findings");
    String otherPolicy = PolicyReports.forNode(PolicyReports.Format.WGPOLICY, NODE, nodeEvaluation(),
        List.of("strict"), false, AT).getMetadata().getAnnotations().get("daemonguard.io/findings");

    assertThat(first).matches("[0-9a-f]{24}").isEqualTo(later).isNotEqualTo(withPass).isNotEqualTo(otherPolicy);
  }
}
