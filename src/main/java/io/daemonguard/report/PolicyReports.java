package io.daemonguard.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.daemonguard.Sha256;
import io.daemonguard.admission.Action;
import io.daemonguard.admission.RuleId;
import io.daemonguard.admission.Violation;
import io.daemonguard.api.Severity;
import io.daemonguard.posture.evaluate.CheckDefinition;
import io.daemonguard.posture.evaluate.CheckResult;
import io.daemonguard.posture.evaluate.Evaluation;
import io.daemonguard.posture.evaluate.Finding;
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
  /** Which side wrote a report: {@code node} for a node's posture (the audit's reports do not carry it). */
  public static final String REPORT_FOR = "daemonguard.io/report-for";
  static final String CATEGORY = "Container daemon protection";
  static final String NODE_CATEGORY = "Container daemon posture";
  private static final ObjectMapper FINGERPRINT_JSON = new ObjectMapper();

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
  public record Subject(String apiVersion, String kind, String namespace, String name, String uid) {

    /** The Node a node-posture report is about. */
    public static Subject node(String name, String uid) {
      return new Subject("v1", "Node", null, name, uid);
    }

    boolean namespaced() {
      return namespace != null && !namespace.isEmpty();
    }
  }

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
    Map<String, Object> time = timestamp(timestamp);
    Map<String, Object> resource = scope(subject);
    List<Map<String, Object>> results = new ArrayList<>();
    Map<String, Object> summary = summary();
    for (Violation violation : violations) {
      Map<String, String> properties = new LinkedHashMap<>();
      properties.put("action", violation.action().label());
      properties.put("path", violation.path());
      if (!violation.containers().isEmpty()) {
        properties.put("container", String.join(",", violation.containers()));
      }
      properties.put("policies", String.join(",", violation.policies()));
      results.add(result(summary, String.join(",", violation.policies()), violation.rule().id(), CATEGORY,
          severity(violation.rule()), result(violation.action()), violation.message(), properties, resource, time));
    }
    for (RuleId rule : passRules) {
      results.add(result(summary, passPolicy, rule.id(), CATEGORY, severity(rule), "pass",
          "No " + rule.id() + " violation.", null, resource, time));
    }
    return report(format, subject, Map.of(), fingerprint, resource, summary, results);
  }

  /**
   * The ClusterPolicyReport (openreports: ClusterReport) of a Node's daemon posture, under the strictest of the
   * policies that select it: one result per check, fail (with the findings' evidence, remediation and CIS id), error
   * when it could not be judged, skip when every policy disables it, pass only when asked for; a check whose daemon is
   * not on the node is left out. Named by the Node's UID, owned by it, labelled {@value #REPORT_FOR}: node so that it
   * is told from the audit's reports; its {@value #FINDINGS_ANNOTATION} annotation is a digest of the results without
   * their timestamps, so that equal digests mean nothing to write.
   *
   * @param node the Node (apiVersion v1, kind Node, no namespace)
   * @param policies the names of the policies that select the node: each result's policy, comma-joined
   */
  public static GenericKubernetesResource forNode(Format format, Subject node, Evaluation evaluation,
      List<String> policies, boolean includePass, Instant timestamp) {
    Map<String, Object> time = timestamp(timestamp);
    Map<String, Object> resource = scope(node);
    String policy = String.join(",", policies);
    List<Map<String, Object>> results = new ArrayList<>();
    Map<String, Object> summary = summary();
    for (CheckResult check : evaluation.checks()) {
      CheckDefinition definition = CheckDefinition.of(check.check());
      List<Finding> mine = evaluation.findings().stream().filter(f -> f.check() == check.check()).toList();
      String id = check.check().id();
      switch (check.outcome()) {
        case FAIL -> {
          List<Finding> failing = mine.stream().filter(f -> !f.unknown() && f.severity() != Severity.INFO).toList();
          results.add(result(summary, policy, id, NODE_CATEGORY, failing.get(0).severity().label(), "fail",
              messages(failing), properties(failing, definition.remediation(), definition.cisId()), resource, time));
        }
        case UNKNOWN -> {
          List<Finding> unknown = mine.stream().filter(Finding::unknown).toList();
          results.add(result(summary, policy, id, NODE_CATEGORY, definition.severity().label(), "error",
              messages(unknown), properties(unknown, unknown.get(0).remediation(), definition.cisId()), resource,
              time));
        }
        case PASS -> {
          if (includePass) {
            results.add(result(summary, policy, id, NODE_CATEGORY, definition.severity().label(), "pass",
                "No " + id + " finding.", null, resource, time));
          }
        }
        case DISABLED -> results.add(result(summary, policy, id, NODE_CATEGORY, definition.severity().label(), "skip",
            "Disabled by every policy that selects the node (spec.nodes.disabledChecks).", null, resource, time));
        default -> {
          // NOT_APPLICABLE: the daemon it judges is not on the node
        }
      }
    }
    return report(format, node, Map.of(REPORT_FOR, "node"), fingerprint(policy, results), resource, summary,
        results);
  }

  private static String messages(List<Finding> findings) {
    return String.join("; ", findings.stream().map(Finding::message).toList());
  }

  private static Map<String, String> properties(List<Finding> findings, String remediation, String cis) {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("evidence", String.join("; ", findings.stream().flatMap(f -> f.evidence().stream()).distinct()
        .toList()));
    properties.put("remediation", remediation);
    if (cis != null) {
      properties.put("cis", cis);
    }
    return properties;
  }

  /** What the results say, their timestamps left out. */
  private static String fingerprint(String policy, List<Map<String, Object>> results) {
    List<Map<String, Object>> timeless = new ArrayList<>();
    for (Map<String, Object> result : results) {
      Map<String, Object> copy = new LinkedHashMap<>(result);
      copy.remove("timestamp");
      timeless.add(copy);
    }
    try {
      return Sha256.hex(policy + "\0" + FINGERPRINT_JSON.writeValueAsString(timeless)).substring(0, 24);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("maps of strings always serialize", e);
    }
  }

  private static Map<String, Object> timestamp(Instant timestamp) {
    Map<String, Object> time = new LinkedHashMap<>();
    time.put("seconds", timestamp.getEpochSecond());
    time.put("nanos", timestamp.getNano());
    return time;
  }

  /** The resource a report is about, as its scope and each result's resources name it. */
  private static Map<String, Object> scope(Subject subject) {
    Map<String, Object> resource = new LinkedHashMap<>();
    resource.put("apiVersion", subject.apiVersion());
    resource.put("kind", subject.kind());
    if (subject.namespaced()) {
      resource.put("namespace", subject.namespace());
    }
    resource.put("name", subject.name());
    resource.put("uid", subject.uid());
    return resource;
  }

  private static Map<String, Object> summary() {
    Map<String, Object> summary = new LinkedHashMap<>();
    for (String key : List.of("pass", "fail", "warn", "error", "skip")) {
      summary.put(key, 0);
    }
    return summary;
  }

  /** One result, counted in {@code summary}. */
  private static Map<String, Object> result(Map<String, Object> summary, String policy, String rule, String category,
      String severity, String outcome, String message, Map<String, String> properties, Map<String, Object> resource,
      Map<String, Object> time) {
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("source", SOURCE);
    result.put("policy", policy);
    result.put("rule", rule);
    result.put("category", category);
    result.put("severity", severity);
    result.put("result", outcome);
    result.put("scored", true);
    result.put("message", message);
    if (properties != null) {
      result.put("properties", properties);
    }
    result.put("resources", List.of(resource));
    result.put("timestamp", time);
    summary.merge(outcome, 1, (a, b) -> (Integer) a + (Integer) b);
    return result;
  }

  private static GenericKubernetesResource report(Format format, Subject subject, Map<String, String> labels,
      String fingerprint, Map<String, Object> resource, Map<String, Object> summary,
      List<Map<String, Object>> results) {
    GenericKubernetesResource report = new GenericKubernetesResource();
    report.setApiVersion(format.apiVersion());
    report.setKind(format.kind(subject.namespaced()));
    report.setMetadata(new ObjectMetaBuilder()
        .withName(subject.uid())
        .withNamespace(subject.namespaced() ? subject.namespace() : null)
        .addToLabels(MANAGED_BY, SOURCE)
        .addToLabels(labels)
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
