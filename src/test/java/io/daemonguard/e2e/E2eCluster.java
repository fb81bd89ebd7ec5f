package io.daemonguard.e2e;

import io.daemonguard.api.DaemonSecurityPolicy;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.PodResource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;

/** The cluster e2e/run prepared: its kubeconfig and where daemonguard was installed, from system properties. */
final class E2eCluster {
  static final String PAUSE_IMAGE = "k8s.gcr.io/pause:3.2";
  static final String WEBHOOK_NAME = "validate.daemonguard.io";
  /** Cluster-scoped objects (PersistentVolumes) go through a second webhook without a namespaceSelector. */
  static final String CLUSTER_WEBHOOK_NAME = "validate-cluster.daemonguard.io";
  /** DaemonSecurityPolicies go through a third, with failurePolicy Ignore (chart README: validating policies). */
  static final String POLICY_WEBHOOK_NAME = "validate-policies.daemonguard.io";

  final KubernetesClient client;
  private final String kubeconfigText;
  final String namespace = System.getProperty("e2e.namespace", "daemonguard-system");
  final String release = System.getProperty("e2e.release", "daemonguard");

  E2eCluster() throws IOException {
    String kubeconfig = System.getProperty("e2e.kubeconfig", System.getenv("KUBECONFIG"));
    if (kubeconfig == null) {
      throw new IllegalStateException("e2e tests need -De2e.kubeconfig=FILE; run them through e2e/run");
    }
    kubeconfigText = Files.readString(Path.of(kubeconfig));
    Config config = Config.fromKubeconfig(kubeconfigText);
    config.setRequestTimeout(30_000);
    client = new KubernetesClientBuilder().withConfig(config).build();
  }

  /**
   * A client that acts as {@code user} in {@code groups}, through the admin's right to impersonate: what RBAC and the
   * webhook see is that user (close it after use).
   */
  KubernetesClient impersonating(String user, String... groups) {
    Config config = Config.fromKubeconfig(kubeconfigText);
    config.setRequestTimeout(30_000);
    config.setImpersonateUsername(user);
    config.setImpersonateGroups(groups);
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /** A fresh namespace with its default ServiceAccount in place (pods are refused before it exists). */
  String newNamespace(String prefix) {
    String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    Namespace namespace = new NamespaceBuilder().withNewMetadata().withName(name)
        .addToLabels("daemonguard.io/e2e", "true").endMetadata().build();
    client.namespaces().resource(namespace).create();
    Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
        client.serviceAccounts().inNamespace(name).withName("default").get() != null);
    return name;
  }

  void deleteNamespace(String name) {
    client.namespaces().withName(name).delete();
  }

  /**
   * Deletes every DaemonSecurityPolicy (the chart's {@code baseline} included) and returns them as they can be created
   * again: for tests that need the built-in default alone, or policies of their own, in force.
   */
  List<DaemonSecurityPolicy> takeAwayPolicies() {
    var policies = client.resources(DaemonSecurityPolicy.class);
    List<DaemonSecurityPolicy> taken = new ArrayList<>();
    for (DaemonSecurityPolicy policy : policies.list().getItems()) {
      taken.add(recreatable(policy));
      policies.withName(policy.getMetadata().getName()).delete();
    }
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> policies.list().getItems().isEmpty());
    return taken;
  }

  /** The policy as it can be created again: name, labels, annotations and spec; no uid, version or status. */
  static DaemonSecurityPolicy recreatable(DaemonSecurityPolicy policy) {
    DaemonSecurityPolicy copy = new DaemonSecurityPolicy();
    copy.setMetadata(new ObjectMetaBuilder().withName(policy.getMetadata().getName())
        .withLabels(policy.getMetadata().getLabels()).withAnnotations(policy.getMetadata().getAnnotations()).build());
    copy.setSpec(policy.getSpec());
    return copy;
  }

  /** Puts back what {@link #takeAwayPolicies()} took, replacing any policy of the same name. */
  void restorePolicies(List<DaemonSecurityPolicy> taken) {
    var policies = client.resources(DaemonSecurityPolicy.class);
    for (DaemonSecurityPolicy policy : taken) {
      policies.withName(policy.getMetadata().getName()).delete();
      Awaitility.await().atMost(Duration.ofSeconds(30))
          .until(() -> policies.withName(policy.getMetadata().getName()).get() == null);
      policies.resource(policy).create();
    }
  }

  /** The labels the chart puts on the operator's Deployment and pods. */
  Map<String, String> operatorLabels() {
    return Map.of(
        "app.kubernetes.io/name", "daemonguard",
        "app.kubernetes.io/instance", release,
        "app.kubernetes.io/component", "operator");
  }

  int minorVersion() {
    return Integer.parseInt(client.getKubernetesVersion().getMinor().replaceAll("[^0-9]", ""));
  }

  /**
   * The labels the chart puts on the webhook's Deployment and pods (its {@code daemonguard.selectorLabels}). The name
   * label alone is not enough: the operator's pods carry it too. Every e2e class finds webhook pods through here.
   */
  Map<String, String> webhookLabels() {
    return Map.of(
        "app.kubernetes.io/name", "daemonguard",
        "app.kubernetes.io/instance", release,
        "app.kubernetes.io/component", "webhook");
  }

  /** The webhook's pods, selected by name, instance and component. */
  FilterWatchListDeletable<Pod, PodList, PodResource> webhookPods() {
    return client.pods().inNamespace(namespace).withLabels(webhookLabels());
  }

  /** The webhook's Deployment; fails unless exactly one carries the webhook's labels. */
  Deployment webhookDeployment() {
    List<Deployment> deployments = client.apps().deployments().inNamespace(namespace).withLabels(webhookLabels())
        .list().getItems();
    if (deployments.size() != 1) {
      throw new IllegalStateException("expected one webhook Deployment labelled " + webhookLabels() + " in "
          + namespace + ", found " + deployments.size());
    }
    return deployments.get(0);
  }

  /** The {@code /metrics} text of every running webhook pod, read through the apiserver's pod proxy. */
  List<String> webhookMetrics() {
    List<String> texts = new ArrayList<>();
    for (Pod pod : webhookPods().list().getItems()) {
      if (running(pod)) {
        String text = client.raw("/api/v1/namespaces/" + namespace + "/pods/https:" + pod.getMetadata().getName()
            + ":8443/proxy/metrics");
        texts.add(text == null ? "" : text);
      }
    }
    return texts;
  }

  boolean running(Pod pod) {
    return pod != null && pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase());
  }

  /** Condition Ready is True and the pod is not being deleted (a terminating pod may still report Ready). */
  static boolean ready(Pod pod) {
    return pod != null && pod.getMetadata().getDeletionTimestamp() == null && pod.getStatus() != null
        && pod.getStatus().getConditions() != null && pod.getStatus().getConditions().stream()
        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
