package io.daemonguard.cli;

import static io.daemonguard.cli.CheckRun.check;
import static io.daemonguard.cli.CheckRun.fixture;
import static io.daemonguard.cli.CheckRun.violations;
import static io.daemonguard.cli.CheckRun.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code -o json}: one array, one element per object, the contract's fields, the field paths of the mission. */
class CheckJsonOutputTest {

  @TempDir Path dir;

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Test
  void deniedPodHasEveryContractField() {
    Path file = fixture("privileged-pod.yaml");
    CheckRun run = check("-o", "json", file.toString());
    assertThat(run.exitCode()).as("%s", run).isEqualTo(1);
    List<JsonNode> results = run.json();
    assertThat(results).hasSize(1);
    JsonNode pod = results.get(0);
    assertThat(fieldNames(pod)).containsExactly("file", "kind", "namespace", "name", "allowed", "violations");
    assertThat(pod.path("file").textValue()).isEqualTo(file.toString());
    assertThat(pod.path("kind").textValue()).isEqualTo("Pod");
    assertThat(pod.path("namespace").textValue()).isEqualTo("default");
    assertThat(pod.path("name").textValue()).isEqualTo("debug");
    assertThat(pod.path("allowed").isBoolean()).isTrue();
    assertThat(pod.path("allowed").booleanValue()).isFalse();
    assertThat(pod.path("violations").isArray()).isTrue();
    assertThat(pod.path("violations")).hasSize(1);
    JsonNode violation = pod.path("violations").get(0);
    assertThat(fieldNames(violation))
        .containsExactly("rule", "message", "path", "container", "action", "policies");
    assertThat(violation.path("rule").textValue()).isEqualTo("privileged-container");
    assertThat(violation.path("path").textValue()).isEqualTo("spec.containers[1].securityContext.privileged");
    assertThat(violation.path("container").textValue()).isEqualTo("shell");
    assertThat(violation.path("message").textValue()).contains("\"shell\"").contains("privileged");
    assertThat(violation.path("action").textValue()).isEqualTo("Enforce");
    assertThat(violation.path("policies")).hasSize(1);
    assertThat(violation.path("policies").get(0).textValue()).isEqualTo("daemonguard-default");
  }

  @Test
  void cleanObjectHasAnEmptyViolationsArray() {
    CheckRun run = check("-o", "json", fixture("clean-pod.yaml").toString());
    assertThat(run.exitCode()).as("%s", run).isEqualTo(0);
    JsonNode pod = run.object("web");
    assertThat(pod.path("allowed").booleanValue()).isTrue();
    assertThat(pod.path("violations").isArray()).isTrue();
    assertThat(pod.path("violations")).isEmpty();
  }

  @Test
  void oneArrayWithOneElementPerObjectAcrossFiles() {
    CheckRun run = check("-o", "json", fixture("multi.yaml").toString(), fixture("list.json").toString(),
        fixture("clean-pod.yaml").toString());
    assertThat(run.exitCode()).as("%s", run).isEqualTo(1);
    assertThat(run.json()).hasSize(3 + 2 + 1);
  }

  @Test
  void noObjectsIsAnEmptyArray() {
    Path file = write(dir.resolve("comments.yaml"), "# nothing here\n");
    CheckRun run = check("-o", "json", file.toString());
    assertThat(run.exitCode()).as("%s", run).isEqualTo(0);
    assertThat(run.json()).isEmpty();
  }

  @Test
  void namespaceDefaultsToDefaultAndIsTheManifestsWhenGiven() {
    CheckRun run = check("-o", "json", fixture("multi.yaml").toString());
    assertThat(run.object("settings").path("namespace").textValue()).isEqualTo("default");
    assertThat(run.object("first").path("namespace").textValue()).isEqualTo("team-a");
    assertThat(run.object("second").path("namespace").textValue()).isEqualTo("default");
  }

