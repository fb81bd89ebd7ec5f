package io.daemonguard.admission;

import static io.daemonguard.admission.Fixtures.DEFAULT;
import static io.daemonguard.admission.Fixtures.compile;
import static io.daemonguard.admission.Fixtures.evaluate;
import static io.daemonguard.admission.Fixtures.read;
import static io.daemonguard.admission.Fixtures.summary;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AdmissionEngineTest {

  /** hostPath "/", the docker socket, two privileged containers; the sockets mounted by zero, one and two containers. */
  private static final String EVERYTHING = """
      apiVersion: v1
      kind: Pod
      metadata:
        name: node-agent
        namespace: %s
      spec:
        containers:
        - name: a
          image: registry.example.com/agent:1.0
          securityContext: {privileged: true}
          volumeMounts:
          - {name: root, mountPath: /host}
          - {name: docker, mountPath: /var/run/docker.sock}
        - name: b
          image: registry.example.com/helper:2.1
          securityContext: {privileged: true}
          volumeMounts:
          - {name: docker, mountPath: /var/run/docker.sock}
          - {name: scratch, mountPath: /scratch}
        - name: c
          image: nginx:1.27
        volumes:
        - name: root
          hostPath: {path: /}
        - name: docker
          hostPath: {path: /var/run/docker.sock, type: Socket}
        - name: scratch
          emptyDir: {}
        - name: unused
          hostPath: {path: /run/containerd/containerd.sock}
      """;

  private static Workload everything(String namespace) {
    return read(EVERYTHING.formatted(namespace));
  }

  private static final List<String> ALL_VIOLATIONS = List.of(
      "host-root-mount spec.volumes[0].hostPath.path a",
      "privileged-container spec.containers[0].securityContext.privileged a",
      "privileged-container spec.containers[1].securityContext.privileged b",
      "runtime-socket-mount spec.volumes[0].hostPath.path a",
      "runtime-socket-mount spec.volumes[1].hostPath.path a,b",
      "runtime-socket-mount spec.volumes[3].hostPath.path null");

  @Test
  void aDecisionListsEveryViolation() {
    Decision decision = evaluate(everything("team-a"), DEFAULT);

    assertThat(decision.allowed()).isFalse();
    assertThat(decision.action()).isEqualTo(Action.ENFORCE);
    assertThat(summary(decision)).containsExactlyInAnyOrderElementsOf(ALL_VIOLATIONS);
    assertThat(decision.violations()).allSatisfy(f -> {
      assertThat(f.action()).isEqualTo(Action.ENFORCE);
      assertThat(f.policies()).containsExactly(AdmissionPolicy.DEFAULT_NAME);
    });
    assertThat(decision.violationsWith(Action.ENFORCE)).hasSize(6);
    assertThat(decision.violationsWith(Action.WARN)).isEmpty();
  }

  @Test
  void theContainerFieldNamesWhoMountsTheVolume() {
    Decision decision = evaluate(everything("team-a"), DEFAULT);

    assertThat(decision.violations())
        .filteredOn(f -> f.path().equals("spec.volumes[1].hostPath.path"))
        .singleElement()
        .satisfies(f -> assertThat(f.containers()).containsExactly("a", "b"));
    assertThat(decision.violations())
        .filteredOn(f -> f.path().equals("spec.volumes[3].hostPath.path"))
        .singleElement()
        .satisfies(f -> assertThat(f.containers()).isEmpty());
  }

  @Test
  void aVolumeMountedByAnInitContainerNamesIt() {
    Decision decision = evaluate(read("""
        apiVersion: v1
        kind: Pod
        metadata: {name: p, namespace: team-a}
        spec:
          initContainers:
          - name: copy
            image: busybox
            volumeMounts: [{name: run, mountPath: /host-run}]
          containers:
          - name: app
            image: nginx
            volumeMounts: [{name: run, mountPath: /host-run}]
          volumes:
          - name: run
            hostPath: {path: /var/run}
        """), DEFAULT);

    assertThat(summary(decision)).containsExactly("runtime-socket-mount spec.volumes[0].hostPath.path app,copy");
  }

  @Test
  void aCleanWorkloadIsAllowedWithoutFindings() {
    Decision decision = evaluate(read("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: team-a}
        spec:
          template:
            spec:
              containers:
              - name: web
                image: nginx
                securityContext: {privileged: false, runAsNonRoot: true}
                volumeMounts: [{name: logs, mountPath: /logs}]
              volumes:
              - name: logs
                hostPath: {path: /var/log/web}
        """), DEFAULT);

    assertThat(decision).isEqualTo(Decision.CLEAN);
    assertThat(decision.allowed()).isTrue();
    assertThat(decision.action()).isNull();
    assertThat(decision.violations()).isEmpty();
  }

  @Test
  void noPoliciesMeansNothingToObject() {
    assertThat(AdmissionEngine.evaluate(everything("team-a"), List.of())).isEqualTo(Decision.CLEAN);
  }

  // ---------------------------------------------------------------- the default policy

  @ParameterizedTest(name = "default policy, own namespace {0}: {1} exempt = {2}")
  @CsvSource(nullValues = "null", value = {
      "null,        kube-system,  true",
      "null,        team-a,       false",
      "null,        default,      false",
      "null,        daemonguard,  false",
      "daemonguard, daemonguard,  true",
      "daemonguard, kube-system,  true",
      "daemonguard, team-a,       false",
      "daemonguard, kube-public,  false",
      "'',          team-a,       false",
  })
  void defaultPolicyExemptsKubeSystemAndItsOwnNamespace(String own, String namespace, boolean exempt) {
    Decision decision = evaluate(everything(namespace), AdmissionPolicy.defaultPolicy(own, Set.of()));

    if (exempt) {
      assertThat(decision).isEqualTo(Decision.CLEAN);
    } else {
      assertThat(decision.allowed()).isFalse();
      assertThat(summary(decision)).containsExactlyInAnyOrderElementsOf(ALL_VIOLATIONS);
    }
  }

  @Test
  void defaultPolicyEnforcesTheThreeMissionRules() {
    AdmissionPolicy policy = AdmissionPolicy.defaultPolicy("daemonguard", Set.of("monitoring"));

    assertThat(policy.name()).isEqualTo("daemonguard-default");
    assertThat(policy.rules()).containsOnly(
        org.assertj.core.api.Assertions.entry(RuleId.HOST_ROOT_MOUNT, Action.ENFORCE),
        org.assertj.core.api.Assertions.entry(RuleId.PRIVILEGED_CONTAINER, Action.ENFORCE),
        org.assertj.core.api.Assertions.entry(RuleId.RUNTIME_SOCKET_MOUNT, Action.ENFORCE));
    assertThat(policy.exemptNamespaces()).containsExactlyInAnyOrder("kube-system", "daemonguard", "monitoring");
    assertThat(policy.exemptServiceAccounts()).isEmpty();
    assertThat(policy.exemptImages()).isEmpty();
  }

  @ParameterizedTest(name = "extra exempt namespaces: {0}")
  @ValueSource(strings = {"monitoring", "ci"})
  void defaultPolicyTakesExtraExemptNamespaces(String namespace) {
    AdmissionPolicy policy = AdmissionPolicy.defaultPolicy(null, Set.of("monitoring", "ci"));

    assertThat(evaluate(everything(namespace), policy)).isEqualTo(Decision.CLEAN);
    assertThat(evaluate(everything("kube-system"), policy)).isEqualTo(Decision.CLEAN);
    assertThat(evaluate(everything("team-a"), policy).allowed()).isFalse();
  }

  // ---------------------------------------------------------------- several policies

  private static String policy(String name, String action) {
    return """
        apiVersion: daemonguard.io/v1alpha1
        kind: DaemonSecurityPolicy
        metadata: {name: %s}
        spec:
          admission:
            action: %s
        """.formatted(name, action);
  }

  private static final String PRIVILEGED_ONLY = """
      apiVersion: v1
      kind: Pod
      metadata: {name: p, namespace: team-a}
      spec:
        containers:
        - name: app
          image: nginx
          securityContext: {privileged: true}
      """;

  @Test
  void strictestActionWinsAndEveryObjectingPolicyIsNamed() {
    Decision decision = evaluate(read(PRIVILEGED_ONLY), compile(policy("soft", "Warn")), compile(policy("hard", "Enforce")));

    assertThat(decision.allowed()).isFalse();
    assertThat(decision.action()).isEqualTo(Action.ENFORCE);
    assertThat(decision.violations()).singleElement().satisfies(f -> {
      assertThat(f.action()).isEqualTo(Action.ENFORCE);
      assertThat(f.policies()).containsExactly("soft", "hard");
      assertThat(f.path()).isEqualTo("spec.containers[0].securityContext.privileged");
    });
  }

  @Test
  void strictestActionWinsWhateverTheOrder() {
    Decision decision = evaluate(read(PRIVILEGED_ONLY), compile(policy("hard", "Enforce")), compile(policy("soft", "Warn")),
        compile(policy("quiet", "Audit")));

    assertThat(decision.allowed()).isFalse();
    assertThat(decision.violations()).singleElement().satisfies(f -> {
      assertThat(f.action()).isEqualTo(Action.ENFORCE);
      assertThat(f.policies()).containsExactly("hard", "soft", "quiet");
    });
  }

  @ParameterizedTest(name = "{0} + {1} -> {2}, allowed {3}")
  @CsvSource({
      "Warn,    Audit,   WARN,    true",
      "Audit,   Audit,   AUDIT,   true",
      "Audit,   Warn,    WARN,    true",
      "Warn,    Warn,    WARN,    true",
      "Audit,   Enforce, ENFORCE, false",
      "Enforce, Warn,    ENFORCE, false",
  })
  void onlyEnforceDenies(String first, String second, Action expected, boolean allowed) {
    Decision decision = evaluate(everything("team-a"), compile(policy("p1", first)), compile(policy("p2", second)));

    assertThat(decision.allowed()).isEqualTo(allowed);
    assertThat(decision.action()).isEqualTo(expected);
    assertThat(summary(decision)).containsExactlyInAnyOrderElementsOf(ALL_VIOLATIONS);
    assertThat(decision.violations()).allSatisfy(f -> {
      assertThat(f.action()).isEqualTo(expected);
      assertThat(f.policies()).containsExactly("p1", "p2");
    });
  }

  @Test
  void theSamePolicyTwiceIsNamedOnce() {
    AdmissionPolicy hard = compile(policy("hard", "Enforce"));
    Decision decision = evaluate(read(PRIVILEGED_ONLY), hard, hard);
    assertThat(decision.violations()).singleElement().satisfies(f -> assertThat(f.policies()).containsExactly("hard"));
  }

  @Test
  void aPolicyThatExemptsTheNamespaceIsNotNamed() {
    AdmissionPolicy lenient = compile("""
        apiVersion: daemonguard.io/v1alpha1
        kind: DaemonSecurityPolicy
        metadata: {name: lenient}
        spec:
          admission:
            action: Enforce
            exemptions: {namespaces: [team-a]}
        """);
    Decision decision = evaluate(read(PRIVILEGED_ONLY), lenient, compile(policy("soft", "Warn")));

    assertThat(decision.allowed()).isTrue();
    assertThat(decision.action()).isEqualTo(Action.WARN);
    assertThat(decision.violations()).singleElement().satisfies(f -> assertThat(f.policies()).containsExactly("soft"));
  }

  @Test
  void eachFindingCarriesItsOwnStrictestAction() {
    AdmissionPolicy rootOnly = compile("""
        apiVersion: daemonguard.io/v1alpha1
        kind: DaemonSecurityPolicy
        metadata: {name: root-only}
        spec:
          admission:
            action: Enforce
            rules: {hostRootMount: {}}
        """);
    AdmissionPolicy warnAll = compile(policy("warn-all", "Warn"));

    Decision decision = evaluate(everything("team-a"), rootOnly, warnAll);

    assertThat(decision.allowed()).isFalse();
    assertThat(decision.action()).isEqualTo(Action.ENFORCE);
    assertThat(decision.violationsWith(Action.ENFORCE)).singleElement().satisfies(f -> {
      assertThat(f.rule()).isEqualTo(RuleId.HOST_ROOT_MOUNT);
      assertThat(f.policies()).containsExactly("root-only", "warn-all");
    });
    assertThat(decision.violationsWith(Action.WARN)).hasSize(5)
        .allSatisfy(f -> assertThat(f.policies()).containsExactly("warn-all"));
  }

  // ---------------------------------------------------------------- robustness

  @Test
  void aContainerWithoutANameDoesNotCrashTheEngine() {
    Workload workload;
    try {
      workload = read("""
          apiVersion: v1
          kind: Pod
          metadata: {name: p, namespace: team-a}
          spec:
            containers:
            - image: nginx
              volumeMounts: [{name: root, mountPath: /host}]
            volumes:
            - name: root
              hostPath: {path: /}
          """);
    } catch (InvalidObjectException refused) {
      assertThat(refused).hasMessageContaining("spec.containers[0].name");
      return;
    }
    Decision decision = evaluate(workload, DEFAULT);
    assertThat(decision.allowed()).isFalse();
    assertThat(Fixtures.rulesAndPaths(decision)).contains("host-root-mount spec.volumes[0].hostPath.path");
  }
}
