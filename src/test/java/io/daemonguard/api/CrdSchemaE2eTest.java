package io.daemonguard.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The CRD's schema in a real apiserver (Kubernetes 1.20 in the local cluster): what it refuses, and the defaults it
 * fills in. Server-side dry runs only, so nothing is left behind. Run through e2e/run, which installs the chart's CRD.
 */
@Tag("e2e")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrdSchemaE2eTest {

  private KubernetesClient client;

  @BeforeAll
  void setUp() throws Exception {
    String kubeconfig = System.getProperty("e2e.kubeconfig", System.getenv("KUBECONFIG"));
    if (kubeconfig == null) {
      throw new IllegalStateException("e2e tests need -De2e.kubeconfig=FILE; run them through e2e/run");
    }
    Config config = Config.fromKubeconfig(Files.readString(Path.of(kubeconfig)));
    config.setRequestTimeout(30_000);
    client = new KubernetesClientBuilder().withConfig(config).build();
    CustomResourceDefinition installed = client.apiextensions().v1().customResourceDefinitions()
        .withName("daemonsecuritypolicies.daemonguard.io").get();
    CustomResourceDefinition committed = Serialization.unmarshal(
        Files.readString(CrdDriftTest.CRDS.resolve(CrdDriftTest.DSP_CRD)), CustomResourceDefinition.class);
    assertThat(installed).as("the DaemonSecurityPolicy CRD is installed").isNotNull();
    assertThat(installed.getSpec().getVersions().get(0).getSchema())
        .as("the cluster's CRD is the one in crds/ (helm upgrade never updates a chart's crds/: kubectl apply -f crds/)")
        .isEqualTo(committed.getSpec().getVersions().get(0).getSchema());
  }

  @AfterAll
  void tearDown() {
    if (client != null) {
      client.close();
    }
  }

  private GenericKubernetesResource policy(String name, String spec) {
    return Serialization.unmarshal("""
        apiVersion: daemonguard.io/v1alpha1
        kind: DaemonSecurityPolicy
        metadata: {name: %s}
        spec: %s
        """.formatted(name, spec), GenericKubernetesResource.class);
  }

  @Test
  void aBadFailOnAndFriendsAreRefusedByTheSchemaNamingEachField() {
    GenericKubernetesResource bad = policy("dg-e2e-schema-bad", """
        {admission: {action: enforce, rules: {privilegedContainer: {action: Block}}},
         nodes: {failOn: severe, scanInterval: 1d, disabledChecks: [docker-tls],
                 nodeSelector: {matchExpressions: [{key: pool, operator: Equals}]}}}""");

    assertThatThrownBy(() -> client.resource(bad).dryRun().create())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422))
        .hasMessageContainingAll("spec.nodes.failOn: Unsupported value: \"severe\"",
            "spec.nodes.scanInterval: Invalid value: \"1d\"",
            "spec.nodes.disabledChecks: Unsupported value: \"docker-tls\"",
            "spec.nodes.nodeSelector.matchExpressions.operator: Unsupported value: \"Equals\"",
            "spec.admission.action: Unsupported value: \"enforce\"",
            "spec.admission.rules.privilegedContainer.action: Unsupported value: \"Block\"");
  }

  @Test
  @SuppressWarnings("unchecked")
  void theDefaultsAreFilledInAndNoRuleIsTurnedOnThatWasLeftOut() {
    GenericKubernetesResource created = client.resource(policy("dg-e2e-schema-defaults",
        "{admission: {rules: {privilegedContainer: {action: Warn}}}, nodes: {}}")).dryRun().create();

    Map<String, Object> spec = (Map<String, Object>) created.getAdditionalProperties().get("spec");
    assertThat(spec).isEqualTo(Map.of(
        "admission", Map.of("action", "Enforce",
            "rules", Map.of("privilegedContainer", Map.of("action", "Warn", "enabled", true))),
        "nodes", Map.of("scanInterval", "6h", "failOn", "high",
            "remediation", Map.of("labelNodes", true, "taintNodes", false))));
  }
}
