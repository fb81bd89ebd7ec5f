package io.daemonguard.operator.sweep;

import io.daemonguard.admission.AdmissionEngine;
import io.daemonguard.admission.AdmissionPolicy;
import io.daemonguard.admission.Violation;
import io.daemonguard.api.AuditExample;
import io.daemonguard.api.AuditStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Each policy's figures for {@code status.audit}, from the objects swept: pure, so the counting rules are tested
 * without a cluster.
 *
 * <p>One problem counts once: an object's violation of a rule is not counted when the object that controls it (its
 * ReplicaSet, Deployment, CronJob, ...) is swept and breaks the same rule itself, because it was inherited from there.
 * A pod left over from an old, bad ReplicaSet of a since-fixed Deployment still counts, through that ReplicaSet. A
 * mirror pod (a static pod's) is controlled by its Node, which is not swept: it counts.
 */
final class AuditTally {

  private AuditTally() {}

  /** Per policy name, the rules each object breaks under that policy alone (with that policy's action). */
  static Map<String, Map<String, List<Violation>>> judgeEach(Iterable<SweptObject> objects,
      List<AdmissionPolicy> policies) {
    Map<String, Map<String, List<Violation>>> byPolicy = new LinkedHashMap<>();
    for (AdmissionPolicy policy : policies) {
      Map<String, List<Violation>> byObject = new LinkedHashMap<>();
      List<AdmissionPolicy> alone = List.of(policy);
      for (SweptObject object : objects) {
        List<Violation> found = AdmissionEngine.evaluate(object.workload(), alone).violations();
        if (!found.isEmpty()) {
          byObject.put(object.uid(), found);
        }
      }
      byPolicy.put(policy.name(), byObject);
    }
    return byPolicy;
  }

  /**
   * The {@code status.audit} of one policy ({@code lastCompleted} left for the writer), and its figures by rule and
   * action together.
   *
   * @param objects every swept object, by uid
   * @param found what {@link #judgeEach} found under this policy, by uid
   */
  static Tally tally(Map<String, SweptObject> objects, Map<String, List<Violation>> found, int maxExamples) {
    Map<String, Long> byRuleAndAction = new TreeMap<>();
    Map<String, Long> byRule = new TreeMap<>();
    Map<String, Long> byAction = new TreeMap<>();
    List<AuditExample> examples = new ArrayList<>();
    long workloads = 0;
    List<SweptObject> ordered = found.keySet().stream().map(objects::get).filter(o -> o != null)
        .sorted(Comparator.comparing(SweptObject::kind).thenComparing(o -> String.valueOf(o.namespace()))
            .thenComparing(SweptObject::name))
        .toList();
    for (SweptObject object : ordered) {
      Set<String> inherited = new HashSet<>();
      List<Violation> fromController = object.controllerUid() == null ? null : found.get(object.controllerUid());
      if (fromController != null && objects.containsKey(object.controllerUid())) {
        fromController.forEach(v -> inherited.add(v.rule().id()));
      }
      boolean counted = false;
      Set<String> rulesHere = new HashSet<>();
      Set<String> actionsHere = new HashSet<>();
      for (Violation violation : found.get(object.uid())) {
        if (inherited.contains(violation.rule().id())) {
          continue;
        }
        counted = true;
        if (rulesHere.add(violation.rule().id())) {
          byRule.merge(violation.rule().id(), 1L, Long::sum);
        }
        if (actionsHere.add(violation.action().label())) {
          byAction.merge(violation.action().label(), 1L, Long::sum);
        }
        if (actionsHere.add(violation.rule().id() + "|" + violation.action().label())) {
          byRuleAndAction.merge(violation.rule().id() + "|" + violation.action().label(), 1L, Long::sum);
        }
        if (examples.size() < maxExamples) {
          AuditExample example = new AuditExample();
          example.setKind(object.kind());
          example.setNamespace(object.namespace());
          example.setName(object.name());
          example.setRule(violation.rule().id());
          example.setPath(violation.path());
          examples.add(example);
        }
      }
      if (counted) {
        workloads++;
      }
    }
    AuditStatus status = new AuditStatus();
    status.setViolations(workloads);
    status.setByRule(byRule);
    status.setByAction(byAction);
    status.setExamples(examples);
    return new Tally(status, byRuleAndAction);
  }

  /**
   * @param status the policy's {@code status.audit}, without {@code lastCompleted}
   * @param byRuleAndAction violating workloads by "rule|action", for the metrics
   */
  record Tally(AuditStatus status, Map<String, Long> byRuleAndAction) {}
}
