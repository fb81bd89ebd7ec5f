package io.daemonguard.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonguard.api.DaemonSecurityPolicy;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The README's walkthrough, step by step, with the real kubectl: what a platform team does after {@code helm install},
 * and what it must see. Each step's assertions are on what kubectl prints. The chart's {@code baseline} is put back as
 * it was at the end.
 */
@Tag("e2e")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PolicyWalkthroughE2eTest {

  private static final String PRIVILEGED = "{\"spec\":{\"containers\":[{\"name\":\"debug\",\"image\":\""
      + E2eCluster.PAUSE_IMAGE + "\",\"securityContext\":{\"privileged\":true}}]}}";
  private static final Duration PROPAGATION = Duration.ofSeconds(30);

  private E2eCluster cluster;
  private final Kubectl kubectl = new Kubectl();
  private String team;
  private String exempt;
  private List<DaemonSecurityPolicy> original;

  @BeforeAll
  void setUp() throws Exception {
    cluster = new E2eCluster();
    team = cluster.newNamespace("dg-e2e-team");
    exempt = cluster.newNamespace("dg-e2e-tools");
    original = cluster.client.resources(DaemonSecurityPolicy.class).list().getItems();
  }

  @AfterAll
  void tearDown() {
    if (cluster != null) {
      cluster.takeAwayPolicies();
      cluster.restorePolicies(original.stream().map(E2eCluster::recreatable).toList());
      cluster.deleteNamespace(team);
      cluster.deleteNamespace(exempt);
      cluster.client.close();
    }
  }

  private Kubectl.Result runPrivileged(String namespace) {
    return kubectl.run("run", "debug", "-n", namespace, "--image=" + E2eCluster.PAUSE_IMAGE, "--restart=Never",
        "--dry-run=server", "--overrides=" + PRIVILEGED);
  }

  @Test
  @Order(1)
  void installedTheOperatorRunsTwoReplicasAndExactlyOneHoldsTheLease() {
    List<Deployment> deployments = cluster.client.apps().deployments().inNamespace(cluster.namespace)
        .withLabels(cluster.operatorLabels()).list().getItems();
    assertThat(deployments).hasSize(1);
    Awaitility.await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
      List<Pod> pods = cluster.client.pods().inNamespace(cluster.namespace).withLabels(cluster.operatorLabels())
          .list().getItems().stream().filter(E2eCluster::ready).toList();
      assertThat(pods).hasSize(2);
      Lease lease = cluster.client.leases().inNamespace(cluster.namespace).withName(cluster.release + "-operator")
          .get();
      assertThat(lease).isNotNull();
      // the holder is <pod>_<per-process id>
      assertThat(pods).filteredOn(p -> lease.getSpec().getHolderIdentity().startsWith(p.getMetadata().getName() + "_"))
          .hasSize(1);
    });
  }

  @Test
  @Order(2)
  void getDspShowsTheBaselineEnforcedAndReady() {
    Awaitility.await().atMost(PROPAGATION).untilAsserted(() -> {
      Kubectl.Result get = kubectl.run("get", "dsp");
      assertThat(get.exitCode()).as(get.toString()).isZero();
      assertThat(get.out()).as(get.toString()).containsPattern("(?m)^NAME\\s+ACTION\\s+READY\\s+VIOLATIONS\\s+NON-COMPLIANT\\s+AGE\\s*$")
          .containsPattern("(?m)^baseline\\s+Enforce\\s+True\\s+(\\d+\\s+)?(\\d+\\s+)?\\S+\\s*$");
    });
    assertThat(runPrivileged(team).err()).contains("denied the request", "[privileged-container]",
        "(policy baseline)");
  }

  @Test
  @Order(3)
  void switchingOneRuleToWarnMakesKubectlRunPrintTheWarning() {
    Kubectl.Result patch = kubectl.run("patch", "dsp", "baseline", "--type=merge",
        "-p={\"spec\":{\"admission\":{\"rules\":{\"privilegedContainer\":{\"action\":\"Warn\"}}}}}");
    assertThat(patch.out()).as(patch.toString()).contains("daemonsecuritypolicy.daemonguard.io/baseline patched");

    Awaitility.await().atMost(PROPAGATION).untilAsserted(() -> {
      Kubectl.Result run = runPrivileged(team);
      assertThat(run.exitCode()).as(run.toString()).isZero();
      assertThat(run.err()).as(run.toString()).contains("Warning: daemonguard [privileged-container]",
          "container \"debug\" runs privileged");
      assertThat(run.out()).contains("pod/debug created (server dry run)");
    });
    Awaitility.await().atMost(PROPAGATION).untilAsserted(() -> {
      Kubectl.Result status = kubectl.run("get", "dsp", "baseline", "-o",
          "jsonpath={.status.observedGeneration}/{.metadata.generation}"
              + " {.status.conditions[?(@.type==\"Ready\")].message}");
      String[] generations = status.out().split(" ")[0].split("/");
      assertThat(generations[0]).as(status.toString()).isEqualTo(generations[1]);
      assertThat(status.out()).contains("privileged-container Warn");
    });
  }

  @Test
  @Order(4)
  void anExemptionApplies() {
    Kubectl.Result patch = kubectl.run("patch", "dsp", "baseline", "--type=json", "-p=["
        + "{\"op\":\"replace\",\"path\":\"/spec/admission/rules/privilegedContainer/action\",\"value\":\"Enforce\"},"
        + "{\"op\":\"add\",\"path\":\"/spec/admission/exemptions/namespaces/-\",\"value\":\"" + exempt + "\"}]");
    assertThat(patch.exitCode()).as(patch.toString()).isZero();

    Awaitility.await().atMost(PROPAGATION).untilAsserted(() -> {
      Kubectl.Result inExempt = runPrivileged(exempt);
      assertThat(inExempt.exitCode()).as(inExempt.toString()).isZero();
      assertThat(inExempt.err()).as("no warning in an exempt namespace").doesNotContain("daemonguard");
      Kubectl.Result inTeam = runPrivileged(team);
      assertThat(inTeam.exitCode()).as(inTeam.toString()).isEqualTo(1);
      assertThat(inTeam.err()).contains("[privileged-container]", "(policy baseline)");
    });
  }

  @Test
  @Order(5)
  void aBrokenPolicyIsRefusedWithTheFieldAndWhatIsWrong() {
    Kubectl.Result apply = kubectl.runWithInput("""
        apiVersion: daemonguard.io/v1alpha1
        kind: DaemonSecurityPolicy
        metadata: {name: dg-e2e-broken}
        spec:
          admission:
            rules:
              runtimeSocketMount: {extraPaths: [run/podman/podman.sock]}
        """, "apply", "-f", "-");
    assertThat(apply.exitCode()).as(apply.toString()).isEqualTo(1);
    assertThat(apply.err()).contains("denied the request", "[invalid-policy]",
        "spec.admission.rules.runtimeSocketMount.extraPaths", "\"run/podman/podman.sock\" is not an absolute path");
    assertThat(cluster.client.resources(DaemonSecurityPolicy.class).withName("dg-e2e-broken").get()).isNull();

    Kubectl.Result schema = kubectl.runWithInput("""
        apiVersion: daemonguard.io/v1alpha1
        kind: DaemonSecurityPolicy
        metadata: {name: dg-e2e-broken}
        spec: {admission: {action: Block}}
        """, "apply", "-f", "-");
    assertThat(schema.exitCode()).as(schema.toString()).isEqualTo(1);
    assertThat(schema.err()).contains("spec.admission.action", "Unsupported value: \"Block\"");
  }

  @Test
  @Order(6)
  void describeTellsTheStory() {
    Kubectl.Result describe = kubectl.run("describe", "dsp", "baseline");
    assertThat(describe.exitCode()).as(describe.toString()).isZero();
    assertThat(describe.out()).as(describe.toString())
        .containsPattern("Observed Generation:\\s+\\d+")
        .containsPattern("Reason:\\s+Valid")
        .containsPattern("Status:\\s+True")
        .containsPattern("Type:\\s+Ready")
        .containsPattern("Normal\\s+PolicyReady\\s+.*daemonguard-operator\\s+Generation \\d+: In force:");
  }

  @Test
  @Order(7)
  void withEveryPolicyDeletedTheSecureDefaultHolds() {
    Kubectl.Result delete = kubectl.run("delete", "dsp", "--all");
    assertThat(delete.exitCode()).as(delete.toString()).isZero();
    assertThat(delete.out()).contains("daemonsecuritypolicy.daemonguard.io \"baseline\" deleted");

    Awaitility.await().atMost(PROPAGATION).untilAsserted(() -> {
      Kubectl.Result run = runPrivileged(exempt);
      assertThat(run.exitCode()).as("the exemption went with the policy: " + run).isEqualTo(1);
      assertThat(run.err()).contains("[privileged-container]", "(policy daemonguard-default)");
    });
    assertThat(runPrivileged(team).err()).contains("(policy daemonguard-default)");
  }
}
