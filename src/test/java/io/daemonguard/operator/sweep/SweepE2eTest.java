package io.daemonguard.operator.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonguard.admission.AdmissionPolicy;
import io.daemonguard.api.AdmissionSpec;
import io.daemonguard.api.AuditStatus;
import io.daemonguard.api.DaemonSecurityPolicy;
import io.daemonguard.api.DaemonSecurityPolicySpec;
import io.daemonguard.operator.InProcessOperatorCluster;
import io.daemonguard.policy.ClusterPolicies;
import io.daemonguard.report.EventRecorder;
import io.daemonguard.report.PolicyReports;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
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
 * The sweep against the real apiserver, kube-controller-manager (garbage collection, ReplicaSets) and kubelet of the
 * e2e cluster, in this JVM, on a client that records every request that is not a read: what already runs is reported
 * (report, Event, status.audit), counted once per workload, and two audits with nothing changed write nothing. The
 * chart's operator is scaled to zero meanwhile and every policy but this test's is taken away, then all is put back.
 */
@Tag("e2e")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SweepE2eTest {

  private static final String POLICY = "dg-e2e-sweep";
  private InProcessOperatorCluster cluster;
  private KubernetesClient admin;
  private KubernetesClient counted;
  private List<String> writes;
  private List<DaemonSecurityPolicy> taken = new ArrayList<>();
  private String ns;
  private ClusterPolicies policies;
  private SweepController sweep;

  @BeforeAll
  void setUp() throws Exception {
    cluster = new InProcessOperatorCluster();
    admin = cluster.admin;
    counted = cluster.counted;
    writes = cluster.writes;
    for (DaemonSecurityPolicy policy : admin.resources(DaemonSecurityPolicy.class).list().getItems()) {
      DaemonSecurityPolicy copy = new DaemonSecurityPolicy();
      copy.setMetadata(new ObjectMetaBuilder().withName(policy.getMetadata().getName())
          .withLabels(policy.getMetadata().getLabels()).withAnnotations(policy.getMetadata().getAnnotations()).build());
      copy.setSpec(policy.getSpec());
      taken.add(copy);
      admin.resources(DaemonSecurityPolicy.class).withName(policy.getMetadata().getName()).delete();
    }
    // Audit: the webhook admits what this test needs to exist, and records it; the sweep must still find it
    DaemonSecurityPolicy audit = new DaemonSecurityPolicy();
    audit.setMetadata(new ObjectMetaBuilder().withName(POLICY).addToLabels("daemonguard.io/e2e", "true").build());
    AdmissionSpec admission = new AdmissionSpec();
    admission.setAction("Audit");
    DaemonSecurityPolicySpec spec = new DaemonSecurityPolicySpec();
    spec.setAdmission(admission);
    audit.setSpec(spec);
    admin.resources(DaemonSecurityPolicy.class).resource(audit).create();
    ns = "dg-e2e-sweep-" + UUID.randomUUID().toString().substring(0, 6);
    admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
        .create();
    Awaitility.await().atMost(Duration.ofSeconds(60)).until(() ->
        admin.serviceAccounts().inNamespace(ns).withName("default").get() != null);
  }

  @AfterAll
  void tearDown() {
    if (sweep != null) {
      sweep.stop();
    }
    if (cluster != null) {
      admin.namespaces().withName(ns).delete();
      admin.resources(DaemonSecurityPolicy.class).withName(POLICY).delete();
      Awaitility.await().atMost(Duration.ofSeconds(30))
          .until(() -> admin.resources(DaemonSecurityPolicy.class).withName(POLICY).get() == null);
      for (DaemonSecurityPolicy policy : taken) {
        admin.resources(DaemonSecurityPolicy.class).resource(policy).create();
      }
      cluster.close();
    }
  }

  private Deployment privilegedDeployment(String name, int replicas) {
    return new DeploymentBuilder().withNewMetadata().withName(name).withNamespace(ns).endMetadata()
        .withNewSpec().withReplicas(replicas).withNewSelector().addToMatchLabels("app", name).endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata().withNewSpec()
        .addToContainers(new ContainerBuilder().withName("app").withImage("k8s.gcr.io/pause:3.2")
            .withNewSecurityContext().withPrivileged(true).endSecurityContext().build())
        .endSpec().endTemplate().endSpec().build();
  }

  private AuditStatus audit() {
    DaemonSecurityPolicy policy = admin.resources(DaemonSecurityPolicy.class).withName(POLICY).get();
    return policy == null || policy.getStatus() == null ? null : policy.getStatus().getAudit();
  }

  private List<GenericKubernetesResource> reports() {
    return admin.genericKubernetesResources("wgpolicyk8s.io/v1alpha2", "PolicyReport").inNamespace(ns).list()
        .getItems();
  }

  private List<Event> violationEvents(String uid) {
    return admin.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> uid.equals(e.getInvolvedObject().getUid()) && "PolicyViolation".equals(e.getReason())).toList();
  }

  @Test
  @Order(1)
  void whatRunsIsReportedOncePerWorkloadAndAnUnchangedAuditWritesNothing() {
    assertThat(admin.supports("wgpolicyk8s.io/v1alpha2", "PolicyReport"))
        .as("the chart installs the PolicyReport CRDs (reports.installCRDs)").isTrue();
    // the webhook follows the policies within a second or so: until it has this test's Audit policy, it refuses
    Deployment[] created = new Deployment[1];
    Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
      created[0] = admin.apps().deployments().inNamespace(ns).resource(privilegedDeployment("priv", 1)).create();
      return true;
    });
    Deployment stored = created[0];

    policies = new ClusterPolicies(AdmissionPolicy.defaultPolicy(cluster.namespace, Set.of())).start(counted);
    EventRecorder events = new EventRecorder(counted, "default", "daemonguard-operator", "e2e", Clock.systemUTC());
    sweep = new SweepController(counted, policies, events, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
        SweepSettings.defaults().withInterval(Duration.ofSeconds(3)), Clock.systemUTC());
    sweep.start();
    sweep.leading(true);

    // the Deployment, its ReplicaSet and its pod each carry the violation; the policy counts one workload
    Awaitility.await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
      assertThat(reports()).extracting(r -> (Object) ((Map<?, ?>) r.getAdditionalProperties().get("scope")).get("kind"))
          .containsExactlyInAnyOrder("Deployment", "ReplicaSet", "Pod");
      AuditStatus audit = audit();
      assertThat(audit).isNotNull();
      assertThat(audit.getViolations()).isEqualTo(1L);
      assertThat(audit.getByRule()).containsExactly(Map.entry("privileged-container", 1L));
      assertThat(audit.getByAction()).containsExactly(Map.entry("Audit", 1L));
      assertThat(audit.getExamples()).singleElement().satisfies(e -> {
        assertThat(e.getKind()).isEqualTo("Deployment");
        assertThat(e.getPath()).isEqualTo("spec.template.spec.containers[0].securityContext.privileged");
      });
      assertThat(audit.getLastCompleted()).isNotNull();
    });
    GenericKubernetesResource report = reports().stream().filter(r -> r.getMetadata().getName()
        .equals(stored.getMetadata().getUid())).findFirst().orElseThrow();
    assertThat(report.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(o -> assertThat(o.getUid()).isEqualTo(stored.getMetadata().getUid()));
    assertThat(report.getMetadata().getLabels()).containsEntry(PolicyReports.MANAGED_BY, "daemonguard");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> results = (List<Map<String, Object>>) report.getAdditionalProperties().get("results");
    assertThat(results).singleElement().satisfies(r -> {
      assertThat(r).containsEntry("rule", "privileged-container").containsEntry("result", "fail")
          .containsEntry("source", "daemonguard").containsEntry("policy", POLICY);
      assertThat((Map<String, Object>) r.get("properties")).containsEntry("action", "Audit")
          .containsEntry("path", "spec.template.spec.containers[0].securityContext.privileged");
      assertThat((Map<String, Object>) r.get("timestamp")).containsKeys("seconds", "nanos");
    });
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> violationEvents(stored.getMetadata().getUid())
        .size() == 1);
    assertThat(violationEvents(stored.getMetadata().getUid()).get(0).getMessage())
        .startsWith("Audit: [privileged-container] spec.template.spec.containers[0].securityContext.privileged");

    // two complete audits (interval 3 s) with nothing changed: no write at all
    cluster.awaitQuiet();
    writes.clear();
    Instant before = sweep.lastCompleted();
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> sweep.lastCompleted() != null
        && sweep.lastCompleted().isAfter(before.plusSeconds(3)));
    assertThat(writes).as("API writes by two audits that found nothing new").isEmpty();
    assertThat(violationEvents(stored.getMetadata().getUid())).hasSize(1);

    // the workload goes: the count goes back to 0 and the reports with it
    admin.apps().deployments().inNamespace(ns).withName("priv").delete();
    Awaitility.await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
      assertThat(reports()).isEmpty();
      assertThat(audit().getViolations()).isZero();
      assertThat(audit().getExamples()).isEmpty();
    });
  }

  @Test
  @Order(2)
  void withoutTheReportCrdsThePolicySaysSoAndTheRestGoesOn() {
    // the chart installs the CRDs of the format it is told to write (wgpolicyk8s by default), so openreports' are absent
    org.junit.jupiter.api.Assumptions.assumeFalse(admin.supports("openreports.io/v1alpha1", "Report"),
        "the openreports CRDs are installed here");
    if (sweep != null) {
      sweep.stop();
    }
    Deployment[] created = new Deployment[1];
    Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
      created[0] = admin.apps().deployments().inNamespace(ns).resource(privilegedDeployment("priv-2", 0)).create();
      return true;
    });
    policies = new ClusterPolicies(AdmissionPolicy.defaultPolicy(cluster.namespace, Set.of())).start(counted);
    EventRecorder events = new EventRecorder(counted, "default", "daemonguard-operator", "e2e", Clock.systemUTC());
    sweep = new SweepController(counted, policies, events, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
        SweepSettings.defaults().withFormat(PolicyReports.Format.OPENREPORTS), Clock.systemUTC());
    sweep.start();
    sweep.leading(true);

    Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      DaemonSecurityPolicy policy = admin.resources(DaemonSecurityPolicy.class).withName(POLICY).get();
      var reporting = policy.getStatus().getConditions().stream().filter(c -> "Reporting".equals(c.getType()))
          .findFirst().orElseThrow();
      assertThat(reporting.getStatus()).isEqualTo("False");
      assertThat(reporting.getReason()).isEqualTo("ReportCRDMissing");
      assertThat(reporting.getMessage()).contains("Report and ClusterReport (openreports.io/v1alpha1) are not"
          + " installed");
      // the figures and the Events do not need the reports
      assertThat(policy.getStatus().getAudit().getViolations()).isGreaterThanOrEqualTo(1L);
      assertThat(violationEvents(created[0].getMetadata().getUid())).isNotEmpty();
    });
  }
}
