package io.daemonguard.webhook;

import static io.daemonguard.admission.Fixtures.DEFAULT;
import static io.daemonguard.admission.Fixtures.compile;
import static io.daemonguard.admission.Fixtures.evaluate;
import static io.daemonguard.admission.Fixtures.read;
import static org.assertj.core.api.Assertions.assertThat;

import io.daemonguard.admission.Action;
import io.daemonguard.admission.Decision;
import io.daemonguard.admission.RuleId;
import io.daemonguard.admission.Violation;
import io.daemonguard.admission.Workload;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AdmissionMessagesTest {

  private static final String POD = """
      apiVersion: v1
      kind: Pod
      metadata: {name: web, namespace: team-a}
      spec:
        containers:
        - name: app
          image: nginx
          securityContext: {privileged: true}
          volumeMounts: [{name: root, mountPath: /host}]
        volumes:
        - name: root
          hostPath: {path: //}
        - name: sock
          hostPath: {path: /run/containerd/containerd.sock}
      """;

  private static String policy(String name, String admission) {
    return """
        apiVersion: daemonguard.io/v1alpha1
        kind: DaemonSecurityPolicy
        metadata: {name: %s}
        spec:
          admission: %s
        """.formatted(name, admission);
  }

  @Test
  void theDenialNamesEveryEnforcedRuleFieldAndPolicy() {
    Workload workload = read(POD);
    Decision decision = evaluate(workload, DEFAULT);

    String denial = AdmissionMessages.denial(workload, decision);

    assertThat(denial).startsWith("daemonguard: Pod team-a/web violates 4 rules: ");
    assertThat(denial).contains(
        "[host-root-mount] spec.volumes[0].hostPath.path: volume \"root\" mounts the host's root filesystem (path \"//\")",
        "[privileged-container] spec.containers[0].securityContext.privileged: container \"app\" runs privileged",
        "[runtime-socket-mount] spec.volumes[0].hostPath.path: ",
        "[runtime-socket-mount] spec.volumes[1].hostPath.path: volume \"sock\" (path \"/run/containerd/containerd.sock\")"
            + " mounts the container runtime socket /run/containerd/containerd.sock",
        "(policy daemonguard-default)");
    assertThat(denial.split("; \\[")).hasSize(4);
  }

  @Test
  void theDenialLeavesOutWhatIsOnlyWarnedOrAudited() {
    Workload workload = read(POD);
    Decision decision = evaluate(workload, compile(policy("mixed", "{action: Enforce, rules: {hostRootMount: {},"
        + " privilegedContainer: {action: Warn}, runtimeSocketMount: {action: Audit}}}")));

    String denial = AdmissionMessages.denial(workload, decision);

    assertThat(decision.allowed()).isFalse();
    assertThat(denial).isEqualTo("daemonguard: Pod team-a/web violates 1 rule: [host-root-mount] "
        + "spec.volumes[0].hostPath.path: volume \"root\" mounts the host's root filesystem (path \"//\") (policy mixed)");
    assertThat(AdmissionMessages.warnings(decision)).singleElement().satisfies(w -> {
      assertThat(w).startsWith(
          "daemonguard [privileged-container] spec.containers[0].securityContext.privileged: container \"app\" runs");
      // longer than the apiserver shows: cut, and marked as cut
      assertThat(w).hasSizeLessThan(AdmissionMessages.MAX_WARNING_LENGTH).endsWith("...");
    });
    assertThat(AdmissionMessages.audit(decision)).isEqualTo(
        "runtime-socket-mount spec.volumes[0].hostPath.path; runtime-socket-mount spec.volumes[1].hostPath.path");
  }

  @Test
  void theDenialNamesEveryPolicyThatObjected() {
    Workload workload = read(POD);
    Decision decision = evaluate(workload, compile(policy("soft", "{action: Warn}")),
        compile(policy("hard", "{action: Enforce, rules: {privilegedContainer: {}}}")));

    String denial = AdmissionMessages.denial(workload, decision);

    assertThat(denial).startsWith("daemonguard: Pod team-a/web violates 1 rule: [privileged-container] "
        + "spec.containers[0].securityContext.privileged: ");
    assertThat(denial).endsWith("(policy soft, hard)");
    assertThat(AdmissionMessages.warnings(decision)).hasSize(3)
        .allSatisfy(w -> assertThat(w).startsWith("daemonguard ["))
        .noneSatisfy(w -> assertThat(w).contains("privileged-container"));
  }

  @ParameterizedTest(name = "warning for a path of {0} characters")
  @ValueSource(ints = {0, 10, 50, 116, 119, 120, 200, 2000})
  void warningsStayUnderTheApiserverLimit(int extra) {
    String longName = "c".repeat(Math.max(1, extra));
    Violation violation = Violation.found(RuleId.PRIVILEGED_CONTAINER, "container \"" + longName + "\" runs privileged",
        "spec.jobTemplate.spec.template.spec.initContainers[12].securityContext.privileged", List.of(longName));
    Decision decision = new Decision(Action.WARN, List.of(violation.judged(Action.WARN, List.of("p"))));

    List<String> warnings = AdmissionMessages.warnings(decision);

    assertThat(warnings).singleElement().satisfies(w -> {
      assertThat(w).hasSizeLessThan(AdmissionMessages.MAX_WARNING_LENGTH);
      assertThat(w).startsWith("daemonguard [privileged-container] spec.jobTemplate.spec.template.spec.initContainers[12]");
    });
  }

  @Test
  void shortWarningsAreNotTruncated() {
    Violation violation = Violation.found(RuleId.HOST_ROOT_MOUNT, "short", "spec.volumes[0].hostPath.path", List.of());
    Decision decision = new Decision(Action.WARN, List.of(violation.judged(Action.WARN, List.of("p"))));

    assertThat(AdmissionMessages.warnings(decision))
        .containsExactly("daemonguard [host-root-mount] spec.volumes[0].hostPath.path: short");
  }

  @Test
  void warningsFromARealDecisionWithLongNamesStayShort() {
    String longName = "x".repeat(63);
    Workload workload = read("""
        apiVersion: batch/v1
        kind: CronJob
        metadata: {name: %1$s, namespace: %1$s}
        spec:
          jobTemplate:
            spec:
              template:
                spec:
                  initContainers:
                  - name: %1$s
                    image: busybox
                    securityContext: {privileged: true}
                    volumeMounts: [{name: %1$s, mountPath: /h}]
                  containers:
                  - name: app
                    image: busybox
                  volumes:
                  - name: %1$s
                    hostPath: {path: /var/run/../run/./k3s/containerd/containerd.sock}
        """.formatted(longName));
    Decision decision = evaluate(workload, compile(policy("warn", "{action: Warn}")));

    assertThat(decision.allowed()).isTrue();
    assertThat(decision.action()).isEqualTo(Action.WARN);
    assertThat(AdmissionMessages.warnings(decision)).hasSize(2).allSatisfy(w -> {
      assertThat(w).hasSizeLessThan(AdmissionMessages.MAX_WARNING_LENGTH);
      assertThat(w).startsWith("daemonguard [");
    });
    assertThat(AdmissionMessages.audit(decision)).isEmpty();
  }

  @Test
  void theAuditValueListsRulesAndFields() {
    Workload workload = read(POD);
    Decision decision = evaluate(workload, compile(policy("audit", "{action: Audit}")));

    assertThat(decision.allowed()).isTrue();
    assertThat(AdmissionMessages.audit(decision)).isEqualTo(
        "host-root-mount spec.volumes[0].hostPath.path; "
            + "privileged-container spec.containers[0].securityContext.privileged; "
            + "runtime-socket-mount spec.volumes[0].hostPath.path; "
            + "runtime-socket-mount spec.volumes[1].hostPath.path");
    assertThat(AdmissionMessages.warnings(decision)).isEmpty();
  }
}
