package io.daemonguard.operator.scan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.daemonguard.Sha256;
import io.daemonguard.api.DaemonSecurityPolicy;
import io.daemonguard.api.FindingCounts;
import io.daemonguard.api.NodeDaemonPostureStatus;
import io.daemonguard.api.NodePostureSpec;
import io.daemonguard.api.PolicyPostureVerdict;
import io.daemonguard.api.PostureCheck;
import io.daemonguard.api.PostureFindingStatus;
import io.daemonguard.api.PostureSummary;
import io.daemonguard.api.Remediation;
import io.daemonguard.api.Severity;
import io.daemonguard.posture.NodeFacts;
import io.daemonguard.posture.evaluate.Evaluation;
import io.daemonguard.posture.evaluate.Finding;
import io.daemonguard.posture.evaluate.PostureEvaluator;
import io.daemonguard.posture.evaluate.PosturePolicy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * A node's posture judged from its stored facts and the policies that select it: pure functions, no I/O, so that a
 * policy change judges every node again without a scan, and the operator writes only what changed.
 */
public final class NodePostures {
  /** The label's values (design §4): {@code daemonguard.io/daemon-posture=compliant|noncompliant}. */
  public static final String COMPLIANT = "compliant";
  public static final String NONCOMPLIANT = "noncompliant";

