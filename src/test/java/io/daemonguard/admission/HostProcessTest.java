package io.daemonguard.admission;

import static io.daemonguard.admission.Fixtures.evaluateDefault;
import static io.daemonguard.admission.Fixtures.read;
import static io.daemonguard.admission.Fixtures.summary;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code windowsOptions.hostProcess: true}, the Windows form of privileged, is a {@code privileged-container}. */
class HostProcessTest {

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"containers", "initContainers", "ephemeralContainers"})
  void containerLevelHostProcessIsDenied(String list) {
    Decision decision = evaluateDefault("""
        kind: Pod
        metadata: {name: w, namespace: team-a}
        spec:
          hostNetwork: true
          %s:
          - name: agent
            image: mcr.microsoft.com/oss/kubernetes/windows-host-process-containers-base-image:v1.0.0
            securityContext: {windowsOptions: {hostProcess: true, runAsUserName: "NT AUTHORITY\\\\SYSTEM"}}
        """.formatted(list));

    assertThat(decision.allowed()).isFalse();
    assertThat(summary(decision)).containsExactly(
        "privileged-container spec." + list + "[0].securityContext.windowsOptions.hostProcess agent");
    String message = decision.violations().get(0).message();
    assertThat(message).contains("container \"agent\"", "hostProcess").doesNotContain("privileged");
  }

  @Test
  void podLevelHostProcessIsOneViolationNamingEveryContainer() {
    Decision decision = evaluateDefault("""
        kind: Deployment
        metadata: {name: w, namespace: team-a}
        spec:
          template:
            spec:
              securityContext: {windowsOptions: {hostProcess: true}}
              hostNetwork: true
              initContainers: [{name: init, image: a}]
              containers: [{name: one, image: a}, {name: two, image: a}]
        """);

    assertThat(summary(decision)).containsExactly(
        "privileged-container spec.template.spec.securityContext.windowsOptions.hostProcess one,two,init");
    assertThat(decision.violations().get(0).message())
        .startsWith("containers \"one\", \"two\", \"init\" run as a Windows hostProcess");
  }

  @Test
  void aContainerThatSetsItItselfIsReportedAtItsOwnField() {
    Decision decision = evaluateDefault("""
        kind: Pod
        metadata: {name: w, namespace: team-a}
        spec:
          securityContext: {windowsOptions: {hostProcess: true}}
          containers:
          - {name: one, image: a, securityContext: {windowsOptions: {hostProcess: true}}}
          - {name: two, image: a, securityContext: {privileged: true}}
        """);

    assertThat(summary(decision)).containsExactly(
        "privileged-container spec.containers[1].securityContext.privileged two",
        "privileged-container spec.containers[0].securityContext.windowsOptions.hostProcess one",
        "privileged-container spec.securityContext.windowsOptions.hostProcess two");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "securityContext: {windowsOptions: {hostProcess: false}}",
      "securityContext: {windowsOptions: {runAsUserName: ContainerUser}}",
      "securityContext: {windowsOptions: {hostProcess: null}}",
      "securityContext: {windowsOptions: null}",
      "securityContext: {windowsOptions: {gmsaCredentialSpecName: gmsa}}"})
  void windowsOptionsWithoutHostProcessPass(String securityContext) {
    assertThat(evaluateDefault("""
        kind: Pod
        metadata: {name: w, namespace: team-a}
        spec:
          %s
          containers: [{name: app, image: a, %s}]
        """.formatted(securityContext, securityContext))).isEqualTo(Decision.CLEAN);
  }

  @Test
  void aHostProcessThatIsNotABooleanIsRefused() {
    assertThatThrownBy(() -> read("""
        kind: Pod
        metadata: {name: w}
        spec:
          securityContext: {windowsOptions: {hostProcess: "true"}}
          containers: [{name: app, image: a}]
        """))
        .isInstanceOf(InvalidObjectException.class)
        .hasMessage("spec.securityContext.windowsOptions.hostProcess: expected a boolean");
  }
}
