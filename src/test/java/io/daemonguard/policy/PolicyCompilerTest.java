package io.daemonguard.policy;

import static io.daemonguard.admission.Fixtures.compile;
import static io.daemonguard.admission.Fixtures.dsp;
import static io.daemonguard.admission.Fixtures.evaluate;
import static io.daemonguard.admission.Fixtures.read;
import static io.daemonguard.admission.Fixtures.ruleIds;
import static io.daemonguard.admission.Fixtures.summary;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.daemonguard.admission.Action;
import io.daemonguard.admission.AdmissionPolicy;
import io.daemonguard.admission.Decision;
import io.daemonguard.admission.ImagePattern;
import io.daemonguard.admission.RuleId;
import io.daemonguard.admission.RuntimeSockets;
import io.daemonguard.admission.Workload;
import io.daemonguard.api.DaemonSecurityPolicy;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class PolicyCompilerTest {

  private static String policy(String admission) {
    return """
        apiVersion: daemonguard.io/v1alpha1
        kind: DaemonSecurityPolicy
        metadata:
          name: baseline
        spec:
          admission:
        %s""".formatted(admission.indent(4));
  }

  /** A pod breaking all three rules once each: hostPath /var/run/docker.sock, hostPath /data, one privileged container. */
  private static final String POD = """
      apiVersion: v1
      kind: Pod
      metadata: {name: agent, namespace: %s}
      spec:
        serviceAccountName: %s
        containers:
        - name: agent
          image: %s
          securityContext: {privileged: true}
          volumeMounts:
          - {name: root, mountPath: /host}
          - {name: sock, mountPath: /var/run/docker.sock}
        volumes:
        - name: root
          hostPath: {path: /.}
        - name: sock
          hostPath: {path: /var/run/docker.sock}
      """;

  private static Workload pod(String namespace, String serviceAccount, String image) {
    return read(POD.formatted(namespace, serviceAccount, image));
  }

  private static Workload pod() {
    return pod("team-a", "agent", "registry.example.com/agent:1.0");
  }

  // ---------------------------------------------------------------- actions and rules

  @Test
  void aMinimalPolicyEnforcesEveryRule() {
    AdmissionPolicy policy = compile("""
        apiVersion: daemonguard.io/v1alpha1
        kind: DaemonSecurityPolicy
        metadata: {name: minimal}
        """);

    assertThat(policy.name()).isEqualTo("minimal");
    assertThat(policy.rules()).containsOnly(entry(RuleId.HOST_ROOT_MOUNT, Action.ENFORCE),
        entry(RuleId.PRIVILEGED_CONTAINER, Action.ENFORCE), entry(RuleId.RUNTIME_SOCKET_MOUNT, Action.ENFORCE));
    assertThat(policy.sockets()).isSameAs(RuntimeSockets.defaults());
    assertThat(policy.exemptNamespaces()).isEmpty();
  }

  @ParameterizedTest(name = "action {0}")
  @CsvSource({"Enforce, ENFORCE, false", "Warn, WARN, true", "Audit, AUDIT, true"})
  void thePolicyActionAppliesToEveryRule(String action, Action expected, boolean allowed) {
    AdmissionPolicy policy = compile(policy("action: " + action));

    assertThat(policy.rules()).containsOnly(entry(RuleId.HOST_ROOT_MOUNT, expected),
        entry(RuleId.PRIVILEGED_CONTAINER, expected), entry(RuleId.RUNTIME_SOCKET_MOUNT, expected));
    Decision decision = evaluate(pod(), policy);
    assertThat(decision.allowed()).isEqualTo(allowed);
    assertThat(decision.action()).isEqualTo(expected);
    assertThat(summary(decision)).containsExactlyInAnyOrder(
        "host-root-mount spec.volumes[0].hostPath.path agent",
        "runtime-socket-mount spec.volumes[0].hostPath.path agent",
        "runtime-socket-mount spec.volumes[1].hostPath.path agent",
        "privileged-container spec.containers[0].securityContext.privileged agent");
    assertThat(decision.violations()).allSatisfy(f -> {
      assertThat(f.action()).isEqualTo(expected);
      assertThat(f.policies()).containsExactly("baseline");
    });
  }

  @Test
  void aRuleCanOverrideThePolicyAction() {
    AdmissionPolicy policy = compile(policy("""
        action: Warn
        rules:
          hostRootMount: {action: Enforce}
          privilegedContainer: {}
          runtimeSocketMount: {action: Audit}
        """));

    assertThat(policy.rules()).containsOnly(entry(RuleId.HOST_ROOT_MOUNT, Action.ENFORCE),
        entry(RuleId.PRIVILEGED_CONTAINER, Action.WARN), entry(RuleId.RUNTIME_SOCKET_MOUNT, Action.AUDIT));
    Decision decision = evaluate(pod(), policy);
    assertThat(decision.allowed()).isFalse();
    assertThat(decision.action()).isEqualTo(Action.ENFORCE);
    assertThat(decision.violationsWith(Action.ENFORCE)).extracting(f -> f.rule())
        .containsExactly(RuleId.HOST_ROOT_MOUNT);
    assertThat(decision.violationsWith(Action.WARN)).extracting(f -> f.rule())
        .containsExactly(RuleId.PRIVILEGED_CONTAINER);
    assertThat(decision.violationsWith(Action.AUDIT)).extracting(f -> f.rule())
        .containsExactly(RuleId.RUNTIME_SOCKET_MOUNT, RuleId.RUNTIME_SOCKET_MOUNT);
  }

  @Test
  void enabledFalseTurnsARuleOff() {
    AdmissionPolicy policy = compile(policy("""
        rules:
          hostRootMount: {}
          privilegedContainer: {enabled: false, action: Enforce}
          runtimeSocketMount: {enabled: true}
        """));

    assertThat(policy.rules()).containsOnlyKeys(RuleId.HOST_ROOT_MOUNT, RuleId.RUNTIME_SOCKET_MOUNT);
    assertThat(ruleIds(evaluate(pod(), policy)))
        .containsExactlyInAnyOrder("host-root-mount", "runtime-socket-mount", "runtime-socket-mount");
  }

  @Test
  void aRuleAbsentFromAPresentRulesBlockIsOff() {
    AdmissionPolicy policy = compile(policy("""
        action: Enforce
        rules:
          privilegedContainer: {}
        """));

    assertThat(policy.rules()).containsOnly(entry(RuleId.PRIVILEGED_CONTAINER, Action.ENFORCE));
    assertThat(summary(evaluate(pod(), policy)))
        .containsExactly("privileged-container spec.containers[0].securityContext.privileged agent");
  }

  @Test
  void anEmptyRulesBlockTurnsEveryRuleOff() {
    AdmissionPolicy policy = compile(policy("rules: {}"));

    assertThat(policy.rules()).isEmpty();
    assertThat(evaluate(pod(), policy)).isEqualTo(Decision.CLEAN);
  }

  @Test
  void extraPathsAreCompiledIntoTheSocketList() {
    AdmissionPolicy policy = compile(policy("""
        rules:
          runtimeSocketMount:
            extraPaths: [/opt/rt/api.sock, /var/run/vendor//vendor.sock]
        """));

    assertThat(policy.rules()).containsOnlyKeys(RuleId.RUNTIME_SOCKET_MOUNT);
    assertThat(policy.sockets().exposure("/opt/rt/api.sock")).isPresent();
    assertThat(policy.sockets().exposure("/var/run/vendor/vendor.sock")).isPresent();
    assertThat(policy.sockets().exposure("/opt/rt")).isPresent();
  }

  // ---------------------------------------------------------------- exemptions

  @ParameterizedTest(name = "namespace {0} exempt: {1}")
  @CsvSource({"team-a, true", "ci, true", "team-b, false", "kube-system, false"})
  void namespaceExemptions(String namespace, boolean exempt) {
    AdmissionPolicy policy = compile(policy("exemptions: {namespaces: [team-a, ci]}"));

    Decision decision = evaluate(pod(namespace, "agent", "nginx"), policy);
    assertThat(decision.allowed()).isEqualTo(exempt);
    assertThat(decision.violations().isEmpty()).isEqualTo(exempt);
  }

  static Stream<Arguments> serviceAccounts() {
    String exemptions = "exemptions: {serviceAccounts: [team-a/agent, team-b/default, ops/legacy]}";
    return Stream.of(
        Arguments.of(exemptions, "team-a", "serviceAccountName: agent", true),
        Arguments.of(exemptions, "team-b", "serviceAccountName: agent", false),
        Arguments.of(exemptions, "team-a", "serviceAccountName: other", false),
        // no service account is the namespace's default one
        Arguments.of(exemptions, "team-b", "", true),
        Arguments.of(exemptions, "team-b", "serviceAccountName: ''", true),
        Arguments.of(exemptions, "team-b", "serviceAccountName: default", true),
        Arguments.of(exemptions, "team-a", "", false),
        // the deprecated field counts too
        Arguments.of(exemptions, "ops", "serviceAccount: legacy", true));
  }

  @ParameterizedTest(name = "{1} with \"{2}\" exempt: {3}")
  @MethodSource("serviceAccounts")
  void serviceAccountExemptions(String exemptions, String namespace, String accountField, boolean exempt) {
    AdmissionPolicy policy = compile(policy(exemptions));
    Workload workload = read("""
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: agent, namespace: %s}
        spec:
          template:
            spec:
              %s
              containers:
              - name: agent
                image: nginx
                securityContext: {privileged: true}
        """.formatted(namespace, accountField));

    Decision decision = evaluate(workload, policy);
    assertThat(decision.allowed()).isEqualTo(exempt);
    if (!exempt) {
      assertThat(summary(decision))
          .containsExactly("privileged-container spec.template.spec.containers[0].securityContext.privileged agent");
    }
  }

  @ParameterizedTest(name = "image {0} exempt by {1}: {2}")
  @CsvSource({
      "registry.example.com/scanner:1.2,      registry.example.com/scanner:*,  true",
      "registry.example.com/scanner:latest,   registry.example.com/scanner:*,  true",
      "registry.example.com/scanner-evil:1,   registry.example.com/scanner:*,  false",
      "evil.example.com/registry.example.com/scanner:1, registry.example.com/scanner:*, false",
      "registry.example.com/scanner@sha256:ab, registry.example.com/scanner*,  true",
      "anything/at:all,                       *,                               true",
      "nginx:1.27,                            nginx:1.27,                      true",
      "nginx:1.27.1,                          nginx:1.27,                      false",
      "docker.io/library/nginx:1.27,          nginx:*,                         false",
      "registry.example.com/a.b+c:1,          registry.example.com/a.b+c:*,    true",
      "registry.example.com/aXb:1,            registry.example.com/a.b:*,      false",
  })
  void imageExemptionsUseAGlob(String image, String pattern, boolean exempt) {
    AdmissionPolicy policy = compile(policy("exemptions: {images: ['" + pattern + "']}"));

    Decision decision = evaluate(pod("team-a", "agent", image), policy);
    assertThat(decision.allowed()).isEqualTo(exempt);
    assertThat(decision.violations().isEmpty()).isEqualTo(exempt);
  }

  @Test
  void anImageExemptsAVolumeOnlyWhenEveryMountingContainerIsExempt() {
    AdmissionPolicy policy = compile(policy("exemptions: {images: ['registry.example.com/scanner:*']}"));
    Workload workload = read("""
        apiVersion: v1
        kind: Pod
        metadata: {name: p, namespace: team-a}
        spec:
          containers:
          - name: scanner
            image: registry.example.com/scanner:1.0
            securityContext: {privileged: true}
            volumeMounts: [{name: both, mountPath: /a}, {name: mine, mountPath: /b}]
          - name: app
            image: nginx:1.27
            securityContext: {privileged: true}
            volumeMounts: [{name: both, mountPath: /a}]
          - name: scanner2
            image: registry.example.com/scanner:2.0
            volumeMounts: [{name: mine, mountPath: /b}]
          volumes:
          - name: both
            hostPath: {path: /run/containerd}
          - name: mine
            hostPath: {path: /var/run/docker.sock}
          - name: nobody
            hostPath: {path: /run/crio/crio.sock}
        """);

    Decision decision = evaluate(workload, policy);

    assertThat(decision.allowed()).isFalse();
    assertThat(summary(decision)).containsExactlyInAnyOrder(
        "privileged-container spec.containers[1].securityContext.privileged app",
        "runtime-socket-mount spec.volumes[0].hostPath.path scanner,app",
        // a volume no container mounts involves no image: nothing exempts it
        "runtime-socket-mount spec.volumes[2].hostPath.path null");
  }

  @Test
  void exemptionsAreCompiled() {
    AdmissionPolicy policy = compile(policy("""
        exemptions:
          namespaces: [monitoring]
          serviceAccounts: [daemonguard/scanner]
          images: ['ghcr.io/daemonguard/*']
        """));

    assertThat(policy.exemptNamespaces()).containsExactly("monitoring");
    assertThat(policy.exemptServiceAccounts()).containsExactly("daemonguard/scanner");
    assertThat(policy.exemptImages()).extracting(ImagePattern::glob).containsExactly("ghcr.io/daemonguard/*");
    assertThat(policy.exemptsNamespace("monitoring")).isTrue();
    assertThat(policy.exemptsNamespace(null)).isFalse();
    assertThat(policy.exemptsServiceAccount("daemonguard", "scanner")).isTrue();
    assertThat(policy.exemptsServiceAccount("daemonguard", null)).isFalse();
    assertThat(policy.exemptsImage("ghcr.io/daemonguard/scan:1")).isTrue();
    assertThat(policy.exemptsImage(null)).isFalse();
  }

  // ---------------------------------------------------------------- bad input

  static Stream<Arguments> badPolicies() {
    return Stream.of(
        Arguments.of("action: Block", "spec.admission.action", "Block"),
        Arguments.of("action: enforce", "spec.admission.action", "enforce"),
        Arguments.of("rules: {privilegedContainer: {action: Deny}}",
            "spec.admission.rules.privilegedContainer.action", "Deny"),
        Arguments.of("rules: {hostRootMount: {action: warn}}", "spec.admission.rules.hostRootMount.action", "warn"),
        Arguments.of("rules: {runtimeSocketMount: {action: Block}}",
            "spec.admission.rules.runtimeSocketMount.action", "Block"),
        Arguments.of("exemptions: {serviceAccounts: [nobody]}", "spec.admission.exemptions.serviceAccounts", "nobody"),
        Arguments.of("exemptions: {serviceAccounts: [a/b/c]}", "spec.admission.exemptions.serviceAccounts", "a/b/c"),
        Arguments.of("exemptions: {serviceAccounts: [/x]}", "spec.admission.exemptions.serviceAccounts", "/x"),
        Arguments.of("exemptions: {serviceAccounts: [ns/]}", "spec.admission.exemptions.serviceAccounts", "ns/"),
        Arguments.of("exemptions: {serviceAccounts: ['']}", "spec.admission.exemptions.serviceAccounts", "empty"),
        Arguments.of("exemptions: {images: ['']}", "spec.admission.exemptions.images", "empty"),
        Arguments.of("exemptions: {images: ['  ']}", "spec.admission.exemptions.images", "empty"),
        Arguments.of("exemptions: {namespaces: ['']}", "spec.admission.exemptions.namespaces", "empty"),
        Arguments.of("rules: {runtimeSocketMount: {extraPaths: [opt/rt.sock]}}",
            "spec.admission.rules.runtimeSocketMount.extraPaths", "opt/rt.sock"),
        Arguments.of("rules: {runtimeSocketMount: {extraPaths: ['']}}",
            "spec.admission.rules.runtimeSocketMount.extraPaths", "absolute"),
        Arguments.of("rules: {runtimeSocketMount: {extraPaths: [/]}}",
            "spec.admission.rules.runtimeSocketMount.extraPaths", "\"/\""),
        Arguments.of("rules: {runtimeSocketMount: {extraPaths: [//.]}}",
            "spec.admission.rules.runtimeSocketMount.extraPaths", "root"),
        Arguments.of("rules: {runtimeSocketMount: {extraPaths: [/var/..]}}",
            "spec.admission.rules.runtimeSocketMount.extraPaths", "root"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badPolicies")
  void badInputNamesThePolicyAndTheField(String admission, String field, String detail) {
    DaemonSecurityPolicy dsp = dsp(policy(admission));

    assertThatThrownBy(() -> PolicyCompiler.compile(dsp))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("DaemonSecurityPolicy baseline: ")
        .hasMessageContaining(field)
        .hasMessageContaining(detail);
  }

  @Test
  void aBadActionNamesTheAcceptedValues() {
    assertThatThrownBy(() -> compile(policy("action: Block")))
        .hasMessage("DaemonSecurityPolicy baseline: spec.admission.action: \"Block\" is not one of Enforce, Warn, Audit");
  }

  @Test
  void aPolicyWithoutANameIsRefused() {
    assertThatThrownBy(() -> compile("""
        apiVersion: daemonguard.io/v1alpha1
        kind: DaemonSecurityPolicy
        metadata: {labels: {a: b}}
        spec: {admission: {action: Enforce}}
        """))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("DaemonSecurityPolicy")
        .hasMessageContaining("metadata.name");
  }
}
