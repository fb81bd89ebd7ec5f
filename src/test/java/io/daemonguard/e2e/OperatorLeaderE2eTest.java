package io.daemonguard.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonguard.api.AdmissionSpec;
import io.daemonguard.api.DaemonSecurityPolicy;
import io.daemonguard.api.DaemonSecurityPolicySpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Of the operator's two replicas exactly one acts; when it dies, the other acts within the lease's duration. "Acts" is
 * observed, not inferred from the Lease: a policy created after the leader's end must get its status from the other.
 *
 * <p>A leader that stops without a word is the hard case: on the local cluster its container is frozen through the
 * node's dockerd ({@code docker pause}: no shutdown hook runs, the lease is not released, the kubelet does not restart
 * it). When it thaws it finds the lease gone and must exit rather than act beside the new leader. Elsewhere the pod is
 * force-deleted instead. A leader deleted the usual way hands the lease over as it stops.
 */
@Tag("e2e")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OperatorLeaderE2eTest {

  /** The chart's lease settings (java-operator-sdk's defaults): 15 s lease, 2 s retry with fabric8's 1.2 jitter. */
  private static final Duration LEASE = Duration.ofSeconds(15);
  private static final Duration RETRY_WITH_JITTER = Duration.ofMillis(4400);

  private E2eCluster cluster;
  private final boolean local = "local".equals(System.getProperty("e2e.cluster", ""));

  @BeforeAll
  void setUp() throws Exception {
    cluster = new E2eCluster();
  }

  @AfterAll
  void tearDown() {
    if (cluster != null) {
      cluster.client.resources(DaemonSecurityPolicy.class).withLabel("daemonguard.io/e2e", "handover").delete();
      cluster.client.close();
    }
  }

  private List<Pod> readyOperators() {
    return cluster.client.pods().inNamespace(cluster.namespace).withLabels(cluster.operatorLabels()).list().getItems()
        .stream().filter(E2eCluster::ready).toList();
  }

  /** The Lease's holder: {@code <pod>_<per-process id>}, or null when released. */
  private String holder() {
    Lease lease = cluster.client.leases().inNamespace(cluster.namespace).withName(cluster.release + "-operator").get();
    return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
  }

  /** The Lease's renewTime, or its acquireTime. */
  private java.time.Instant leaseTime(boolean renew) {
    Lease lease = cluster.client.leases().inNamespace(cluster.namespace).withName(cluster.release + "-operator").get();
    return (renew ? lease.getSpec().getRenewTime() : lease.getSpec().getAcquireTime()).toInstant();
  }

  private static boolean holds(Pod pod, String holder) {
    return holder != null && holder.startsWith(pod.getMetadata().getName() + "_");
  }

  private double leaderGauge(Pod pod) {
    String text = cluster.client.raw("/api/v1/namespaces/" + cluster.namespace + "/pods/https:"
        + pod.getMetadata().getName() + ":8443/proxy/metrics");
    return text.lines().filter(l -> l.startsWith("daemonguard_operator_leader "))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.indexOf(' ') + 1))).findFirst().orElse(-1);
  }

  /** Two ready replicas, the Lease held by one of them, and their own gauges agreeing: one leads, one stands by. */
  private List<Pod> twoReadyWithOneLeader() {
    Awaitility.await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
      List<Pod> pods = readyOperators();
      assertThat(pods).hasSize(2);
      String holder = holder();
      assertThat(pods).filteredOn(p -> holds(p, holder)).hasSize(1);
      assertThat(pods).extracting(this::leaderGauge).as("daemonguard_operator_leader of each replica")
          .containsExactlyInAnyOrder(1.0, 0.0);
    });
    return readyOperators();
  }

  private DaemonSecurityPolicy newPolicy(String name) {
    DaemonSecurityPolicy policy = new DaemonSecurityPolicy();
    policy.setMetadata(new ObjectMetaBuilder().withName(name).addToLabels("daemonguard.io/e2e", "handover").build());
    DaemonSecurityPolicySpec spec = new DaemonSecurityPolicySpec();
    AdmissionSpec admission = new AdmissionSpec();
    admission.setAction("Enforce");
    spec.setAdmission(admission);
    policy.setSpec(spec);
    return policy;
  }

  private boolean judged(String name) {
    DaemonSecurityPolicy policy = cluster.client.resources(DaemonSecurityPolicy.class).withName(name).get();
    return policy != null && policy.getStatus() != null && policy.getStatus().getObservedGeneration() != null;
  }

  private static String docker(String... args) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>(List.of("docker"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes()).trim();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("docker " + String.join(" ", args) + ": " + out).isZero();
    return out;
  }

  private static String containerOf(Pod pod) throws IOException, InterruptedException {
    String ids = docker("ps", "-q", "--filter", "label=io.kubernetes.pod.uid=" + pod.getMetadata().getUid(),
        "--filter", "label=io.kubernetes.container.name=operator");
    assertThat(ids).as("the operator container of " + pod.getMetadata().getName() + " on the node").isNotEmpty();
    return ids.lines().findFirst().orElseThrow();
  }

  @Test
  void whenTheLeaderHangsTheOtherReplicaActsWithinTheLeaseDurationAndTheOldOneStepsDown() throws Exception {
    List<Pod> pods = twoReadyWithOneLeader();
    String old = holder();
    Pod leader = pods.stream().filter(p -> holds(p, old)).findFirst().orElseThrow();
    Pod standby = pods.stream().filter(p -> !holds(p, old)).findFirst().orElseThrow();
    String frozen = null;

    long start = System.nanoTime();
    if (local) {
      frozen = containerOf(leader);
      docker("pause", frozen);
    } else {
      cluster.client.pods().inNamespace(cluster.namespace).withName(leader.getMetadata().getName())
          .withGracePeriod(0).delete();
    }
    // the frozen leader's last sign of life: its last renewal, which nobody can move now
    java.time.Instant lastRenewal = leaseTime(true);
    try {
      cluster.client.resources(DaemonSecurityPolicy.class).resource(newPolicy("dg-e2e-handover-hang")).create();
      Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
          .until(() -> judged("dg-e2e-handover-hang"));
      long took = (System.nanoTime() - start) / 1_000_000;

      assertThat(holds(standby, holder())).as("the standby holds the lease: " + holder()).isTrue();
      long afterLastRenewal = Duration.between(lastRenewal, leaseTime(false)).toMillis();
      System.out.printf("leader %s: the standby took the lease %d ms after the leader's last renewal (lease %d s),"
          + " and had judged a new policy %d ms after the %s%n", local ? "frozen (docker pause)" : "force-deleted",
          afterLastRenewal, LEASE.toSeconds(), took, local ? "freeze" : "delete");
      // 18.8 s seen in a clean-clone CI run on a busy machine: 2 s of slack over the lease and one jittered retry
      assertThat(afterLastRenewal).as("taken when the lease ran out, within one retry")
          .isBetween(LEASE.toMillis() - 1000, LEASE.plus(RETRY_WITH_JITTER).toMillis() + 2000);
      assertThat(took).as("a new policy judged within the lease duration plus one retry")
          .isLessThan(LEASE.plus(RETRY_WITH_JITTER).plusSeconds(2).toMillis());
    } finally {
      if (frozen != null) {
        docker("unpause", frozen);
      }
    }
    if (local) {
      // thawed, it learns at its next renewal that the lease is gone, and exits: the kubelet counts a restart
      Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        Pod again = cluster.client.pods().inNamespace(cluster.namespace).withName(leader.getMetadata().getName())
            .get();
        assertThat(again.getStatus().getContainerStatuses().get(0).getRestartCount()).isPositive();
      });
      String previous = cluster.client.pods().inNamespace(cluster.namespace).withName(leader.getMetadata().getName())
          .inContainer("operator").terminated().getLog();
      assertThat(previous).as("the thawed leader's last words").contains("lost the lease; exiting");
      assertThat(holds(standby, holder())).as("the old leader did not take the lease back").isTrue();
    }
  }

  @Test
  void whenTheLeaderIsDeletedItHandsTheLeaseOverAsItStops() {
    List<Pod> pods = twoReadyWithOneLeader();
    String old = holder();
    Pod leader = pods.stream().filter(p -> holds(p, old)).findFirst().orElseThrow();
    Pod standby = pods.stream().filter(p -> !holds(p, old)).findFirst().orElseThrow();

    long start = System.nanoTime();
    cluster.client.pods().inNamespace(cluster.namespace).withName(leader.getMetadata().getName()).delete();
    // the old leader still acts until SIGTERM reaches it; the policy is created once it has let go
    Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
        .until(() -> holds(standby, holder()));
    long handedOver = (System.nanoTime() - start) / 1_000_000;
    cluster.client.resources(DaemonSecurityPolicy.class).resource(newPolicy("dg-e2e-handover-delete")).create();
    Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
        .until(() -> judged("dg-e2e-handover-delete"));

    System.out.printf("leader deleted (SIGTERM): the standby held the lease %d ms later (released on stop)%n",
        handedOver);
    assertThat(handedOver).as("a released lease is taken within a retry or two, not a lease duration")
        .isLessThan(LEASE.toMillis());
  }
}
