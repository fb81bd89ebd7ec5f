package io.daemonguard.report;

import io.daemonguard.admission.Action;
import io.daemonguard.admission.RuleId;
import io.daemonguard.admission.Violation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Findings as the report the ecosystem reads: {@code wgpolicyk8s.io/v1alpha2} PolicyReport / ClusterPolicyReport
 * (Kyverno, Kubewarden, Falco, Policy Reporter), or their successor {@code openreports.io/v1alpha1} Report /
 * ClusterReport, whose result schema is the same. One report per resource, named by its UID and owned by it, so that
 * garbage collection removes the report with the resource; never blockOwnerDeletion, which would need delete rights on
 * every audited kind.
 */
public final class PolicyReports {

  public static final String SOURCE = "daemonguard";
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  /** A digest of the findings a report holds: equal digests, nothing to write. */
  public static final String FINDINGS_ANNOTATION = "daemonguard.io/findings";
  static final String CATEGORY = "Container daemon protection";

  public enum Format {
    WGPOLICY("wgpolicyk8s.io/v1alpha2", "PolicyReport", "ClusterPolicyReport"),
    OPENREPORTS("openreports.io/v1alpha1", "Report", "ClusterReport");

    private final String apiVersion;
    private final String namespacedKind;
    private final String clusterKind;

    Format(String apiVersion, String namespacedKind, String clusterKind) {
      this.apiVersion = apiVersion;
      this.namespacedKind = namespacedKind;
      this.clusterKind = clusterKind;
    }

    public String apiVersion() {
      return apiVersion;
    }

    public String kind(boolean namespaced) {
      return namespaced ? namespacedKind : clusterKind;
    }

    /** The command line's spelling: wgpolicyk8s or openreports. */
    public static Format parse(String value) {
      return switch (value) {
        case "wgpolicyk8s" -> WGPOLICY;
        case "openreports" -> OPENREPORTS;
        default -> throw new IllegalArgumentException(
            "--report-format: \"" + value + "\" is not wgpolicyk8s, openreports or none");
      };
    }
  }

  /** The resource a report is about. */
  public record Subject(String apiVersion, String kind, String namespace, String name, String uid) {}

  private PolicyReports() {}

  /** How a finding reads in a report: Enforce and Audit fail (the resource breaks the rule), Warn warns. */
  static String result(Action action) {
    return action == Action.WARN ? "warn" : "fail";
  }

  /** Each rule guards the node's root: the daemon, or the host itself. */
  static String severity(RuleId rule) {
    return "critical";
  }

  /**
   * The report for {@code subject}.
   *
   * @param passRules rules judged and not broken, reported as pass results (empty unless asked for)
   * @param passPolicy the policy the pass results name
   */
  public static GenericKubernetesResource build(Format format, Subject subject, List<Violation> violations,
      List<RuleId> passRules, String passPolicy, String fingerprint, Instant timestamp) {
    boolean namespaced = subject.namespace() != null && !subject.namespace().isEmpty();
    Map<String, Object> time = new LinkedHashMap<>();
    time.put("seconds", timestamp.getEpochSecond());
    time.put("nanos", timestamp.getNano());
    Map<String, Object> resource = new LinkedHashMap<>();
    resource.put("apiVersion", subject.apiVersion());
    resource.put("kind", subject.kind());
    if (namespaced) {
      resource.put("namespace", subject.namespace());
    }
    resource.put("name", subject.name());
    resource.put("uid", subject.uid());

    List<Map<String, Object>> results = new ArrayList<>();
    Map<String, Object> summary = new LinkedHashMap<>();
    for (String key : List.of("pass", "fail", "warn", "error", "skip")) {
      summary.put(key, 0);
    }
    for (Violation violation : violations) {
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("source", SOURCE);
      result.put("policy", String.join(",", violation.policies()));
      result.put("rule", violation.rule().id());
      result.put("category", CATEGORY);
      result.put("severity", severity(violation.rule()));
      String outcome = result(violation.action());
      result.put("result", outcome);
      result.put("scored", true);
      result.put("message", violation.message());
      Map<String, String> properties = new LinkedHashMap<>();
      properties.put("action", violation.action().label());
      properties.put("path", violation.path());
      if (!violation.containers().isEmpty()) {
        properties.put("container", String.join(",", violation.containers()));
      }
      properties.put("policies", String.join(",", violation.policies()));
      result.put("properties", properties);
      result.put("resources", List.of(resource));
      result.put("timestamp", time);
      results.add(result);
      summary.merge(outcome, 1, (a, b) -> (Integer) a + (Integer) b);
    }
    for (RuleId rule : passRules) {
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("source", SOURCE);
      result.put("policy", passPolicy);
      result.put("rule", rule.id());
      result.put("category", CATEGORY);
      result.put("severity", severity(rule));
      result.put("result", "pass");
      result.put("scored", true);
      result.put("message", "No " + rule.id() + " violation.");
      result.put("resources", List.of(resource));
      result.put("timestamp", time);
      results.add(result);
      summary.merge("pass", 1, (a, b) -> (Integer) a + (Integer) b);
    }

    GenericKubernetesResource report = new GenericKubernetesResource();
    report.setApiVersion(format.apiVersion());
    report.setKind(format.kind(namespaced));
    report.setMetadata(new ObjectMetaBuilder()
        .withName(subject.uid())
        .withNamespace(namespaced ? subject.namespace() : null)
        .addToLabels(MANAGED_BY, SOURCE)
        .addToAnnotations(FINDINGS_ANNOTATION, fingerprint)
        .addToOwnerReferences(new OwnerReferenceBuilder()
            .withApiVersion(subject.apiVersion())
            .withKind(subject.kind())
            .withName(subject.name())
            .withUid(subject.uid())
            .build())
        .build());
    report.setAdditionalProperty("scope", resource);
    report.setAdditionalProperty("summary", summary);
    report.setAdditionalProperty("results", results);
    return report;
  }
}
