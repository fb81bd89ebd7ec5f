package io.daemonguard.cli;

import static io.daemonguard.cli.CheckRun.check;
import static io.daemonguard.cli.CheckRun.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The default text output: per object the verdict, file, kind and namespace/name, then each rule id and field. */
class CheckTextOutputTest {

  @Test
  void deniedObjectNamesFileKindNamespaceNameRulesAndPaths() {
    Path file = fixture("root-deployment.yaml");
    CheckRun run = check(file.toString());
    assertThat(run.exitCode()).as("%s", run).isEqualTo(1);
    List<String> lines = run.out().lines().toList();
    assertThat(lines).hasSize(4);
    assertThat(lines.get(0)).isEqualTo("DENY  " + file + ": Deployment prod/rooted");
    assertThat(lines.get(1))
        .contains("enforce")
        .contains("[host-root-mount] spec.template.spec.volumes[0].hostPath.path: ")
        .contains("(policy daemonguard-default)")
        .endsWith("container agent");
    assertThat(lines.get(2))
        .contains("[runtime-socket-mount] spec.template.spec.volumes[0].hostPath.path: ")
        .endsWith("container agent");
    assertThat(lines.get(3)).isEqualTo("1 object checked: 1 denied, 0 warned, 0 allowed");
  }

  @Test
  void cleanObjectIsAPassLineWithoutFindings() {
    Path file = fixture("clean-pod.yaml");
    CheckRun run = check(file.toString());
    assertThat(run.exitCode()).as("%s", run).isEqualTo(0);
    assertThat(run.out().lines()).containsExactly(
        "PASS  " + file + ": Pod default/web",
        "1 object checked: 0 denied, 0 warned, 1 allowed");
  }

  @Test
  void clusterScopedObjectHasNoNamespaceInItsName() {
    Path file = fixture("pv-var-run.yaml");
    CheckRun run = check(file.toString());
    assertThat(run.exitCode()).as("%s", run).isEqualTo(1);
    List<String> lines = run.out().lines().toList();
    assertThat(lines.get(0)).isEqualTo("DENY  " + file + ": PersistentVolume run-pv");
    assertThat(lines.get(1)).contains("[runtime-socket-mount] spec.hostPath.path: ")
        .endsWith("(policy daemonguard-default)");
  }

  @Test
  void summaryCountsEveryObject() {
    Path multi = fixture("multi.yaml");
    Path list = fixture("list.yaml");
    Path kubeSystem = fixture("kube-system-pod.yaml");
    CheckRun run = check(multi.toString(), list.toString(), kubeSystem.toString());
    assertThat(run.exitCode()).as("%s", run).isEqualTo(1);
    List<String> verdicts = run.out().lines().filter(l -> !l.startsWith(" ")).toList();
    assertThat(verdicts).containsExactly(
        "PASS  " + multi + ": ConfigMap default/settings",
        "PASS  " + multi + ": Pod team-a/first",
        "DENY  " + multi + ": Pod default/second",
        "PASS  " + list + ": Pod team-b/listed-clean",
        "DENY  " + list + ": DaemonSet team-b/listed-socket",
        "PASS  " + kubeSystem + ": Pod kube-system/node-agent",
        "6 objects checked: 2 denied, 0 warned, 4 allowed");
    assertThat(run.out())
        .contains("[privileged-container] spec.containers[0].securityContext.privileged")
        .contains("[runtime-socket-mount] spec.template.spec.volumes[0].hostPath.path");
  }

  @Test
  void everyFindingGetsItsOwnLine() {
    Path file = fixture("privileged-pod.yaml");
    CheckRun run = check(file.toString());
    assertThat(run.exitCode()).as("%s", run).isEqualTo(1);
    assertThat(run.out().lines().filter(l -> l.contains("[privileged-container]")))
        .singleElement()
        .satisfies(l -> assertThat(l).contains("spec.containers[1].securityContext.privileged")
            .contains("\"shell\"").endsWith("container shell"));
  }
}