  @Test
  void namespaceOptionChangesTheDefaultOnly() {
    CheckRun run = check("-o", "json", "--namespace", "staging", fixture("multi.yaml").toString());
    assertThat(run.exitCode()).as("%s", run).isEqualTo(1);
    assertThat(run.object("settings").path("namespace").textValue()).isEqualTo("staging");
    assertThat(run.object("first").path("namespace").textValue()).isEqualTo("team-a");
    assertThat(run.object("second").path("namespace").textValue()).isEqualTo("staging");
  }

  @Test
  void persistentVolumeIsClusterScopedWithNullNamespace() {
    CheckRun run = check("-o", "json", "--namespace", "staging", fixture("pv-var-run.yaml").toString());
    assertThat(run.exitCode()).as("%s", run).isEqualTo(1);
    JsonNode pv = run.object("run-pv");
    assertThat(pv.has("namespace")).as("the field is present").isTrue();
    assertThat(pv.path("namespace").isNull()).as("namespace of a PersistentVolume: %s", pv).isTrue();
    assertThat(pv.path("kind").textValue()).isEqualTo("PersistentVolume");
    assertThat(pv.path("allowed").booleanValue()).isFalse();
    assertThat(violations(pv)).containsExactly("runtime-socket-mount spec.hostPath.path -");
    JsonNode violation = pv.path("violations").get(0);
    assertThat(violation.has("container")).isTrue();
    assertThat(violation.path("container").isNull()).isTrue();
    assertThat(violation.path("message").textValue()).contains("/var/run");
  }

  @Test
  void kubeSystemObjectsAreAllowedByTheDefaultPolicy() {
    CheckRun run = check("-o", "json", fixture("kube-system-pod.yaml").toString());
    assertThat(run.exitCode()).as("%s", run).isEqualTo(0);
    JsonNode pod = run.object("node-agent");
    assertThat(pod.path("namespace").textValue()).isEqualTo("kube-system");
    assertThat(pod.path("allowed").booleanValue()).isTrue();
    assertThat(pod.path("violations")).isEmpty();
  }

  @Test
  void namespaceOptionKubeSystemExemptsObjectsWithoutNamespace() {
    Path privileged = fixture("privileged-pod.yaml");
    assertThat(check(privileged.toString()).exitCode()).isEqualTo(1);
    CheckRun run = check("-o", "json", "--namespace", "kube-system", privileged.toString());
    assertThat(run.exitCode()).as("%s", run).isEqualTo(0);
    assertThat(run.object("debug").path("namespace").textValue()).isEqualTo("kube-system");
    assertThat(run.object("debug").path("allowed").booleanValue()).isTrue();
  }

  @Test
  void kubeSystemExemptionDoesNotCoverLookalikeNamespaces() {
    Path file = write(dir.resolve("lookalike.yaml"), """
        kind: Pod
        metadata: {name: sneaky, namespace: kube-system-2}
        spec:
          containers: [{name: c, image: x, securityContext: {privileged: true}}]
        """);
    CheckRun run = check("-o", "json", file.toString());
    assertThat(run.exitCode()).as("%s", run).isEqualTo(1);
    assertThat(run.object("sneaky").path("allowed").booleanValue()).isFalse();
  }

  @Test
  void generateNameStandsInForAMissingName() {
    Path file = write(dir.resolve("generated.yaml"), """
        kind: Job
        metadata: {generateName: migrate-}
        spec:
          template:
            spec:
              restartPolicy: Never
              containers: [{name: c, image: x}]
        """);
    CheckRun run = check("-o", "json", file.toString());
    assertThat(run.exitCode()).as("%s", run).isEqualTo(0);
    assertThat(run.json().get(0).path("name").textValue()).isEqualTo("migrate-");
  }