  /**
   * Facts as the scanner writes them and as status.facts stores them: unknown properties ignored (a newer scanner
   * image), object keys written sorted (so that {@link #digest} is canonical).
   */
  static final ObjectMapper JSON = JsonMapper.builder()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED)
      .build();

  private NodePostures() {}

  /** A policy that selects the node, with what it asks: its posture policy, and whether to label and taint. */
  public record SelectingPolicy(String name, PosturePolicy posture, boolean labelNodes, boolean taintNodes) {}

  /**
   * The policies whose {@code spec.nodes.nodeSelector} selects a node with these labels, sorted by name. A policy
   * without spec.nodes judges no node (as the CRD says: an admission-only policy does not pull every node into
   * scans); {@code nodes: {}} selects every node with the defaults (failOn high, nothing disabled, labelNodes, no
   * taint). A policy whose spec.nodes does not compile is judged with {@link PosturePolicy#defaults()}, so that an invalid
   * policy never loosens anything below the built-in default; a policy being deleted is left out.
   */
  public static List<SelectingPolicy> selecting(Map<String, String> nodeLabels,
      Collection<DaemonSecurityPolicy> policies) {
    List<SelectingPolicy> selecting = new ArrayList<>();
    for (DaemonSecurityPolicy policy : policies) {
      if (policy == null || policy.getMetadata() == null || policy.getMetadata().getDeletionTimestamp() != null) {
        continue;
      }
      NodePostureSpec nodes = policy.getSpec() == null ? null : policy.getSpec().getNodes();
      if (nodes == null || !NodeSelection.selects(nodes.getNodeSelector(), nodeLabels)) {
        continue;
      }
      PosturePolicy posture;
      try {
        posture = PosturePolicy.of(nodes);
      } catch (IllegalArgumentException invalid) {
        posture = PosturePolicy.defaults();
      }
      Remediation remediation = nodes == null ? null : nodes.getRemediation();
      boolean label = remediation == null || remediation.getLabelNodes() == null || remediation.getLabelNodes();
      boolean taint = remediation != null && Boolean.TRUE.equals(remediation.getTaintNodes());
      selecting.add(new SelectingPolicy(policy.getMetadata().getName(), posture, label, taint));
    }
    selecting.sort(Comparator.comparing(SelectingPolicy::name));
    return selecting;
  }

  /**
   * How the selecting policies judge a node.
   *
   * @param status only the fields the judgement owns: runtime, compliant, policies, failOn, summary, findings and
   *     verdicts; the caller owns facts, factsDigest, lastScan, lastScanRequest and conditions
   * @param strictest the evaluation under the strictest policy (status.findings and summary come from it); null
   *     when the node is not scanned yet
   * @param label the value of the node label daemonguard.io/daemon-posture, or null for no label (no selecting
   *     policy asks for one, or the node is not scanned yet)
   * @param taint true when a policy that asks for the taint finds the node non-compliant
   */
  public record Judgement(NodeDaemonPostureStatus status, Evaluation strictest, String label, boolean taint) {}

  /**
   * The strictest of the policies: the least severe failOn among them, and only the checks that every one of them
   * disables. No policy: the built-in default.
   */
  public static PosturePolicy strictest(List<SelectingPolicy> policies) {
    if (policies.isEmpty()) {
      return PosturePolicy.defaults();
    }
    Severity failOn = Severity.CRITICAL;
    Set<PostureCheck> disabled = EnumSet.allOf(PostureCheck.class);
    for (SelectingPolicy policy : policies) {
      if (policy.posture().failOn().compareTo(failOn) > 0) {
        failOn = policy.posture().failOn();
      }
      disabled.retainAll(policy.posture().disabledChecks());
    }
    return new PosturePolicy(failOn, disabled);
  }

  /**
   * Judges a node's facts under the policies that select it ({@link #selecting}).
   *
   * @param facts the last scan's facts; null when the node is not scanned yet: then runtime, compliant, summary and
   *     findings stay null, each verdict says only its policy's failOn and taint, and there is no label or taint
   */
  public static Judgement judge(NodeFacts facts, List<SelectingPolicy> policies) {
    NodeDaemonPostureStatus status = new NodeDaemonPostureStatus();
    status.setConditions(null);
    status.setPolicies(policies.stream().map(SelectingPolicy::name).toList());
    PosturePolicy strict = strictest(policies);
    status.setFailOn(policies.isEmpty() ? null : strict.failOn().label());

    Evaluation strictest = facts == null ? null : PostureEvaluator.evaluate(facts, strict);
    boolean compliant = true;
    boolean taint = false;
    List<PolicyPostureVerdict> verdicts = new ArrayList<>();
    for (SelectingPolicy policy : policies) {
      PolicyPostureVerdict verdict = new PolicyPostureVerdict();
      verdict.setPolicy(policy.name());
      verdict.setFailOn(policy.posture().failOn().label());
      verdict.setTaint(policy.taintNodes());
      if (facts != null) {
        Evaluation own = PostureEvaluator.evaluate(facts, policy.posture());
        verdict.setCompliant(!own.failed());
        verdict.setFindings(counts(own, new FindingCounts()));
        compliant &= !own.failed();
        taint |= policy.taintNodes() && own.failed();
      }
      verdicts.add(verdict);
    }
    status.setVerdicts(verdicts);

    String label = null;
    if (strictest != null) {
      status.setRuntime(runtime(facts));
      status.setCompliant(policies.isEmpty() ? null : compliant);
      status.setSummary(summary(strictest));
      status.setFindings(strictest.findings().stream().map(NodePostures::finding).toList());
      if (policies.stream().anyMatch(SelectingPolicy::labelNodes)) {
        label = compliant ? COMPLIANT : NONCOMPLIANT;
      }
    }
    return new Judgement(status, strictest, label, taint);
  }

  /** docker, containerd, cri-o (in that order, comma-joined) as found in the facts; none when none is. */
  static String runtime(NodeFacts facts) {
    StringJoiner found = new StringJoiner(",");
    if (facts.docker() != null) {
      found.add("docker");
    }
    if (facts.containerd() != null && !facts.containerd().isEmpty()) {
      found.add("containerd");
    }
    if (facts.crio() != null) {
      found.add("cri-o");
    }
    return found.length() == 0 ? "none" : found.toString();
  }

  private static PostureSummary summary(Evaluation evaluation) {
    PostureSummary summary = counts(evaluation, new PostureSummary());
    summary.setInfo(evaluation.count(Severity.INFO));
    summary.setUnknown(evaluation.unknownCount());
    return summary;
  }

  private static <C extends FindingCounts> C counts(Evaluation evaluation, C counts) {
    counts.setCritical(evaluation.count(Severity.CRITICAL));
    counts.setHigh(evaluation.count(Severity.HIGH));
    counts.setMedium(evaluation.count(Severity.MEDIUM));
    counts.setLow(evaluation.count(Severity.LOW));
    return counts;
  }

  /** A finding as status.findings holds it: wire-format check id and severity; unknown set only when true. */
  public static PostureFindingStatus finding(Finding finding) {
    PostureFindingStatus status = new PostureFindingStatus();
    status.setCheck(finding.check().id());
    status.setSeverity(finding.severity().label());
    status.setMessage(finding.message());
    status.setCis(finding.cis());
    status.setEvidence(finding.evidence());
    status.setRemediation(finding.remediation());
    status.setUnknown(finding.unknown() ? Boolean.TRUE : null);
    return status;
  }

  /** A finding that appeared (an Event PostureFinding on the Node) or cleared (PostureCleared). */
  public record FindingChange(boolean appeared, PostureFindingStatus finding) {}

  /**
   * What changed between two scans' findings, for Events on the Node: keyed by check id and severity, real findings
   * only (not unknown, above info). A finding whose message or evidence changed (a daemon restarted under a new pid)
   * is the same finding: no change. Appeared ones first in {@code after}'s order, then cleared ones in
   * {@code before}'s order; null lists are empty.
   */
  public static List<FindingChange> changes(List<PostureFindingStatus> before, List<PostureFindingStatus> after) {
    Map<String, PostureFindingStatus> was = real(before);
    Map<String, PostureFindingStatus> is = real(after);
    List<FindingChange> changes = new ArrayList<>();
    is.forEach((key, finding) -> {
      if (!was.containsKey(key)) {
        changes.add(new FindingChange(true, finding));
      }
    });
    was.forEach((key, finding) -> {
      if (!is.containsKey(key)) {
        changes.add(new FindingChange(false, finding));
      }
    });
    return changes;
  }

  private static Map<String, PostureFindingStatus> real(List<PostureFindingStatus> findings) {
    Map<String, PostureFindingStatus> real = new LinkedHashMap<>();
    for (PostureFindingStatus f : findings == null ? List.<PostureFindingStatus>of() : findings) {
      if (f != null && !Boolean.TRUE.equals(f.getUnknown()) && f.getCheck() != null && f.getSeverity() != null
          && !Severity.INFO.label().equals(f.getSeverity())) {
        real.putIfAbsent(f.getCheck() + " " + f.getSeverity(), f);
      }
    }
    return real;
  }

  /**
   * SHA-256 (lower-case hex) of the facts' canonical JSON: object keys sorted, no white space, so that the same facts
   * give the same digest whatever order their keys were written in. Null for null facts.
   */
  public static String digest(JsonNode facts) {
    if (facts == null) {
      return null;
    }
    try {
      return Sha256.hex(JSON.writeValueAsBytes(facts));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
  }

  /** The facts as status.facts stores them. */
  public static JsonNode factsTree(NodeFacts facts) {
    return JSON.valueToTree(facts);
  }

  /**
   * The facts back from status.facts (or a scan's output); properties this version does not know are ignored. Null
   * for a null or JSON-null tree.
   *
   * @throws IllegalArgumentException when the tree is not facts (a string, or a field of the wrong type)
   */
  public static NodeFacts facts(JsonNode tree) {
    if (tree == null || tree.isNull() || tree.isMissingNode()) {
      return null;
    }
    if (!tree.isObject()) {
      throw new IllegalArgumentException("facts: expected a JSON object, found " + tree.getNodeType());
    }
    try {
      return JSON.treeToValue(tree, NodeFacts.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("facts: " + e.getOriginalMessage(), e);
    }
  }
}
