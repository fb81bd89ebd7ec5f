package io.daemonguard.operator.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScanJobsTest {

  private static final String TEMPLATE = """
      metadata:
        labels: {app.kubernetes.io/instance: dg}
      spec:
        serviceAccountName: dg-scan
        automountServiceAccountToken: false
        containers:
        - name: scan
          image: daemonguard:test
          args: [scan-node, --host-root=/host, -o, json, --exit-zero]
          env: [{name: NODE_NAME, value: wrong}]
      """;

  private static Node node(String name) {
    return new NodeBuilder().withNewMetadata().withName(name).withUid("uid-" + name).endMetadata().build();
  }

  @Test
  void theJobIsPinnedToItsNodeRunsOnceAndIsOwnedByTheNode(@TempDir Path dir) throws Exception {
    PodTemplateSpec template = ScanJobs.loadTemplate(Files.writeString(dir.resolve("pod.yaml"), TEMPLATE));
    Job job = ScanJobs.build(template, node("worker-1"), "dg-system", 120);

    assertThat(job.getMetadata().getNamespace()).isEqualTo("dg-system");
    assertThat(job.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
      assertThat(o.getKind()).isEqualTo("Node");
      assertThat(o.getUid()).isEqualTo("uid-worker-1");
    });
    assertThat(job.getSpec().getBackoffLimit()).isZero();
    assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(120);
    var pod = job.getSpec().getTemplate();
    assertThat(pod.getMetadata().getLabels()).containsEntry("app.kubernetes.io/instance", "dg")
        .containsEntry("app.kubernetes.io/component", "node-scan")
        .containsEntry("app.kubernetes.io/managed-by", "daemonguard");
    assertThat(pod.getMetadata().getAnnotations()).containsEntry(ScanJobs.NODE_ANNOTATION, "worker-1");
    assertThat(pod.getSpec().getRestartPolicy()).isEqualTo("Never");
    assertThat(pod.getSpec().getAutomountServiceAccountToken()).isFalse();
    var term = pod.getSpec().getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()
        .getNodeSelectorTerms();
    assertThat(term).singleElement().satisfies(t -> assertThat(t.getMatchFields()).singleElement()
        .satisfies(f -> {
          assertThat(f.getKey()).isEqualTo("metadata.name");
          assertThat(f.getValues()).containsExactly("worker-1");
        }));
    assertThat(pod.getSpec().getContainers().get(0).getEnv())
        .filteredOn(e -> e.getName().equals("NODE_NAME")).singleElement()
        .satisfies(e -> assertThat(e.getValue()).isEqualTo("worker-1"));
    // the template itself is not changed: the next node gets a clean copy
    assertThat(template.getSpec().getContainers().get(0).getEnv()).singleElement()
        .satisfies(e -> assertThat(e.getValue()).isEqualTo("wrong"));
    assertThat(ScanJobs.nodeOf(job)).isEqualTo("worker-1");
  }

  @Test
  void jobNamesAreStablePerNodeAndFitALabel() {
    String longName = "ip-10-0-0-1.eu-west-1.compute.internal.some-very-long-suffix-that-goes-on-and-on";
    assertThat(ScanJobs.jobName(longName)).hasSizeLessThanOrEqualTo(63).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?")
        .isEqualTo(ScanJobs.jobName(longName));
    assertThat(ScanJobs.jobName("a.b")).isNotEqualTo(ScanJobs.jobName("a-b"));
    assertThat(ScanJobs.jobName("Worker_1")).startsWith("dg-scan-worker-1-");
  }

  @Test
  void aBadTemplateIsNamedWithItsFile(@TempDir Path dir) throws Exception {
    Path empty = Files.writeString(dir.resolve("empty.yaml"), "spec: {}\n");
    assertThatThrownBy(() -> ScanJobs.loadTemplate(empty)).hasMessageContaining(empty.toString())
        .hasMessageContaining("spec.containers is empty");
    assertThatThrownBy(() -> ScanJobs.loadTemplate(dir.resolve("missing.yaml")))
        .hasMessageContaining("missing.yaml: cannot read");
    Path garbage = Files.writeString(dir.resolve("garbage.yaml"), "spec: [1, 2\n");
    assertThatThrownBy(() -> ScanJobs.loadTemplate(garbage)).hasMessageContaining("garbage.yaml");
  }

  @Test
  void aJobsStateIsReadAsTheJobControllerWroteIt() {
    Job running = new JobBuilder().withNewStatus().withActive(1).endStatus().build();
    Job done = new JobBuilder().withNewStatus().withSucceeded(1).endStatus().build();
    Job failed = new JobBuilder().withNewStatus().withConditions(new JobConditionBuilder().withType("Failed")
        .withStatus("True").withReason("DeadlineExceeded").withMessage("Job was active longer than specified deadline")
        .build()).endStatus().build();
    assertThat(ScanJobs.succeeded(running)).isFalse();
    assertThat(ScanJobs.failed(running)).isNull();
    assertThat(ScanJobs.succeeded(done)).isTrue();
    assertThat(ScanJobs.failed(failed)).isEqualTo("DeadlineExceeded: Job was active longer than specified deadline");
  }

  @Test
  void aPodThatCannotPullItsImageIsHopelessAndSaysWhy() {
    Pod pulling = new PodBuilder().withNewStatus().withPhase("Pending").withContainerStatuses(
        new ContainerStatusBuilder().withName("scan").withState(new ContainerStateBuilder().withNewWaiting()
            .withReason("ErrImageNeverPull").withMessage("Container image \"nope:1\" is not present")
            .endWaiting().build()).build()).endStatus().build();
    Pod creating = new PodBuilder().withNewStatus().withPhase("Pending").withContainerStatuses(
        new ContainerStatusBuilder().withName("scan").withState(new ContainerStateBuilder().withNewWaiting()
            .withReason("ContainerCreating").endWaiting().build()).build()).endStatus().build();
    Pod unschedulable = new PodBuilder().withNewStatus().withPhase("Pending").withConditions(
        new PodConditionBuilder().withType("PodScheduled").withStatus("False").withReason("Unschedulable")
            .withMessage("0/1 nodes are available: 1 Insufficient pods.").build()).endStatus().build();
    assertThat(ScanJobs.hopeless(pulling)).isTrue();
    assertThat(ScanJobs.podTrouble(pulling)).isEqualTo(
        "container scan waiting: ErrImageNeverPull (Container image \"nope:1\" is not present)");
    assertThat(ScanJobs.hopeless(creating)).isFalse();
    assertThat(ScanJobs.podTrouble(creating)).isNull();
    assertThat(ScanJobs.hopeless(unschedulable)).isFalse();
    assertThat(ScanJobs.podTrouble(unschedulable))
        .isEqualTo("not scheduled: Unschedulable (0/1 nodes are available: 1 Insufficient pods.)");
  }
}
