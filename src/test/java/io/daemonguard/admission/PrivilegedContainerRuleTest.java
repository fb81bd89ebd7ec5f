package io.daemonguard.admission;

import static io.daemonguard.admission.Fixtures.evaluateDefault;
import static io.daemonguard.admission.Fixtures.summary;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PrivilegedContainerRuleTest {

  private static String pod(String list, String securityContext) {
    return """
        apiVersion: v1
        kind: Pod
        metadata: {name: web, namespace: team-a}
        spec:
          %s:
          - name: box
            image: busybox:1.36
            %s
        """.formatted(list, securityContext);
  }

  @ParameterizedTest(name = "{0} with privileged: true")
  @CsvSource({"containers", "initContainers", "ephemeralContainers"})
  void privilegedIsDeniedInEveryContainerList(String list) {
    Decision decision = evaluateDefault(pod(list, "securityContext: {privileged: true}"));

    assertThat(decision.allowed()).isFalse();
    assertThat(summary(decision))
        .containsExactly("privileged-container spec." + list + "[0].securityContext.privileged box");
    assertThat(decision.violations().get(0).message()).contains("container \"box\"", "privileged");
  }

  @ParameterizedTest(name = "{0} with {1}")
  @CsvSource(delimiter = '|', value = {
      "containers      | securityContext: {privileged: false}",
      "containers      | securityContext: {runAsNonRoot: true}",
      "containers      | securityContext: {privileged: null}",
      "containers      | securityContext: null",
      "containers      | securityContext: {}",
      "containers      | 'resources: {}'",
      "initContainers  | securityContext: {privileged: false}",
      "initContainers  | securityContext: {allowPrivilegeEscalation: true}",
      "ephemeralContainers | securityContext: {privileged: false}",
      "ephemeralContainers | targetContainerName: app",
  })
  void notPrivilegedPasses(String list, String securityContext) {
    assertThat(evaluateDefault(pod(list, securityContext))).isEqualTo(Decision.CLEAN);
  }

  @Test
  void podLevelSecurityContextIsNotAContainer() {
    assertThat(evaluateDefault("""
        apiVersion: v1
        kind: Pod
        metadata: {name: web, namespace: team-a}
        spec:
          securityContext: {runAsUser: 0, fsGroup: 0}
          containers:
          - name: app
            image: nginx
        """)).isEqualTo(Decision.CLEAN);
  }

  @Test
  void everyPrivilegedContainerIsReportedAtItsOwnPath() {
    Decision decision = evaluateDefault("""
        apiVersion: v1
        kind: Pod
        metadata: {name: web, namespace: team-a}
        spec:
          initContainers:
          - name: init-ok
            image: busybox
          - name: init-priv
            image: busybox
            securityContext: {privileged: true}
          containers:
          - name: app
            image: nginx
            securityContext: {privileged: false}
          - name: agent
            image: agent:1
            securityContext: {privileged: true}
          - name: web
            image: nginx
          - name: tool
            image: tool:2
            securityContext: {privileged: true, runAsUser: 0}
          ephemeralContainers:
          - name: debugger
            image: busybox
            targetContainerName: app
            securityContext: {privileged: true}
        """);

    assertThat(decision.allowed()).isFalse();
    assertThat(summary(decision)).containsExactlyInAnyOrder(
        "privileged-container spec.containers[1].securityContext.privileged agent",
        "privileged-container spec.containers[3].securityContext.privileged tool",
        "privileged-container spec.initContainers[1].securityContext.privileged init-priv",
        "privileged-container spec.ephemeralContainers[0].securityContext.privileged debugger");
    assertThat(decision.violations()).allSatisfy(f -> {
      assertThat(f.action()).isEqualTo(Action.ENFORCE);
      assertThat(f.message()).contains("\"" + f.containers().get(0) + "\"");
    });
  }
}
