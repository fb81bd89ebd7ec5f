package io.daemonguard.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonguard.api.DaemonSecurityPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
 * The audit, as a platform team sees it with the real kubectl: a privileged pod let in while {@code baseline} is in
 * Audit, and a privileged static pod placed on the node once it enforces again, show up in {@code kubectl describe pod},
 * {@code kubectl get polr} and {@code kubectl get dsp}; when they go, so do the count and the reports. The chart's
 * operator does the work; the chart's {@code baseline} is put back as it was.
 */
@Tag("e2e")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuditE2eTest {

  private static final String PRIVILEGED = "{\"spec\":{\"containers\":[{\"name\":\"debug\",\"image\":\""
      + E2eCluster.PAUSE_IMAGE + "\",\"securityContext\":{\"privileged\":true}}]}}";
  private static final Duration AUDIT = Duration.ofSeconds(60);

  private E2eCluster cluster;
  private final Kubectl kubectl = new Kubectl();
  private String ns;
  private String originalAction;
  private Path staticPod;

  @BeforeAll
  void setUp() throws Exception {
    cluster = new E2eCluster();
    ns = cluster.newNamespace("dg-e2e-audit");
    DaemonSecurityPolicy baseline = cluster.client.resources(DaemonSecurityPolicy.class).withName("baseline").get();
    assertThat(baseline).as("the chart's baseline policy").isNotNull();
    originalAction = baseline.getSpec().getAdmission().getAction();
  }

  @AfterAll
  void tearDown() throws Exception {
    if (cluster != null) {
      if (staticPod != null) {
        Files.deleteIfExists(staticPod);
      }
      setBaselineAction(originalAction);
      cluster.deleteNamespace(ns);
      cluster.client.close();
    }
  }

  private void setBaselineAction(String action) {
    Kubectl.Result patch = kubectl.run("patch", "dsp", "baseline", "--type=merge",
        "-p={\"spec\":{\"admission\":{\"action\":\"" + action + "\"}}}");
    assertThat(patch.exitCode()).as(patch.toString()).isZero();
  }

  private String mirrorPodName() {
    return cluster.client.pods().inNamespace(ns).list().getItems().stream()
        .filter(p -> p.getMetadata().getAnnotations() != null
            && p.getMetadata().getAnnotations().containsKey("kubernetes.io/config.mirror"))
        .map(p -> p.getMetadata().getName()).findFirst().orElse(null);
  }

  @Test
  @Order(1)
  void whatIsLetInUnderAuditIsReportedOnceEnforcingAgain() throws Exception {
    setBaselineAction("Audit");
    Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      Kubectl.Result run = kubectl.run("run", "priv", "-n", ns, "--image=" + E2eCluster.PAUSE_IMAGE,
          "--restart=Never", "--overrides=" + PRIVILEGED);
      assertThat(run.exitCode()).as(run.toString()).isZero();
    });
    setBaselineAction("Enforce");
    String staticDir = System.getProperty("e2e.staticPodDir", "");
    if (!staticDir.isEmpty()) {
      // placed under Enforce: the kubelet runs it whatever admission says, and the webhook admits its mirror pod (a
      // refused mirror would only hide it) for the audit to report
      staticPod = Path.of(staticDir, "dg-e2e-static.yaml");
      Files.writeString(staticPod, """
          apiVersion: v1
          kind: Pod
          metadata: {name: static-priv, namespace: %s}
          spec:
            containers:
            - {name: debug, image: %s, securityContext: {privileged: true}}
          """.formatted(ns, E2eCluster.PAUSE_IMAGE));
      Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> mirrorPodName() != null);
    }
    int expected = staticPod == null ? 1 : 2;

    Awaitility.await().atMost(AUDIT).untilAsserted(() -> {
      // -o wide: the report CRD shows the resource's kind and name at priority 1
      Kubectl.Result polr = kubectl.run("get", "polr", "-n", ns, "-o", "wide");
      assertThat(polr.exitCode()).as(polr.toString()).isZero();
      assertThat(polr.out().lines().skip(1).filter(l -> !l.isBlank()).count()).as(polr.toString())
          .isEqualTo(expected);
      assertThat(polr.out()).as(polr.toString())
          .containsPattern("(?m)^\\S+\\s+Pod\\s+priv\\s+0\\s+1\\s+0\\s+0\\s+0\\s");
      Kubectl.Result describe = kubectl.run("describe", "pod", "priv", "-n", ns);
      assertThat(describe.out()).as(describe.toString()).containsPattern(
          "Warning\\s+PolicyViolation\\s+.*daemonguard-operator\\s+Enforce: \\[privileged-container\\]"
              + " spec.containers\\[0\\].securityContext.privileged");
      Kubectl.Result dsp = kubectl.run("get", "dsp", "baseline");
      assertThat(dsp.out()).as(dsp.toString())
          .containsPattern("(?m)^baseline\\s+Enforce\\s+True\\s+" + expected + "\\s+(\\d+\\s+)?\\S+\\s*$");
    });
    Kubectl.Result describe = kubectl.run("describe", "dsp", "baseline");
    assertThat(describe.out()).as(describe.toString()).containsPattern("Violations:\\s+" + expected)
        .containsPattern("(?i)privileged.{0,4}container:\\s+" + expected).contains("Last Completed:");
  }

  @Test
  @Order(2)
  void whenTheyGoTheCountAndTheReportsGoToo() throws Exception {
    Kubectl.Result delete = kubectl.run("delete", "pod", "priv", "-n", ns, "--wait=true");
    assertThat(delete.exitCode()).as(delete.toString()).isZero();
    if (staticPod != null) {
      Files.delete(staticPod);
      staticPod = null;
      Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> mirrorPodName() == null);
    }
    Awaitility.await().atMost(AUDIT).untilAsserted(() -> {
      Kubectl.Result polr = kubectl.run("get", "polr", "-n", ns);
      assertThat(polr.out() + polr.err()).as(polr.toString()).contains("No resources found");
      Kubectl.Result dsp = kubectl.run("get", "dsp", "baseline");
      assertThat(dsp.out()).as(dsp.toString()).containsPattern("(?m)^baseline\\s+Enforce\\s+True\\s+0\\s+(\\d+\\s+)?\\S+\\s*$");
    });
  }
}
