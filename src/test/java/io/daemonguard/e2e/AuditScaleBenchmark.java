package io.daemonguard.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonguard.api.AdmissionSpec;
import io.daemonguard.api.AuditStatus;
import io.daemonguard.api.DaemonSecurityPolicy;
import io.daemonguard.api.DaemonSecurityPolicySpec;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * How long a policy change across many running workloads takes to be fully reported, with the chart's operator and its
 * write budget ({@code --audit-writes-per-second}, 50): N privileged Deployments (0 replicas: workloads without pods)
 * are let in under an Audit policy, then the policy enforces; it is done when the policy counts N under Enforce and
 * every report says Enforce. Prints the figures for BENCHMARKS.md; run with {@code e2e/run --bench}.
 */
@Tag("e2e-bench")
class AuditScaleBenchmark {

  private static final int N = Integer.getInteger("bench.audit.workloads", 1000);
  private static final String POLICY = "dg-bench-audit";

  private static DaemonSecurityPolicy policy(String action) {
    DaemonSecurityPolicy policy = new DaemonSecurityPolicy();
    policy.setMetadata(new ObjectMetaBuilder().withName(POLICY).build());
    AdmissionSpec admission = new AdmissionSpec();
    admission.setAction(action);
    DaemonSecurityPolicySpec spec = new DaemonSecurityPolicySpec();
    spec.setAdmission(admission);
    policy.setSpec(spec);
    return policy;
  }

  private static Deployment deployment(String ns, int i) {
    String name = "w-" + i;
    return new DeploymentBuilder().withNewMetadata().withName(name).withNamespace(ns).endMetadata()
        .withNewSpec().withReplicas(0).withNewSelector().addToMatchLabels("app", name).endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata().withNewSpec()
        .addToContainers(new ContainerBuilder().withName("app").withImage(E2eCluster.PAUSE_IMAGE)
            .withNewSecurityContext().withPrivileged(true).endSecurityContext().build())
        .endSpec().endTemplate().endSpec().build();
  }

  @Test
  void aPolicyChangeAcrossManyWorkloadsIsFullyReported() throws Exception {
    E2eCluster cluster = new E2eCluster();
    var policies = cluster.client.resources(DaemonSecurityPolicy.class);
    List<DaemonSecurityPolicy> taken = cluster.takeAwayPolicies();
    String ns = cluster.newNamespace("dg-bench-audit");
    try {
      policies.resource(policy("Audit")).create();
      Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
        cluster.client.apps().deployments().inNamespace(ns).resource(deployment(ns, 0)).create();
        return true;
      });
      long start = System.nanoTime();
      for (int i = 1; i < N; i++) {
        cluster.client.apps().deployments().inNamespace(ns).resource(deployment(ns, i)).create();
      }
      long created = System.nanoTime();
      Awaitility.await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofSeconds(1))
          .until(() -> counted(policies.withName(POLICY).get(), "Audit") == N);
      long reported = System.nanoTime();

      policies.withName(POLICY).edit(p -> {
        p.getSpec().getAdmission().setAction("Enforce");
        return p;
      });
      long changed = System.nanoTime();
      Awaitility.await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofSeconds(1))
          .until(() -> counted(policies.withName(POLICY).get(), "Enforce") == N);
      long counted = System.nanoTime();
      Awaitility.await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofSeconds(2)).until(() ->
          cluster.client.genericKubernetesResources("wgpolicyk8s.io/v1alpha2", "PolicyReport").inNamespace(ns).list()
              .getItems().stream().filter(AuditScaleBenchmark::enforced).count() == N);
      long allReports = System.nanoTime();
      long reports = cluster.client.genericKubernetesResources("wgpolicyk8s.io/v1alpha2", "PolicyReport")
          .inNamespace(ns).list().getItems().size();

      System.out.printf("audit at scale: %d Deployments created in %.1f s; all counted under Audit %.1f s after the"
              + " last create; policy switched to Enforce: counted %.1f s later, every Deployment's report rewritten"
              + " %.1f s later (%d reports in the namespace with the ReplicaSets', a report and an Event each: %.0f s"
              + " at the 50/s budget)%n",
          N, (created - start) / 1e9, (reported - created) / 1e9, (counted - changed) / 1e9,
          (allReports - changed) / 1e9, reports, 2.0 * reports / 50);
      assertThat(allReports).isGreaterThan(changed);
    } finally {
      policies.withName(POLICY).delete();
      cluster.deleteNamespace(ns);
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> policies.withName(POLICY).get() == null);
      cluster.restorePolicies(taken);
      cluster.client.close();
    }
  }

  @SuppressWarnings("unchecked")
  private static boolean enforced(io.fabric8.kubernetes.api.model.GenericKubernetesResource report) {
    // the Deployments' reports: their ReplicaSets (created at the controller-manager's pace) have their own
    Map<String, Object> scope = (Map<String, Object>) report.getAdditionalProperties().get("scope");
    List<Map<String, Object>> results = (List<Map<String, Object>>) report.getAdditionalProperties().get("results");
    return scope != null && "Deployment".equals(scope.get("kind")) && results != null && !results.isEmpty() && results.stream()
        .allMatch(r -> "Enforce".equals(((Map<String, Object>) r.get("properties")).get("action")));
  }

  private static long counted(DaemonSecurityPolicy policy, String action) {
    if (policy == null || policy.getStatus() == null || policy.getStatus().getAudit() == null) {
      return -1;
    }
    AuditStatus audit = policy.getStatus().getAudit();
    Map<String, Long> byAction = audit.getByAction();
    return byAction == null ? -1 : byAction.getOrDefault(action, 0L);
  }
}
