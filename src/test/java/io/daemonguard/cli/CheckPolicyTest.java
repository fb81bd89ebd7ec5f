package io.daemonguard.cli;

import static io.daemonguard.cli.CheckRun.check;
import static io.daemonguard.cli.CheckRun.fixture;
import static io.daemonguard.cli.CheckRun.violations;
import static io.daemonguard.cli.CheckRun.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --policy FILE}: replaces the default policy; Warn admits; several policies merge; a bad file is exit 2. */
class CheckPolicyTest {

  @TempDir Path dir;

  private static String policy(String name) {
    return fixture("policies/" + name).toString();
  }

  @Test
  void warnPolicyAdmitsAPrivilegedPodWithAWarning() {
    Path file = fixture("privileged-pod.yaml");
    CheckRun run = check("--policy", policy("warn-all.yaml"), file.toString());
    assertThat(run.exitCode()).as("warned, not denied: %s", run).isEqualTo(0);
    java.util.List<String> lines = run.out().lines().toList();
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0)).isEqualTo("WARN  " + file + ": Pod default/debug");
    assertThat(lines.get(2)).isEqualTo("1 object checked: 0 denied, 1 warned, 1 allowed");
    assertThat(lines.get(1))
        .contains("warn [privileged-container] spec.containers[1].securityContext.privileged: ")
        .contains("(policy warn-all)");
  }

  @Test
  void warnPolicyInJson() {
    CheckRun run = check("-o", "json", "--policy", policy("warn-all.yaml"), fixture("root-deployment.yaml").toString());
    assertThat(run.exitCode()).as("%s", run).isEqualTo(0);
    JsonNode deployment = run.object("rooted");
    assertThat(deployment.path("allowed").booleanValue()).isTrue();
    assertThat(violations(deployment)).containsExactly(
        "host-root-mount spec.template.spec.volumes[0].hostPath.path agent",
        "runtime-socket-mount spec.template.spec.volumes[0].hostPath.path agent");
    for (JsonNode violation : deployment.path("violations")) {
      assertThat(violation.path("action").textValue()).isEqualTo("Warn");
      assertThat(violation.path("policies")).hasSize(1);
      assertThat(violation.path("policies").get(0).textValue()).isEqualTo("warn-all");
    }
  }

  @Test
  void warnAndEnforcePoliciesTogetherDenyAndNameBoth() {
    CheckRun run = check("-o", "json", "--policy", policy("warn-all.yaml"), "--policy", policy("enforce-privileged.yaml"),
        fixture("privileged-pod.yaml").toString());
    assertThat(run.exitCode()).as("%s", run).isEqualTo(1);
    JsonNode pod = run.object("debug");
    assertThat(pod.path("allowed").booleanValue()).isFalse();
    assertThat(pod.path("violations")).hasSize(1);
    JsonNode violation = pod.path("violations").get(0);
    assertThat(violation.path("rule").textValue()).isEqualTo("privileged-container");
    assertThat(violation.path("action").textValue()).isEqualTo("Enforce");
    assertThat(violation.path("policies").toString()).isEqualTo("[\"warn-all\",\"enforce-privileged\"]");
  }

  @Test
  void strictestActionPerViolationWhenPoliciesOverlapPartly() {
    CheckRun run = check("-o", "json", "--policy", policy("enforce-privileged.yaml"), "--policy", policy("warn-all.yaml"),
        fixture("root-deployment.yaml").toString());
    assertThat(run.exitCode()).as("enforce-privileged has nothing to say about a hostPath: %s", run).isEqualTo(0);
    JsonNode deployment = run.object("rooted");
    assertThat(deployment.path("allowed").booleanValue()).isTrue();
    for (JsonNode violation : deployment.path("violations")) {
      assertThat(violation.path("policies").toString()).isEqualTo("[\"warn-all\"]");
    }
  }

  @Test
  void policyReplacesTheDefaultIncludingItsKubeSystemExemption() {
    CheckRun run = check("-o", "json", "--policy", policy("enforce-privileged.yaml"),
        fixture("kube-system-pod.yaml").toString());
    assertThat(run.exitCode()).as("%s", run).isEqualTo(1);
    assertThat(violations(run.object("node-agent")))
        .containsExactly("privileged-container spec.containers[0].securityContext.privileged agent");
  }

  @Test
  void policyExemptNamespaceIsHonoured() {
    Path exempt = write(dir.resolve("exempt.yaml"), """
        apiVersion: daemonguard.io/v1alpha1
        kind: DaemonSecurityPolicy
        metadata: {name: exempt-default}
        spec:
          admission:
            exemptions:
              namespaces: [default]
        """);
    CheckRun run = check("--policy", exempt.toString(), fixture("privileged-pod.yaml").toString(),
        fixture("root-deployment.yaml").toString());
    assertThat(run.exitCode()).as("%s", run).isEqualTo(1);
    assertThat(run.out()).contains("PASS  " + fixture("privileged-pod.yaml") + ": Pod default/debug")
        .contains("DENY  " + fixture("root-deployment.yaml") + ": Deployment prod/rooted");
  }

  @Test
  void typoInAPolicyFieldIsExitTwoNamingTheField() {
    String typo = policy("typo.yaml");
    CheckRun run = check("--policy", typo, fixture("privileged-pod.yaml").toString());
    assertThat(run.exitCode()).as("%s", run).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.errLines()).singleElement().satisfies(line -> assertThat(line)
        .startsWith("daemonguard check: " + typo + ": document 1: ")
        .contains("\"hostRootMont\""));
  }

  @Test
  void badActionIsExitTwoNamingTheFieldAndValue() {
    String bad = policy("bad-action.yaml");
    CheckRun run = check("--policy", bad, fixture("clean-pod.yaml").toString());
    assertThat(run.exitCode()).as("%s", run).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.errLines()).singleElement().satisfies(line -> assertThat(line)
        .startsWith("daemonguard check: " + bad + ": document 1: ")
        .contains("spec.admission.action")
        .contains("\"Block\""));
  }

  @Test
  void badRuleActionIsExitTwoNamingTheRuleField() {
    Path file = write(dir.resolve("rule-action.yaml"), """
        apiVersion: daemonguard.io/v1alpha1
        kind: DaemonSecurityPolicy
        metadata: {name: rule-action}
        spec:
          admission:
            rules:
              runtimeSocketMount: {action: warn}
        """);
    CheckRun run = check("--policy", file.toString(), fixture("clean-pod.yaml").toString());
    assertThat(run.exitCode()).as("%s", run).isEqualTo(2);
    assertThat(run.err()).contains(file.toString()).contains("spec.admission.rules.runtimeSocketMount.action")
        .contains("\"warn\"");
  }

  @Test
  void policyFileOfTheWrongKindIsExitTwo() {
    String wrong = policy("wrong-kind.yaml");
    CheckRun run = check("--policy", wrong, fixture("clean-pod.yaml").toString());
    assertThat(run.exitCode()).as("%s", run).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.errLines()).containsExactly(
        "daemonguard check: " + wrong + ": document 1: kind ConfigMap is not DaemonSecurityPolicy");
  }

  @Test
  void policyFileWithTheWrongApiVersionIsExitTwo() {
    Path file = write(dir.resolve("v1.yaml"), """
        apiVersion: daemonguard.io/v1
        kind: DaemonSecurityPolicy
        metadata: {name: v1}
        """);
    CheckRun run = check("--policy", file.toString(), fixture("clean-pod.yaml").toString());
    assertThat(run.exitCode()).as("%s", run).isEqualTo(2);
    assertThat(run.err()).contains(file + ": document 1: apiVersion \"daemonguard.io/v1\"");
  }

  @Test
  void missingPolicyFileIsExitTwoNamingIt() {
    Path missing = dir.resolve("no-policy.yaml");
    CheckRun run = check("--policy", missing.toString(), fixture("clean-pod.yaml").toString());
    assertThat(run.exitCode()).as("%s", run).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains(missing.toString());
  }

  @Test
  void twoPoliciesWithTheSameNameAreExitTwo() {
    CheckRun run = check("--policy", policy("warn-all.yaml"), "--policy", policy("warn-all.yaml"),
        fixture("clean-pod.yaml").toString());
    assertThat(run.exitCode()).as("%s", run).isEqualTo(2);
    assertThat(run.err()).contains("a second policy named warn-all");
  }

  @Test
  void policyWithoutNameIsExitTwo() {
    Path file = write(dir.resolve("anonymous.yaml"), """
        apiVersion: daemonguard.io/v1alpha1
        kind: DaemonSecurityPolicy
        spec: {admission: {action: Warn}}
        """);
    CheckRun run = check("--policy", file.toString(), fixture("clean-pod.yaml").toString());
    assertThat(run.exitCode()).as("%s", run).isEqualTo(2);
    assertThat(run.err()).contains(file.toString()).contains("metadata.name");
  }

  @Test
  void policyFileWithoutAnyPolicyIsAnErrorNotAFailOpen() {
    String empty = policy("empty.yaml");
    CheckRun run = check("--policy", empty, fixture("privileged-pod.yaml").toString());
    assertThat(run.exitCode()).as("%s", run).isEqualTo(2);
    assertThat(run.err()).contains(empty);
  }
}
