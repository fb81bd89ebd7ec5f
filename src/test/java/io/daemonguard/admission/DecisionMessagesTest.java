package io.daemonguard.admission;

import static io.daemonguard.admission.Fixtures.DEFAULT;
import static io.daemonguard.admission.Fixtures.compile;
import static io.daemonguard.admission.Fixtures.evaluate;
import static io.daemonguard.admission.Fixtures.read;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DecisionMessagesTest {

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

    String denial = DecisionMessages.denial(workload, decision);

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

    String denial = DecisionMessages.denial(workload, decision);

    assertThat(decision.allowed()).isFalse();
    assertThat(denial).isEqualTo("daemonguard: Pod team-a/web violates 1 rule: [host-root-mount] "
        + "spec.volumes[0].hostPath.path: volume \"root\" mounts the host's root filesystem (path \"//\") (policy mixed)");
    assertThat(DecisionMessages.warnings(decision)).singleElement().satisfies(w -> {
      assertThat(w).startsWith(
          "daemonguard [privileged-container] spec.containers[0].securityContext.privileged: container \"app\" runs");
      // longer than the apiserver shows: cut, and marked as cut
      assertThat(w).hasSizeLessThan(DecisionMessages.MAX_WARNING_LENGTH).endsWith("...");
    });
    assertThat(DecisionMessages.audit(decision)).isEqualTo(
        "runtime-socket-mount spec.volumes[0].hostPath.path; runtime-socket-mount spec.volumes[1].hostPath.path");
  }

  @Test
  void theDenialNamesEveryPolicyThatObjected() {
    Workload workload = read(POD);
    Decision decision = evaluate(workload, compile(policy("soft", "{action: Warn}")),
        compile(policy("hard", "{action: Enforce, rules: {privilegedContainer: {}}}")));

    String denial = DecisionMessages.denial(workload, decision);

    assertThat(denial).startsWith("daemonguard: Pod team-a/web violates 1 rule: [privileged-container] "
        + "spec.containers[0].securityContext.privileged: ");
    assertThat(denial).endsWith("(policy soft, hard)");
    assertThat(DecisionMessages.warnings(decision)).hasSize(3)
        .allSatisfy(w -> assertThat(w).startsWith("daemonguard ["))
        .noneSatisfy(w -> assertThat(w).contains("privileged-container"));
  }

  @Test
  void theLineOfAFinding() {
    Decision.Finding finding = new Decision.Finding(
        new Violation(RuleId.RUNTIME_SOCKET_MOUNT, "volume \"d\" mounts a socket", "spec.volumes[2].hostPath.path", "a"),
        Action.ENFORCE, List.of("p1", "p2"));

    assertThat(DecisionMessages.line(finding))
        .isEqualTo("[runtime-socket-mount] spec.volumes[2].hostPath.path: volume \"d\" mounts a socket (policy p1, p2)");
  }

  @ParameterizedTest(name = "warning for a path of {0} characters")
  @ValueSource(ints = {0, 10, 50, 116, 119, 120, 200, 2000})
  void warningsStayUnderTheApiserverLimit(int extra) {
    String longName = "c".repeat(Math.max(1, extra));
    Violation violation = new Violation(RuleId.PRIVILEGED_CONTAINER, "container \"" + longName + "\" runs privileged",
        "spec.jobTemplate.spec.template.spec.initContainers[12].securityContext.privileged", longName);
    Decision decision = new Decision(true, Action.WARN,
        List.of(new Decision.Finding(violation, Action.WARN, List.of("p"))));

    List<String> warnings = DecisionMessages.warnings(decision);

    assertThat(warnings).singleElement().satisfies(w -> {
      assertThat(w).hasSizeLessThan(DecisionMessages.MAX_WARNING_LENGTH);
      assertThat(w).startsWith("daemonguard [privileged-container] spec.jobTemplate.spec.template.spec.initContainers[12]");
    });
  }

  @Test
  void shortWarningsAreNotTruncated() {
    Violation violation = new Violation(RuleId.HOST_ROOT_MOUNT, "short", "spec.volumes[0].hostPath.path", null);
    Decision decision = new Decision(true, Action.WARN,
        List.of(new Decision.Finding(violation, Action.WARN, List.of("p"))));

    assertThat(DecisionMessages.warnings(decision))
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
    assertThat(DecisionMessages.warnings(decision)).hasSize(2).allSatisfy(w -> {
      assertThat(w).hasSizeLessThan(DecisionMessages.MAX_WARNING_LENGTH);
      assertThat(w).startsWith("daemonguard [");
    });
    assertThat(DecisionMessages.audit(decision)).isEmpty();
  }

  @Test
  void theAuditValueListsRulesAndFields() {
    Workload workload = read(POD);
    Decision decision = evaluate(workload, compile(policy("audit", "{action: Audit}")));

    assertThat(decision.allowed()).isTrue();
    assertThat(DecisionMessages.audit(decision)).isEqualTo(
        "host-root-mount spec.volumes[0].hostPath.path; "
            + "privileged-container spec.containers[0].securityContext.privileged; "
            + "runtime-socket-mount spec.volumes[0].hostPath.path; "
            + "runtime-socket-mount spec.volumes[1].hostPath.path");
    assertThat(DecisionMessages.warnings(decision)).isEmpty();
  }

  @Test
  void theSubjectNamesKindNamespaceAndName() {
    assertThat(DecisionMessages.subject(new Workload("Pod", "team-a", "web", null, List.of(), List.of())))
        .isEqualTo("Pod team-a/web");
    assertThat(DecisionMessages.subject(new Workload("PersistentVolume", null, "pv", null, List.of(), List.of())))
        .isEqualTo("PersistentVolume pv");
    assertThat(DecisionMessages.subject(new Workload("Pod", "team-a", null, null, List.of(), List.of())))
        .isEqualTo("Pod");
    assertThat(DecisionMessages.subject(new Workload("", null, null, null, List.of(), List.of())))
        .isEqualTo("object");
  }
}
