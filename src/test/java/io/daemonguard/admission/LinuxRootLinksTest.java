package io.daemonguard.admission;

import static io.daemonguard.admission.Fixtures.evaluateHostPath;
import static io.daemonguard.admission.Fixtures.summary;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Host paths that the kernel resolves through a link in procfs: the runtime mounts the source in its own context, so
 * {@code /proc/self/root} is the host's {@code /} (seen in a real cluster: the pod listed {@code /run/docker.sock}).
 */
class LinuxRootLinksTest {

  private static final String PATH = "spec.volumes[0].hostPath.path";

  @ParameterizedTest(name = "\"{0}\" is the host root")
  @ValueSource(strings = {
      "/proc/self/root", "/proc/1/root", "/proc/thread-self/root", "/proc/1/task/1/root", "/proc/self/task/7/root",
      "/proc/self/root/", "//proc//self//root", "/proc/./self/root/.", "/proc/1/root/..", "/proc/1/root/../..",
      "/proc/self/root/etc/..", "/proc/1/cwd", "/proc/self/cwd/..", "/proc/1/task/1/cwd", "/proc/1/fd/3",
      "/proc/self/fd/0/", "/proc/1/task/1/fd/4", "/dev/fd/3", "/dev/stdin", "/dev/stderr",
      "/var/run/../proc/1/root", "/proc/1/x/../root", "/proc/1/root/proc/self/root", "proc/self/root"})
  void procLinksToARootAreTheHostRoot(String hostPath) {
    Decision decision = evaluateHostPath(hostPath);

    assertThat(decision.allowed()).isFalse();
    assertThat(summary(decision)).containsExactly(
        "host-root-mount " + PATH + " app", "runtime-socket-mount " + PATH + " app");
    assertThat(decision.violations().get(0).message())
        .contains("root filesystem", "\"" + hostPath + "\"", "a link through /proc");
  }

  @ParameterizedTest(name = "\"{0}\" is {1} below the link")
  @CsvSource(delimiter = '|', value = {
      "/proc/1/root/run/docker.sock              | mounts the container runtime socket /run/docker.sock",
      "/proc/self/root/var/run/docker.sock       | mounts the container runtime socket /run/docker.sock",
      "/proc/1/root/run                          | mounts a directory holding the container runtime socket",
      "/proc/thread-self/root/var/run            | mounts a directory holding the container runtime socket",
      "/proc/1/task/1/root/run/containerd        | mounts a directory holding the container runtime socket",
      "/proc/1/cwd/var                           | mounts a directory holding the container runtime socket",
      "/dev/fd/5/run/containerd/containerd.sock  | mounts the container runtime socket",
      "/proc/self/root/etc/../run                | mounts a directory holding the container runtime socket",
  })
  void socketsBelowTheLinkAreTheSockets(String hostPath, String message) {
    Decision decision = evaluateHostPath(hostPath);

    assertThat(summary(decision)).containsExactly("runtime-socket-mount " + PATH + " app");
    assertThat(decision.violations().get(0).message()).contains(message);
  }

  @ParameterizedTest(name = "\"{0}\" passes")
  @ValueSource(strings = {
      // node exporters mount /proc and /sys; a pid directory is traversed from inside the container, where the
      // kernel checks the container's own rights, not the runtime's
      "/proc", "/proc/", "/proc/1", "/proc/self", "/proc/1/task", "/proc/1/task/1", "/proc/1/fd", "/proc/sys",
      "/proc/1/status", "/proc/self/rootfs", "/proc/1/root2", "/proc/1/ns", "/dev", "/dev/fd", "/dev/shm",
      "/proc/1/root/etc", "/proc/self/root/data", "/proc/1/cwd/tmp", "/sys/fs/cgroup", "/procx/1/root",
      "/data/proc/1/root"})
  void neighboursPass(String hostPath) {
    assertThat(evaluateHostPath(hostPath)).isEqualTo(Decision.CLEAN);
  }
}
