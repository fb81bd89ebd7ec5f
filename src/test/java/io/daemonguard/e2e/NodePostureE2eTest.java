package io.daemonguard.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonguard.api.DaemonSecurityPolicy;
import io.daemonguard.api.NodeDaemonPosture;
import io.daemonguard.api.NodeDaemonPostureStatus;
import io.daemonguard.api.PostureFindingStatus;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
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
 * Node posture in the real cluster, with the node's own dockerd as the subject: made to listen on
 * tcp://127.0.0.1:2375 without TLS (e2e/cluster/dockerd-tcp.sh restarts it with live-restore), the finding shows in
 * {@code kubectl get ndp}, {@code kubectl describe node}, the policy's status, the node's label and the metrics; put
 * back, everything clears. A change of failOn re-judges without a scan; a scan that finds nothing new writes only the
 * posture's lastScan; a node whose scan cannot run is ScanFailed, never piles up scans, and is cleaned up when deleted.
 * The chart's operator and scan image do the work.
 */
@Tag("e2e")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NodePostureE2eTest {

  private static final String GHOST = "dg-e2e-ghost";
  private static final String OPEN_API = "docker-tcp-without-tls";
  private static final Duration SCAN = Duration.ofSeconds(150);

  private E2eCluster cluster;
  private final Kubectl kubectl = new Kubectl();
  private String node;
  private String originalFailOn;

  @BeforeAll
  void setUp() throws Exception {
    cluster = new E2eCluster();
    node = cluster.client.nodes().list().getItems().stream().map(n -> n.getMetadata().getName())
        .filter(n -> !n.equals(GHOST)).findFirst().orElseThrow();
    DaemonSecurityPolicy baseline = cluster.client.resources(DaemonSecurityPolicy.class).withName("baseline").get();
    assertThat(baseline).as("the chart's baseline policy").isNotNull();
    originalFailOn = baseline.getSpec().getNodes() == null ? "high" : baseline.getSpec().getNodes().getFailOn();
  }

  @AfterAll
  void tearDown() throws Exception {
    if (cluster != null) {
      dockerdTcp("off");
      setTaintNodes(false);
      setFailOn(originalFailOn == null ? "high" : originalFailOn);
      cluster.client.nodes().withName(GHOST).delete();
      cluster.client.close();
    }
  }

  // ---- helpers

  private static void dockerdTcp(String onOff) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("bash", "e2e/cluster/dockerd-tcp.sh", onOff).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("dockerd-tcp.sh " + onOff + " within 180 s").isTrue();
    assertThat(p.exitValue()).as("dockerd-tcp.sh " + onOff + ":\n" + out).isZero();
  }

  private void setFailOn(String failOn) {
    Kubectl.Result patch = kubectl.run("patch", "dsp", "baseline", "--type=merge",
        "-p={\"spec\":{\"nodes\":{\"failOn\":\"" + failOn + "\"}}}");
    assertThat(patch.exitCode()).as(patch.toString()).isZero();
  }

  private void setTaintNodes(boolean taint) {
    Kubectl.Result patch = kubectl.run("patch", "dsp", "baseline", "--type=merge",
        "-p={\"spec\":{\"nodes\":{\"remediation\":{\"taintNodes\":" + taint + "}}}}");
    assertThat(patch.exitCode()).as(patch.toString()).isZero();
  }

  private boolean tainted() {
    var taints = cluster.client.nodes().withName(node).get().getSpec().getTaints();
    return taints != null && taints.stream().anyMatch(t -> "daemonguard.io/daemon-posture".equals(t.getKey())
        && "noncompliant".equals(t.getValue()) && "NoSchedule".equals(t.getEffect()));
  }

  private NodeDaemonPosture posture(String name) {
    return cluster.client.resources(NodeDaemonPosture.class).withName(name).get();
  }

  private NodeDaemonPostureStatus status() {
    NodeDaemonPosture p = posture(node);
    return p == null ? null : p.getStatus();
  }

  /**
   * Asks for a scan now, as a person would, and waits until that very scan (its request value recorded in the
   * posture) has finished.
   */
  private NodeDaemonPostureStatus scanNow() {
    String value = Long.toString(System.nanoTime());
    Kubectl.Result annotate = kubectl.run("annotate", "node", node, "--overwrite",
        "daemonguard.io/scan-requested=" + value);
    assertThat(annotate.exitCode()).as(annotate.toString()).isZero();
    Awaitility.await().atMost(SCAN).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
      NodeDaemonPostureStatus s = status();
      assertThat(s).isNotNull();
      assertThat(s.getLastScanRequest()).as("the request answered").isEqualTo("node=" + value);
      assertThat(s.getConditions()).anySatisfy(c -> {
        assertThat(c.getType()).isEqualTo("Scanned");
        assertThat(c.getStatus()).as(c.getMessage()).isEqualTo("True");
      });
    });
    return status();
  }

  private static Set<String> checks(NodeDaemonPostureStatus status) {
    Set<String> checks = new HashSet<>();
    if (status.getFindings() != null) {
      status.getFindings().stream().filter(f -> !Boolean.TRUE.equals(f.getUnknown()))
          .map(PostureFindingStatus::getCheck).forEach(checks::add);
    }
    return checks;
  }

  private String nodeLabel() {
    Map<String, String> labels = cluster.client.nodes().withName(node).get().getMetadata().getLabels();
    return labels.get("daemonguard.io/daemon-posture");
  }

  private String describeNode() {
    Kubectl.Result describe = kubectl.run("describe", "node", node);
    assertThat(describe.exitCode()).as(describe.toString()).isZero();
    return describe.out();
  }

  private Map<String, Object> policyNodes() {
    GenericKubernetesResource dsp = cluster.client.genericKubernetesResources("daemonguard.io/v1alpha1",
        "DaemonSecurityPolicy").withName("baseline").get();
    @SuppressWarnings("unchecked")
    Map<String, Object> status = (Map<String, Object>) dsp.getAdditionalProperties().get("status");
    @SuppressWarnings("unchecked")
    Map<String, Object> nodes = status == null ? null : (Map<String, Object>) status.get("nodes");
    return nodes == null ? Map.of() : nodes;
  }

  /** The metrics text of the replica that leads (the node series are the leader's). */
  private String leaderMetrics() {
    for (Pod pod : cluster.client.pods().inNamespace(cluster.namespace).withLabels(cluster.operatorLabels()).list()
        .getItems()) {
      if (!cluster.running(pod)) {
        continue;
      }
      String text = cluster.client.raw("/api/v1/namespaces/" + cluster.namespace + "/pods/https:"
          + pod.getMetadata().getName() + ":8443/proxy/metrics");
      if (text != null && text.lines().anyMatch(l -> l.equals("daemonguard_operator_leader 1.0"))) {
        return text;
      }
    }
    return "";
  }

  private List<Event> nodeEvents(String reason) {
    return cluster.client.events().v1().events().inNamespace("default").list().getItems().stream()
        .filter(e -> e.getRegarding() != null && "Node".equals(e.getRegarding().getKind())
            && node.equals(e.getRegarding().getName()) && reason.equals(e.getReason()))
        .toList();
  }

  private List<Event> openApiEvents(String reason) {
    return nodeEvents(reason).stream().filter(e -> e.getNote() != null && e.getNote().startsWith(OPEN_API)).toList();
  }

  private static int count(List<Event> events) {
    return events.stream().mapToInt(e -> e.getDeprecatedCount() == null ? 1 : e.getDeprecatedCount()).sum();
  }

  private List<Job> scanJobs() {
    return cluster.client.batch().v1().jobs().inNamespace(cluster.namespace)
        .withLabel("app.kubernetes.io/component", "node-scan").list().getItems();
  }

  // ---- the tests

  @Test
  @Order(1)
  void everyNodeIsScannedAndItsPostureShownEverywhere() {
    // scanned unasked once the chart is installed
    Awaitility.await().atMost(SCAN).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
      NodeDaemonPostureStatus s = status();
      assertThat(s).as("ndp " + node).isNotNull();
      assertThat(s.getLastScan()).isNotNull();
    });
    // the node as it is now (a cluster kept from an earlier run keeps that run's last scan until the interval)
    scanNow();
    Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
      NodeDaemonPostureStatus s = status();
      assertThat(s.getRuntime()).contains("docker");
      assertThat(s.getCompliant()).isTrue();
      assertThat(nodeLabel()).isEqualTo("compliant");
    });
    Kubectl.Result get = kubectl.run("get", "ndp");
    assertThat(get.exitCode()).as(get.toString()).isZero();
    assertThat(get.out().lines().findFirst().orElse("")).contains("RUNTIME", "COMPLIANT", "CRITICAL", "HIGH", "MEDIUM",
        "LAST SCAN");
    assertThat(get.out()).containsPattern(node + "\\s.*docker.*true");
    Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      Map<String, Object> nodes = policyNodes();
      assertThat(((Number) nodes.get("selected")).intValue()).isGreaterThanOrEqualTo(1);
      assertThat(((Number) nodes.get("scanned")).intValue()).isGreaterThanOrEqualTo(1);
      assertThat(((Number) nodes.get("nonCompliant")).intValue()).isZero();
    });
    Kubectl.Result dsp = kubectl.run("get", "dsp", "baseline");
    assertThat(dsp.out().lines().findFirst().orElse("")).contains("NON-COMPLIANT");
  }

  @Test
  @Order(2)
  void anOpenDockerApiIsFoundEverywhereAndClearsWhenClosed() throws Exception {
    // Events of earlier runs may be there (the same message is counted on the same Event): each step adds one
    int foundBefore = count(openApiEvents("PostureFinding"));
    int clearedBefore = count(openApiEvents("PostureCleared"));
    dockerdTcp("on");
    NodeDaemonPostureStatus found = scanNow();
    assertThat(checks(found)).as("findings after dockerd listens on tcp://127.0.0.1:2375").contains(OPEN_API);
    assertThat(found.getCompliant()).isFalse();
    PostureFindingStatus open = found.getFindings().stream().filter(f -> OPEN_API.equals(f.getCheck())).findFirst()
        .orElseThrow();
    assertThat(open.getEvidence()).anySatisfy(e -> assertThat(e).contains("2375"));
    assertThat(open.getRemediation()).isNotBlank();
    Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(nodeLabel()).isEqualTo("noncompliant");
      assertThat(count(openApiEvents("PostureFinding"))).as("one PostureFinding Event more").isEqualTo(foundBefore + 1);
      assertThat(describeNode()).contains("PostureFinding").contains(OPEN_API);
      assertThat(((Number) policyNodes().get("nonCompliant")).intValue()).isEqualTo(1);
      assertThat(leaderMetrics()).contains("daemonguard_node_posture_findings{check=\"" + OPEN_API + "\",node=\""
          + node + "\",severity=\"critical\"} 1.0");
      assertThat(leaderMetrics()).contains("daemonguard_node_compliant{node=\"" + node + "\"} 0.0");
    });
    Kubectl.Result get = kubectl.run("get", "ndp", node);
    assertThat(get.out()).containsPattern(node + "\\s.*false");
    Kubectl.Result reports = kubectl.run("get", "cpolr", "-l", "daemonguard.io/report-for=node", "-o", "yaml");
    assertThat(reports.out()).contains(OPEN_API).contains("result: fail");

    dockerdTcp("off");
    NodeDaemonPostureStatus cleared = scanNow();
    assertThat(checks(cleared)).doesNotContain(OPEN_API);
    assertThat(cleared.getCompliant()).isTrue();
    Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(nodeLabel()).isEqualTo("compliant");
      assertThat(count(openApiEvents("PostureCleared"))).as("one PostureCleared Event more").isEqualTo(clearedBefore + 1);
      assertThat(count(openApiEvents("PostureFinding"))).isEqualTo(foundBefore + 1);
      assertThat(describeNode()).contains("PostureCleared");
      assertThat(((Number) policyNodes().get("nonCompliant")).intValue()).isZero();
      assertThat(leaderMetrics()).doesNotContain("daemonguard_node_posture_findings{check=\"" + OPEN_API + "\",node=\""
          + node + "\",severity=\"critical\"}")
          .contains("daemonguard_node_compliant{node=\"" + node + "\"} 1.0");
    });
  }

  @Test
  @Order(3)
  void aScanThatFindsNothingNewWritesOnlyTheLastScanTime() {
    NodeDaemonPostureStatus before = scanNow();
    String dspVersion = cluster.client.resources(DaemonSecurityPolicy.class).withName("baseline").get().getMetadata()
        .getResourceVersion();
    int findingsEvents = count(nodeEvents("PostureFinding"));
    int clearedEvents = count(nodeEvents("PostureCleared"));
    String label = nodeLabel();
    String nodeUid = cluster.client.nodes().withName(node).get().getMetadata().getUid();
    var reports = cluster.client.genericKubernetesResources("wgpolicyk8s.io/v1alpha2", "ClusterPolicyReport");
    String reportVersion = reports.withName(nodeUid).get().getMetadata().getResourceVersion();
    java.util.concurrent.atomic.AtomicInteger postureWrites = new java.util.concurrent.atomic.AtomicInteger();
    var watch = cluster.client.resources(NodeDaemonPosture.class).withName(node).watch(
        new io.fabric8.kubernetes.client.Watcher<NodeDaemonPosture>() {
          @Override
          public void eventReceived(Action action, NodeDaemonPosture resource) {
            if (action == Action.MODIFIED) {
              postureWrites.incrementAndGet();
            }
          }

          @Override
          public void onClose(io.fabric8.kubernetes.client.WatcherException cause) {
          }
        });

    NodeDaemonPostureStatus after;
    try {
      after = scanNow();
      // a moment for anything that would follow
      Thread.sleep(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    } finally {
      watch.close();
    }
    assertThat(postureWrites.get()).as("writes of the posture: its lastScan (and the request answered), once")
        .isEqualTo(1);
    assertThat(reports.withName(nodeUid).get().getMetadata().getResourceVersion()).as("the node's report")
        .isEqualTo(reportVersion);
    assertThat(after.getLastScan()).isNotEqualTo(before.getLastScan());
    assertThat(after.getFactsDigest()).as("the node did not change between the two scans")
        .isEqualTo(before.getFactsDigest());
    assertThat(after.getFindings()).usingRecursiveComparison().isEqualTo(before.getFindings());
    Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(cluster.client.resources(DaemonSecurityPolicy.class).withName("baseline").get().getMetadata()
          .getResourceVersion()).as("the policy's status is not written").isEqualTo(dspVersion);
      assertThat(count(nodeEvents("PostureFinding"))).as("no PostureFinding Event").isEqualTo(findingsEvents);
      assertThat(count(nodeEvents("PostureCleared"))).as("no PostureCleared Event").isEqualTo(clearedEvents);
      assertThat(nodeLabel()).isEqualTo(label);
    });
  }

  @Test
  @Order(4)
  void aStricterFailOnChangesComplianceWithoutANewScanAndTaintsWhenAsked() {
    NodeDaemonPostureStatus before = status();
    assertThat(before.getFindings()).as("this node has a medium finding to be judged by a stricter failOn")
        .anySatisfy(f -> assertThat(f.getSeverity()).isEqualTo("medium"));
    setFailOn("medium");
    Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(status().getCompliant()).isFalse();
      assertThat(nodeLabel()).isEqualTo("noncompliant");
      assertThat(((Number) policyNodes().get("nonCompliant")).intValue()).isEqualTo(1);
    });
    assertThat(status().getLastScan()).as("judged again from the stored facts, not scanned").isEqualTo(
        before.getLastScan());
    assertThat(status().getFactsDigest()).isEqualTo(before.getFactsDigest());
    assertThat(tainted()).as("no taint unless the policy asks for one").isFalse();
    // the policy asks for the taint: the non-compliant node gets it; compliant again, it loses it
    try {
      setTaintNodes(true);
      Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(tainted()).isTrue());
      setFailOn("high");
      Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        assertThat(status().getCompliant()).isTrue();
        assertThat(nodeLabel()).isEqualTo("compliant");
        assertThat(tainted()).as("the taint goes with the non-compliance").isFalse();
      });
    } finally {
      setTaintNodes(false);
      setFailOn("high");
    }
    assertThat(status().getLastScan()).isEqualTo(before.getLastScan());
  }

  @Test
  @Order(5)
  void aNodeWhoseScanCannotRunIsScanFailedWithoutPileUpAndCleanedUpWhenDeleted() {
    // a Node object with no kubelet behind it: its scan pod can never run
    cluster.client.nodes().resource(new NodeBuilder().withNewMetadata().withName(GHOST)
        .addToLabels("kubernetes.io/hostname", GHOST).endMetadata().build()).create();
    Set<String> ghostJobs = new HashSet<>();
    int[] mostAtOnce = {0};
    Awaitility.await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
      List<Job> jobs = scanJobs().stream().filter(j -> GHOST.equals(j.getMetadata().getAnnotations()
          .get("daemonguard.io/node"))).toList();
      jobs.forEach(j -> ghostJobs.add(j.getMetadata().getUid()));
      mostAtOnce[0] = Math.max(mostAtOnce[0], jobs.size());
      for (Job j : jobs) {
        // the scan pod holds no API credential at all
        var spec = j.getSpec().getTemplate().getSpec();
        assertThat(spec.getAutomountServiceAccountToken()).isFalse();
        assertThat(spec.getVolumes()).noneSatisfy(v -> assertThat(v.getProjected()).isNotNull());
        assertThat(spec.getVolumes()).allSatisfy(v -> {
          if (v.getHostPath() != null) {
            assertThat(spec.getContainers().get(0).getVolumeMounts()).filteredOn(m -> m.getName().equals(v.getName()))
                .allSatisfy(m -> assertThat(m.getReadOnly()).as("hostPath " + v.getHostPath().getPath()).isTrue());
          }
        });
      }
      NodeDaemonPosture ghost = posture(GHOST);
      assertThat(ghost).isNotNull();
      assertThat(ghost.getStatus()).isNotNull();
      assertThat(ghost.getStatus().getConditions()).anySatisfy(c -> {
        assertThat(c.getType()).isEqualTo("Scanned");
        assertThat(c.getStatus()).isEqualTo("False");
        assertThat(c.getReason()).isEqualTo("ScanFailed");
      });
    });
    assertThat(mostAtOnce[0]).as("scan Jobs of one node at once").isLessThanOrEqualTo(1);
    Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(scanJobs()).as("the failed scan's Job is deleted").noneSatisfy(j ->
            assertThat(j.getMetadata().getAnnotations().get("daemonguard.io/node")).isEqualTo(GHOST)));
    Kubectl.Result describe = kubectl.run("describe", "node", GHOST);
    assertThat(describe.out()).contains("ScanFailed");
    Kubectl.Result cannot = kubectl.run("auth", "can-i", "patch", "nodedaemonpostures.daemonguard.io",
        "--as=system:serviceaccount:" + cluster.namespace + ":" + cluster.release + "-operator-scan");
    assertThat(cannot.out().strip()).as("the scan's ServiceAccount writes no posture").isEqualTo("no");

    Node ghost = cluster.client.nodes().withName(GHOST).get();
    cluster.client.nodes().withName(GHOST).delete();
    Awaitility.await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
      assertThat(posture(GHOST)).as("the deleted node's posture").isNull();
      assertThat(scanJobs()).noneSatisfy(j ->
          assertThat(j.getMetadata().getAnnotations().get("daemonguard.io/node")).isEqualTo(GHOST));
      assertThat(cluster.client.genericKubernetesResources("wgpolicyk8s.io/v1alpha2", "ClusterPolicyReport")
          .withName(ghost.getMetadata().getUid()).get()).isNull();
      assertThat(((Number) policyNodes().get("selected")).intValue()).isEqualTo(1);
    });
  }
}
