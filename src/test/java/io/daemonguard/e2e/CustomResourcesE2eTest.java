package io.daemonguard.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.daemonguard.api.AdmissionSpec;
import io.daemonguard.api.DaemonSecurityPolicy;
import io.daemonguard.api.DaemonSecurityPolicySpec;
import io.daemonguard.api.Exemptions;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The local cluster survives custom resources. Kubernetes 1.20 built with Go 1.19 and its vendored reflect2 1.0.1 dies
 * ("fatal error: fault" in reflect2.(*UnsafeMapType).UnsafeIterate) on the first write of one; e2e/cluster/up.sh builds
 * it with Debian's fixed reflect2 and json-iterator. Writes the chart's own CRD, as a platform team would.
 */
@Tag("e2e")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CustomResourcesE2eTest {

  private E2eCluster cluster;
  private MixedOperation<DaemonSecurityPolicy, KubernetesResourceList<DaemonSecurityPolicy>,
      Resource<DaemonSecurityPolicy>> policies;

  @BeforeAll
  void setUp() throws Exception {
    cluster = new E2eCluster();
    policies = cluster.client.resources(DaemonSecurityPolicy.class);
  }

  @AfterAll
  void tearDown() {
    if (cluster != null) {
      policies.withLabel("daemonguard.io/e2e", "true").delete();
      cluster.client.close();
    }
  }

  @Test
  void tenPoliciesAreCreatedPatchedAndDeletedAndTheApiserverStaysUp() {
    String startedAt = cluster.client.getKubernetesVersion().getGitVersion();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      DaemonSecurityPolicy policy = new DaemonSecurityPolicy();
      policy.setMetadata(new ObjectMetaBuilder().withName("dg-e2e-crd-" + i)
          .addToLabels("daemonguard.io/e2e", "true").build());
      DaemonSecurityPolicySpec spec = new DaemonSecurityPolicySpec();
      AdmissionSpec admission = new AdmissionSpec();
      admission.setAction(i % 2 == 0 ? "Enforce" : "Warn");
      spec.setAdmission(admission);
      policy.setSpec(spec);
      DaemonSecurityPolicy created = policies.resource(policy).create();
      assertThat(created.getMetadata().getUid()).isNotBlank();
      names.add(created.getMetadata().getName());
    }
    for (String name : names) {
      DaemonSecurityPolicy patched = policies.withName(name).edit(p -> {
        p.getSpec().getAdmission().setAction("Audit");
        return p;
      });
      assertThat(patched.getSpec().getAdmission().getAction()).isEqualTo("Audit");
      assertThat(patched.getMetadata().getGeneration()).isEqualTo(2L);
    }
    assertThat(policies.withLabel("daemonguard.io/e2e", "true").list().getItems()).hasSize(10)
        .allSatisfy(p -> assertThat(p.getSpec().getAdmission().getAction()).isEqualTo("Audit"));
    for (String name : names) {
      policies.withName(name).delete();
    }
    // nothing restarts a dead apiserver in the local cluster: that it still answers is the proof
    assertThat(cluster.client.getKubernetesVersion().getGitVersion()).isEqualTo(startedAt);
    assertThat(cluster.client.namespaces().withName("default").get()).isNotNull();
  }

  @Test
  void aPolicyTheCompilerRefusesIsRefusedAtTheDoorNamingTheField() {
    DaemonSecurityPolicy policy = new DaemonSecurityPolicy();
    policy.setMetadata(new ObjectMetaBuilder().withName("dg-e2e-crd-invalid")
        .addToLabels("daemonguard.io/e2e", "true").build());
    DaemonSecurityPolicySpec spec = new DaemonSecurityPolicySpec();
    AdmissionSpec admission = new AdmissionSpec();
    Exemptions exemptions = new Exemptions();
    exemptions.setServiceAccounts(List.of("scanner")); // the schema lets it through; the compiler wants namespace/name
    admission.setExemptions(exemptions);
    spec.setAdmission(admission);
    policy.setSpec(spec);

    assertThatThrownBy(() -> policies.resource(policy).create())
        .isInstanceOf(KubernetesClientException.class)
        .satisfies(e -> assertThat(e.getMessage()).contains(
            "admission webhook \"" + E2eCluster.POLICY_WEBHOOK_NAME + "\" denied the request",
            "daemonguard: [invalid-policy] DaemonSecurityPolicy dg-e2e-crd-invalid: "
                + "spec.admission.exemptions.serviceAccounts: \"scanner\" is not namespace/name"));
    assertThat(policies.withName("dg-e2e-crd-invalid").get()).isNull();
  }
}