  @Test
  void deploymentMountingRootSpelledDoubleSlash() {
    Path file = fixture("root-deployment.yaml");
    CheckRun run = check("-o", "json", file.toString());
    assertThat(run.exitCode()).as("%s", run).isEqualTo(1);
    JsonNode deployment = run.object("rooted");
    assertThat(deployment.path("kind").textValue()).isEqualTo("Deployment");
    assertThat(deployment.path("namespace").textValue()).isEqualTo("prod");
    assertThat(deployment.path("allowed").booleanValue()).isFalse();
    assertThat(violations(deployment)).containsExactly(
        "host-root-mount spec.template.spec.volumes[0].hostPath.path agent",
        "runtime-socket-mount spec.template.spec.volumes[0].hostPath.path agent");
    assertThat(deployment.path("violations").get(0).path("message").textValue())
        .contains("root filesystem").contains("\"//\"");
  }

  @Test
  void cronJobV1beta1MountingTheDockerSocket() {
    CheckRun run = check("-o", "json", fixture("cronjob-docker-sock.yaml").toString());
    assertThat(run.exitCode()).as("%s", run).isEqualTo(1);
    JsonNode cron = run.object("image-builder");
    assertThat(cron.path("kind").textValue()).isEqualTo("CronJob");
    assertThat(cron.path("namespace").textValue()).isEqualTo("ci");
    assertThat(violations(cron)).containsExactly(
        "runtime-socket-mount spec.jobTemplate.spec.template.spec.volumes[0].hostPath.path docker");
    assertThat(cron.path("violations").get(0).path("message").textValue()).contains("docker.sock");
  }

  @Test
  void persistentVolumeLocalSourceIsCheckedToo() {
    Path file = write(dir.resolve("pv-local.json"), """
        {"apiVersion": "v1", "kind": "PersistentVolume", "metadata": {"name": "local-root"},
         "spec": {"local": {"path": "/tmp/../.."}, "capacity": {"storage": "1Gi"}}}
        """);
    CheckRun run = check("-o", "json", file.toString());
    assertThat(run.exitCode()).as("%s", run).isEqualTo(1);
    assertThat(violations(run.object("local-root"))).containsExactly(
        "host-root-mount spec.local.path -", "runtime-socket-mount spec.local.path -");
  }

  @Test
  void everyViolationOfOneObjectIsListed() {
    Path file = write(dir.resolve("everything.yaml"), """
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: everything, namespace: ops}
        spec:
          selector: {matchLabels: {a: b}}
          template:
            metadata: {labels: {a: b}}
            spec:
              initContainers:
              - {name: setup, image: x, securityContext: {privileged: true}}
              containers:
              - name: main
                image: x
                volumeMounts: [{name: host, mountPath: /host}, {name: sock, mountPath: /sock}]
              - name: side
                image: x
                volumeMounts: [{name: sock, mountPath: /sock}]
              volumes:
              - {name: logs, hostPath: {path: /var/log}}
              - {name: host, hostPath: {path: /.}}
              - {name: sock, hostPath: {path: /run/containerd/containerd.sock}}
        """);
    CheckRun run = check("-o", "json", file.toString());
    assertThat(run.exitCode()).as("%s", run).isEqualTo(1);
    assertThat(violations(run.object("everything"))).containsExactly(
        "host-root-mount spec.template.spec.volumes[1].hostPath.path main",
        "privileged-container spec.template.spec.initContainers[0].securityContext.privileged setup",
        "runtime-socket-mount spec.template.spec.volumes[1].hostPath.path main",
        "runtime-socket-mount spec.template.spec.volumes[2].hostPath.path main,side");
  }

  @Test
  void jsonStdoutIsStillOneArrayWhenInputIsBad() {
    Path missing = dir.resolve("missing.yaml");
    CheckRun run = check("-o", "json", fixture("clean-pod.yaml").toString(), missing.toString());
    assertThat(run.exitCode()).as("%s", run).isEqualTo(2);
    assertThat(run.json()).hasSize(1);
    assertThat(run.out()).doesNotContain("daemonguard check:");
    assertThat(run.err()).contains(missing.toString());
  }
}
