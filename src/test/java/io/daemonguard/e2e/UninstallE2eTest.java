package io.daemonguard.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import io.daemonguard.api.DaemonSecurityPolicy;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code helm uninstall} leaves nothing of the release behind, and at no moment a webhook configuration whose pods are
 * gone (which, with failurePolicy Fail, would refuse every pod in the cluster). Runs last ({@link ClassOrderer}
 * configured in junit-platform.properties): it removes the release the other e2e tests use. The next e2e/run installs
 * it again. What stays, by Helm's design and as the chart README says: the CRD, and Events until their TTL.
 */
@Tag("e2e")
@Order(Integer.MAX_VALUE)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UninstallE2eTest {

  private E2eCluster cluster;

  @BeforeAll
  void setUp() throws Exception {
    cluster = new E2eCluster();
  }

  @AfterAll
  void tearDown() {
    if (cluster != null) {
      cluster.client.close();
    }
  }

  private List<ValidatingWebhookConfiguration> webhookConfigurations() {
    return cluster.client.admissionRegistration().v1().validatingWebhookConfigurations().withLabel(
        "app.kubernetes.io/instance", cluster.release).list().getItems();
  }

  /** Every object of the release that a label can find, by kind and name. */
  private List<String> leftovers() {
    List<HasMetadata> found = new ArrayList<>();
    String ns = cluster.namespace;
    var label = "app.kubernetes.io/instance";
    for (String namespace : List.of(ns, "default")) {
      found.addAll(cluster.client.apps().deployments().inNamespace(namespace).withLabel(label, cluster.release).list()
          .getItems());
      found.addAll(cluster.client.pods().inNamespace(namespace).withLabel(label, cluster.release).list().getItems());
      found.addAll(cluster.client.services().inNamespace(namespace).withLabel(label, cluster.release).list()
          .getItems());
      found.addAll(cluster.client.secrets().inNamespace(namespace).withLabel(label, cluster.release).list()
          .getItems());
      found.addAll(cluster.client.configMaps().inNamespace(namespace).withLabel(label, cluster.release).list()
          .getItems());
      found.addAll(cluster.client.serviceAccounts().inNamespace(namespace).withLabel(label, cluster.release).list()
          .getItems());
      found.addAll(cluster.client.rbac().roles().inNamespace(namespace).withLabel(label, cluster.release).list()
          .getItems());
      found.addAll(cluster.client.rbac().roleBindings().inNamespace(namespace).withLabel(label, cluster.release)
          .list().getItems());
      // policy/v1 from 1.21, policy/v1beta1 (removed in 1.25) before
      found.addAll(cluster.minorVersion() >= 21
          ? cluster.client.policy().v1().podDisruptionBudget().inNamespace(namespace).withLabel(label, cluster.release)
              .list().getItems()
          : cluster.client.policy().v1beta1().podDisruptionBudget().inNamespace(namespace)
              .withLabel(label, cluster.release).list().getItems());
      found.addAll(cluster.client.leases().inNamespace(namespace).withLabel(label, cluster.release).list()
          .getItems());
    }
    found.addAll(cluster.client.rbac().clusterRoles().withLabel(label, cluster.release).list().getItems());
    found.addAll(cluster.client.rbac().clusterRoleBindings().withLabel(label, cluster.release).list().getItems());
    found.addAll(webhookConfigurations());
    found.addAll(cluster.client.resources(DaemonSecurityPolicy.class).withLabel(label, cluster.release).list()
        .getItems());
    // Helm's own record of the release
    found.addAll(cluster.client.secrets().inNamespace(ns).withLabel("owner", "helm").withLabel("name",
        cluster.release).list().getItems());
    List<String> names = new ArrayList<>(found.stream()
        .map(o -> o.getKind() + " " + o.getMetadata().getNamespace() + "/" + o.getMetadata().getName()).toList());
    // the Lease the operator elects on is found by name too: one made at run time would carry no label
    if (cluster.client.leases().inNamespace(ns).withName(cluster.release + "-operator").get() != null) {
      names.add("Lease " + ns + "/" + cluster.release + "-operator");
    }
    return names.stream().distinct().toList();
  }

  @Test
  void uninstallLeavesNothingAndNeverAWebhookWithoutPods() throws Exception {
    assertThat(leftovers()).as("installed before").isNotEmpty();
    assertThat(webhookConfigurations()).isNotEmpty();

    // watch, while Helm deletes, for a moment when a webhook configuration exists and no webhook pod does
    List<String> orphaned = new CopyOnWriteArrayList<>();
    AtomicBoolean watching = new AtomicBoolean(true);
    Thread watcher = new Thread(() -> {
      while (watching.get()) {
        try {
          List<ValidatingWebhookConfiguration> configs = webhookConfigurations();
          if (!configs.isEmpty() && cluster.webhookPods().list().getItems().isEmpty()) {
            orphaned.add(configs.stream().map(c -> c.getMetadata().getName()).toList().toString());
          }
        } catch (RuntimeException e) {
          // a failed read proves nothing either way; the next one counts
        }
      }
    }, "orphan-watch");
    watcher.start();
    String out;
    try {
      out = Helm.uninstall(cluster.release).withNamespace(cluster.namespace)
          .withKubeConfig(Path.of(System.getProperty("e2e.kubeconfig", System.getenv("KUBECONFIG")))).call();
      // the pods terminate after Helm returns; keep watching until they are gone
      Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> cluster.client.pods()
          .inNamespace(cluster.namespace).withLabel("app.kubernetes.io/instance", cluster.release).list().getItems()
          .isEmpty());
    } finally {
      watching.set(false);
      watcher.join(10_000);
    }
    System.out.println("helm uninstall: " + out.trim());

    assertThat(orphaned).as("moments with a webhook configuration but no webhook pod").isEmpty();
    Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
        assertThat(leftovers()).as("objects of release " + cluster.release + " after helm uninstall").isEmpty());
    assertThat(cluster.client.apiextensions().v1().customResourceDefinitions()
        .withName("daemonsecuritypolicies.daemonguard.io").get())
        .as("the CRD stays (Helm never deletes crds/): users' policies are not deleted with the release").isNotNull();
  }
}
