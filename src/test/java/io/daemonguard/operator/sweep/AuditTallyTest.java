package io.daemonguard.operator.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonguard.admission.Action;
import io.daemonguard.admission.AdmissionPolicy;
import io.daemonguard.admission.RuleId;
import io.daemonguard.admission.RuntimeSockets;
import io.daemonguard.admission.Violation;
import io.daemonguard.admission.Workload;
import io.daemonguard.api.AuditStatus;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AuditTallyTest {

  private static final String PRIV = "privileged-container";

  private static Workload privileged(String kind, String path) {
    return new Workload(kind, "team-a", "x", null,
        List.of(new Workload.Container("app", "img", path, true, List.of())), List.of());
  }

  private static Workload clean(String kind) {
    return new Workload(kind, "team-a", "x", null,
        List.of(new Workload.Container("app", "img", "spec.containers[0]", false, List.of())), List.of());
  }

  private static AdmissionPolicy policy(String name, Action action, Set<String> exempt) {
    Map<RuleId, Action> rules = new EnumMap<>(RuleId.class);
    for (RuleId rule : RuleId.values()) {
      rules.put(rule, action);
    }
    return new AdmissionPolicy(name, rules, RuntimeSockets.defaults(), exempt, Set.of(), List.of());
  }

  private static SweptObject object(String uid, String kind, String controller, Workload workload) {
    return new SweptObject("v1", kind, "team-a", uid, uid, controller, workload);
  }

  private static Map<String, SweptObject> byUid(SweptObject... objects) {
    Map<String, SweptObject> map = new LinkedHashMap<>();
    for (SweptObject object : objects) {
      map.put(object.uid(), object);
    }
    return map;
  }

  private static AuditStatus tally(Map<String, SweptObject> objects, AdmissionPolicy policy) {
    Map<String, List<Violation>> found = AuditTally.judgeEach(objects.values(), List.of(policy)).get(policy.name());
    return AuditTally.tally(objects, found, 20).status();
  }

  @Test
  void aDeploymentItsReplicaSetAndItsPodsCountOnce() {
    Map<String, SweptObject> objects = byUid(
        object("d", "Deployment", null, privileged("Deployment", "spec.template.spec.containers[0]")),
        object("rs", "ReplicaSet", "d", privileged("ReplicaSet", "spec.template.spec.containers[0]")),
        object("p1", "Pod", "rs", privileged("Pod", "spec.containers[0]")),
        object("p2", "Pod", "rs", privileged("Pod", "spec.containers[0]")));

    AuditStatus status = tally(objects, policy("baseline", Action.ENFORCE, Set.of()));

    assertThat(status.getViolations()).isEqualTo(1L);
    assertThat(status.getByRule()).containsExactly(Map.entry(PRIV, 1L));
    assertThat(status.getByAction()).containsExactly(Map.entry("Enforce", 1L));
    assertThat(status.getExamples()).extracting(e -> e.getKind()).containsExactly("Deployment");
  }

  @Test
  void aPodLeftFromABadReplicaSetOfAFixedDeploymentStillCounts() {
    Map<String, SweptObject> objects = byUid(
        object("d", "Deployment", null, clean("Deployment")),
        object("rs-old", "ReplicaSet", "d", privileged("ReplicaSet", "spec.template.spec.containers[0]")),
        object("p", "Pod", "rs-old", privileged("Pod", "spec.containers[0]")));

    AuditStatus status = tally(objects, policy("baseline", Action.WARN, Set.of()));

    assertThat(status.getViolations()).isEqualTo(1L);
    assertThat(status.getByAction()).containsExactly(Map.entry("Warn", 1L));
    assertThat(status.getExamples()).extracting(e -> e.getKind()).containsExactly("ReplicaSet");
  }

  @Test
  void aMirrorPodIsControlledByItsNodeWhichIsNotSwept() {
    Map<String, SweptObject> objects = byUid(
        object("static", "Pod", "node-uid", privileged("Pod", "spec.containers[0]")));

    assertThat(tally(objects, policy("baseline", Action.AUDIT, Set.of())).getViolations()).isEqualTo(1L);
  }

  @Test
  void exemptionsApplyAsInAdmission() {
    Map<String, SweptObject> objects = byUid(object("p", "Pod", null, privileged("Pod", "spec.containers[0]")));

    assertThat(tally(objects, policy("baseline", Action.ENFORCE, Set.of("team-a"))).getViolations()).isZero();
  }

  @Test
  void examplesAreCappedAndCountsAreNot() {
    SweptObject[] many = new SweptObject[30];
    for (int i = 0; i < many.length; i++) {
      many[i] = object("p" + i, "Pod", null, privileged("Pod", "spec.containers[0]"));
    }
    AuditStatus status = tally(byUid(many), policy("baseline", Action.ENFORCE, Set.of()));

    assertThat(status.getViolations()).isEqualTo(30L);
    assertThat(status.getExamples()).hasSize(20);
  }

  @Test
  void findingsOfTheSameViolationsInAnotherOrderHaveOneFingerprint() {
    Violation a = Violation.found(RuleId.PRIVILEGED_CONTAINER, "m", "spec.containers[0]", List.of("a"))
        .judged(Action.ENFORCE, List.of("baseline"));
    Violation b = Violation.found(RuleId.HOST_ROOT_MOUNT, "m", "spec.volumes[0]", List.of())
        .judged(Action.ENFORCE, List.of("baseline"));
    Violation bWarn = b.judged(Action.WARN, List.of("baseline"));

    assertThat(Findings.of(List.of(a, b)).fingerprint()).isEqualTo(Findings.of(List.of(b, a)).fingerprint());
    assertThat(Findings.of(List.of(a, bWarn)).fingerprint()).isNotEqualTo(Findings.of(List.of(a, b)).fingerprint());
    assertThat(Findings.of(List.of()).fingerprint()).isEmpty();
  }

  @Test
  void sameFiguresIgnoreWhenTheAuditRan() {
    AuditStatus one = new AuditStatus();
    one.setViolations(2L);
    one.setLastCompleted("2026-12-02T10:00:00Z");
    AuditStatus two = new AuditStatus();
    two.setViolations(2L);
    two.setLastCompleted("2026-12-02T11:00:00Z");
    AuditStatus three = new AuditStatus();
    three.setViolations(3L);

    assertThat(SweepController.sameFigures(one, two)).isTrue();
    assertThat(SweepController.sameFigures(one, three)).isFalse();
  }
}
