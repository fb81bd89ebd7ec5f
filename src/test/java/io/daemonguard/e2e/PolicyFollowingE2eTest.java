package io.daemonguard.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonguard.api.AdmissionRules;
import io.daemonguard.api.AdmissionSpec;
import io.daemonguard.api.DaemonSecurityPolicy;
import io.daemonguard.api.DaemonSecurityPolicySpec;
import io.daemonguard.api.Exemptions;
import io.daemonguard.api.RuleSettings;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The webhook follows the cluster's DaemonSecurityPolicies: a policy applied, changed or deleted takes effect within
 * seconds on the replicas behind the Service, with no API call per admission request. Prints how long that took.
 */
@Tag("e2e")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PolicyFollowingE2eTest {

  private static final String POLICY = "dg-e2e-follow";
  /** Answers in a row under the new policy before it counts as in force: both replicas, with high probability. */
  private static final int IN_A_ROW = 10;

  private E2eCluster cluster;
  private String ns;
  /** The chart's baseline (Enforce) would outvote this test's Warn policy: it is taken away and put back. */
  private List<DaemonSecurityPolicy> taken = List.of();

  @BeforeAll
  void setUp() throws Exception {
    cluster = new E2eCluster();
    ns = cluster.newNamespace("dg-e2e-follow");
    taken = cluster.takeAwayPolicies();
  }

  @AfterAll
  void tearDown() {
    if (cluster != null) {
      cluster.client.resources(DaemonSecurityPolicy.class).withName(POLICY).delete();
      cluster.restorePolicies(taken);
      cluster.deleteNamespace(ns);
      cluster.client.close();
    }
  }

  private static DaemonSecurityPolicy policy(String privilegedAction) {
    DaemonSecurityPolicy policy = new DaemonSecurityPolicy();
    policy.setMetadata(new ObjectMetaBuilder().withName(POLICY).addToLabels("daemonguard.io/e2e", "true").build());
    RuleSettings privileged = new RuleSettings();
    privileged.setAction(privilegedAction);
    AdmissionRules rules = new AdmissionRules();
    rules.setPrivilegedContainer(privileged);
    Exemptions exemptions = new Exemptions();
    exemptions.setNamespaces(List.of("kube-system", System.getProperty("e2e.namespace", "daemonguard-system")));
    AdmissionSpec admission = new AdmissionSpec();
    admission.setRules(rules);
    admission.setExemptions(exemptions);
    DaemonSecurityPolicySpec spec = new DaemonSecurityPolicySpec();
    spec.setAdmission(admission);
    policy.setSpec(spec);
    return policy;
  }

  /** A privileged pod, dry-run: the apiserver calls the webhook (sideEffects None) and stores nothing. */
  private String tryPrivilegedPod() {
    Pod pod = new PodBuilder().withNewMetadata().withName("p-" + UUID.randomUUID().toString().substring(0, 8))
        .endMetadata().withNewSpec().addToContainers(new ContainerBuilder().withName("app")
            .withImage(E2eCluster.PAUSE_IMAGE).withNewSecurityContext().withPrivileged(true).endSecurityContext()
            .build()).endSpec().build();
    try {
      cluster.client.pods().inNamespace(ns).resource(pod).dryRun().create();
      return "admitted";
    } catch (KubernetesClientException e) {
      assertThat(e.getMessage()).contains("daemonguard:", "[privileged-container]");
      return e.getMessage().contains("(policy " + POLICY + ")") ? "refused by " + POLICY : "refused by default";
    }
  }

  /** Milliseconds from now until {@link #IN_A_ROW} answers in a row are {@code expected}; fails after 60 s. */
  private long millisUntil(String expected) throws InterruptedException {
    long start = System.nanoTime();
    int row = 0;
    long firstOfRow = 0;
    while (System.nanoTime() - start < 60_000_000_000L) {
      long at = System.nanoTime();
      if (tryPrivilegedPod().equals(expected)) {
        if (row++ == 0) {
          firstOfRow = at;
        }
        if (row == IN_A_ROW) {
          return (firstOfRow - start) / 1_000_000;
        }
      } else {
        row = 0;
        Thread.sleep(50);
      }
    }
    throw new AssertionError("no " + IN_A_ROW + " answers in a row were \"" + expected + "\" within 60 s");
  }

  /**
   * A merge patch of the spec, with no resourceVersion: the operator writes the status meanwhile, which an update or
   * fabric8's edit (both guarded by the resourceVersion read) would conflict with.
   */
  private void change(DaemonSecurityPolicy wanted) {
    cluster.client.resources(DaemonSecurityPolicy.class).withName(POLICY).patch(
        io.fabric8.kubernetes.client.dsl.base.PatchContext.of(io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
        cluster.client.getKubernetesSerialization().asJson(java.util.Map.of("spec", wanted.getSpec())));
  }

  @Test
  void aPolicyAppliedChangedAndDeletedTakesEffectWithinSeconds() throws Exception {
    var policies = cluster.client.resources(DaemonSecurityPolicy.class);
    assertThat(millisUntil("refused by default")).as("no policy: the built-in default").isLessThan(1000);

    List<Long> took = new ArrayList<>();
    policies.resource(policy("Warn")).create();
    took.add(millisUntil("admitted"));
    for (int i = 0; i < 4; i++) {
      change(policy("Enforce"));
      took.add(millisUntil("refused by " + POLICY));
      change(policy("Warn"));
      took.add(millisUntil("admitted"));
    }
    policies.withName(POLICY).delete();
    took.add(millisUntil("refused by default"));

    List<Long> sorted = took.stream().sorted().toList();
    System.out.printf("policy change to %d answers in a row under it, %d changes: p50 %d ms, max %d ms, all %s%n",
        IN_A_ROW, sorted.size(), sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1), took);
    assertThat(sorted.get(sorted.size() - 1)).as("every change in force within seconds").isLessThan(10_000);
  }
}
