package io.daemonguard.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EphemeralContainerBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Through the real apiserver: the chart installed by Helm, the image built locally, the kubelet running pods. Every
 * refusal asserts daemonguard's own message, so nothing passes because the apiserver refused for its own reasons.
 */
@Tag("e2e")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdmissionE2eTest {

  private E2eCluster cluster;
  private String ns;

  @BeforeAll
  void setUp() throws Exception {
    cluster = new E2eCluster();
    ns = cluster.newNamespace("dg-e2e");
  }

  @AfterAll
  void tearDown() {
    if (cluster != null) {
      cluster.deleteNamespace(ns);
      cluster.client.persistentVolumes().withLabel("daemonguard.io/e2e", "true").delete();
      cluster.client.close();
    }
  }

  private static Container pause(String name) {
    return new ContainerBuilder().withName(name).withImage(E2eCluster.PAUSE_IMAGE)
        .withImagePullPolicy("IfNotPresent").build();
  }

  private static Pod pod(String name, PodSpec spec) {
    return new PodBuilder().withNewMetadata().withName(name).endMetadata().withSpec(spec).build();
  }

  private static PodSpec hostPathSpec(String path) {
    return new PodSpecBuilder()
        .addNewVolume().withName("host").withNewHostPath().withPath(path).endHostPath().endVolume()
        .addToContainers(new ContainerBuilder(pause("app"))
            .addNewVolumeMount().withName("host").withMountPath("/host").withReadOnly(true).endVolumeMount().build())
        .build();
  }

  private void assertRefused(Runnable create, String... expected) {
    assertRefusedBy(E2eCluster.WEBHOOK_NAME, create, expected);
  }

  private void assertRefusedBy(String webhook, Runnable create, String... expected) {
    assertThatThrownBy(create::run)
        .isInstanceOf(KubernetesClientException.class)
        .satisfies(e -> {
          String message = e.getMessage();
          assertThat(message).contains("admission webhook \"" + webhook + "\" denied the request");
          assertThat(message).contains("daemonguard:");
          for (String part : expected) {
            assertThat(message).contains(part);
          }
        });
  }

  @ParameterizedTest
  // the apiserver itself refuses any path with "..", so only the spellings it lets through reach the webhook
  @ValueSource(strings = {"/", "//", "/.", "/./", "/./.", "///"})
  @Order(1)
  void hostRootInAnySpellingIsRefused(String path) {
    String name = "root-" + Math.abs(path.hashCode());
    assertRefused(() -> cluster.client.pods().inNamespace(ns).resource(pod(name, hostPathSpec(path))).create(),
        "[host-root-mount] spec.volumes[0].hostPath.path");
    assertThat(cluster.client.pods().inNamespace(ns).withName(name).get()).isNull();
  }

  @Test
  @Order(2)
  void privilegedPodIsRefused() {
    Container privileged = new ContainerBuilder(pause("app")).withNewSecurityContext().withPrivileged(true)
        .endSecurityContext().build();
    assertRefused(() -> cluster.client.pods().inNamespace(ns)
            .resource(pod("privileged", new PodSpecBuilder().addToContainers(privileged).build())).create(),
        "[privileged-container] spec.containers[0].securityContext.privileged");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/var/run/docker.sock", "//var/run/docker.sock", "/run/containerd/containerd.sock",
      "/var/run", "/run/", "/var"})
  @Order(3)
  void runtimeSocketOrItsDirectoryIsRefused(String path) {
    assertRefused(() -> cluster.client.pods().inNamespace(ns)
            .resource(pod("sock-" + Math.abs(path.hashCode()), hostPathSpec(path))).create(),
        "[runtime-socket-mount] spec.volumes[0].hostPath.path");
  }

  @Test
  @Order(4)
  void allowedPodsReachRunning() {
    Pod plain = cluster.client.pods().inNamespace(ns)
        .resource(pod("plain", new PodSpecBuilder().addToContainers(pause("app")).build())).create();
    Pod logs = cluster.client.pods().inNamespace(ns).resource(pod("logs", hostPathSpec("/var/log"))).create();
    assertThat(plain.getMetadata().getUid()).isNotBlank();
    assertThat(logs.getMetadata().getUid()).isNotBlank();
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
      assertThat(cluster.running(cluster.client.pods().inNamespace(ns).withName("plain").get())).isTrue();
      assertThat(cluster.running(cluster.client.pods().inNamespace(ns).withName("logs").get())).isTrue();
    });
  }

  @Test
  @Order(5)
  void deploymentAndCronJobWithBadTemplatesAreRefused() {
    Deployment deployment = new DeploymentBuilder().withNewMetadata().withName("bad-web").endMetadata()
        .withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels("app", "bad-web").endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", "bad-web").endMetadata()
        .withSpec(hostPathSpec("/var/run/docker.sock")).endTemplate().endSpec().build();
    assertRefused(() -> cluster.client.apps().deployments().inNamespace(ns).resource(deployment).create(),
        "Deployment " + ns + "/bad-web", "[runtime-socket-mount] spec.template.spec.volumes[0].hostPath.path");

    if (cluster.minorVersion() >= 21) {
      var cronJob = new CronJobBuilder().withNewMetadata().withName("bad-cron").endMetadata().withNewSpec()
          .withSchedule("*/5 * * * *").withNewJobTemplate().withNewSpec().withNewTemplate()
          .withSpec(new PodSpecBuilder(hostPathSpec("//")).withRestartPolicy("Never").build())
          .endTemplate().endSpec().endJobTemplate().endSpec().build();
      assertRefused(() -> cluster.client.batch().v1().cronjobs().inNamespace(ns).resource(cronJob).create(),
          "[host-root-mount] spec.jobTemplate.spec.template.spec.volumes[0].hostPath.path");
    } else {
      var cronJob = new io.fabric8.kubernetes.api.model.batch.v1beta1.CronJobBuilder().withNewMetadata()
          .withName("bad-cron").endMetadata().withNewSpec().withSchedule("*/5 * * * *").withNewJobTemplate()
          .withNewSpec().withNewTemplate()
          .withSpec(new PodSpecBuilder(hostPathSpec("//")).withRestartPolicy("Never").build())
          .endTemplate().endSpec().endJobTemplate().endSpec().build();
      assertRefused(() -> cluster.client.batch().v1beta1().cronjobs().inNamespace(ns).resource(cronJob).create(),
          "[host-root-mount] spec.jobTemplate.spec.template.spec.volumes[0].hostPath.path");
    }
  }

  @Test
  @Order(6)
  void hostPathPersistentVolumeIsRefused() {
    PersistentVolume pv = new PersistentVolumeBuilder().withNewMetadata().withName("dg-e2e-root-pv")
        .addToLabels("daemonguard.io/e2e", "true").endMetadata()
        .withNewSpec().withCapacity(Map.of("storage", new Quantity("1Gi"))).withAccessModes("ReadWriteOnce")
        .withNewHostPath().withPath("//.").endHostPath().endSpec().build();
    assertRefusedBy(E2eCluster.CLUSTER_WEBHOOK_NAME, () -> cluster.client.persistentVolumes().resource(pv).create(),
        "[host-root-mount] spec.hostPath.path");
  }

  @Test
  @Order(7)
  void ephemeralContainersSubresourceIsDecidedByTheWebhook() {
    await().atMost(Duration.ofSeconds(120)).until(() ->
        cluster.running(cluster.client.pods().inNamespace(ns).withName("plain").get()));
    if (cluster.minorVersion() < 22) {
      // 1.20/1.21: kind EphemeralContainers, and no securityContext allowed at all; show the webhook is asked
      double before = metric("EphemeralContainers", "UPDATE", "allow");
      String body = """
          {"apiVersion":"v1","kind":"EphemeralContainers","metadata":{"name":"plain","namespace":"%s"},
           "ephemeralContainers":[{"name":"debug","image":"%s","imagePullPolicy":"IfNotPresent",
             "terminationMessagePolicy":"File"}]}""".formatted(ns, E2eCluster.PAUSE_IMAGE);
      cluster.client.raw("/api/v1/namespaces/" + ns + "/pods/plain/ephemeralcontainers", "PUT", body);
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(metric("EphemeralContainers", "UPDATE", "allow")).isEqualTo(before + 1));
      assertThat(cluster.client.pods().inNamespace(ns).withName("plain").get().getSpec().getEphemeralContainers())
          .extracting(c -> c.getName()).contains("debug");
    } else {
      assertRefused(() -> cluster.client.pods().inNamespace(ns).withName("plain").ephemeralContainers()
              .edit(p -> new PodBuilder(p).editSpec().addToEphemeralContainers(new EphemeralContainerBuilder()
                  .withName("debug").withImage(E2eCluster.PAUSE_IMAGE).withNewSecurityContext().withPrivileged(true)
                  .endSecurityContext().build()).endSpec().build()),
          "[privileged-container] spec.ephemeralContainers[0].securityContext.privileged");
    }
  }

  /** Sum of a request counter over every webhook pod, read through the apiserver's pod proxy. */
  private double metric(String kind, String operation, String decision) {
    Pattern line = Pattern.compile("daemonguard_admission_requests_total\\{decision=\"" + decision
        + "\",kind=\"" + kind + "\",operation=\"" + operation + "\"} ([0-9.E+]+)");
    double sum = 0;
    for (String text : cluster.webhookMetrics()) {
      Matcher matcher = line.matcher(text);
      if (matcher.find()) {
        sum += Double.parseDouble(matcher.group(1));
      }
    }
    return sum;
  }

  @Test
  @Order(8)
  void exemptNamespacesAdmitPrivilegedPods() {
    // 1.20's sandbox cannot start a privileged container, so this asserts admission, not Running
    Container privileged = new ContainerBuilder(pause("app")).withNewSecurityContext().withPrivileged(true)
        .endSecurityContext().build();
    Pod created = cluster.client.pods().inNamespace("kube-system")
        .resource(pod("dg-e2e-exempt", new PodSpecBuilder().addToContainers(privileged).build())).create();
    try {
      assertThat(created.getMetadata().getUid()).isNotBlank();
    } finally {
      cluster.client.pods().inNamespace("kube-system").withName("dg-e2e-exempt").withGracePeriod(0).delete();
    }
  }

  @Test
  @Order(9)
  void webhookPodsComeBackAfterDeletionAndTheClusterIsNotLocked() {
    var deployment = cluster.webhookDeployment();
    String name = deployment.getMetadata().getName();
    int replicas = deployment.getSpec().getReplicas();
    cluster.webhookPods().withGracePeriod(0).delete();
    await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
      var current = cluster.client.apps().deployments().inNamespace(cluster.namespace).withName(name).get();
      assertThat(current.getStatus().getReadyReplicas()).isEqualTo(replicas);
    });
    // and it decides again: bad refused, good admitted
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
        assertRefused(() -> cluster.client.pods().inNamespace(ns).resource(pod("after", hostPathSpec("/"))).create(),
            "[host-root-mount]"));
    Pod good = cluster.client.pods().inNamespace(ns)
        .resource(pod("after-ok", new PodSpecBuilder().addToContainers(pause("app")).build())).create();
    assertThat(good.getMetadata().getUid()).isNotBlank();
  }
}
