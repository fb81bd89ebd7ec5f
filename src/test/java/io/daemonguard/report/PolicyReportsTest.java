package io.daemonguard.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.daemonguard.admission.Action;
import io.daemonguard.admission.RuleId;
import io.daemonguard.admission.Violation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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
}
