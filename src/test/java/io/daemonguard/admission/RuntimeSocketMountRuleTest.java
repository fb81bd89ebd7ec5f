package io.daemonguard.admission;

import static io.daemonguard.admission.Fixtures.compile;
import static io.daemonguard.admission.Fixtures.evaluateHostPath;
import static io.daemonguard.admission.Fixtures.summary;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RuntimeSocketMountRuleTest {

  private static final String DENIED = "runtime-socket-mount spec.volumes[0].hostPath.path app";

  @ParameterizedTest(name = "the socket itself: {0}")
  @ValueSource(strings = {
      "/var/run/docker.sock", "/run/docker.sock", "//var/run/docker.sock", "/var/run/./docker.sock",
      "/var/run/../run/docker.sock", "/run/docker.sock/", "/run/containerd/containerd.sock",
      "/var/run/containerd/containerd.sock", "/var/run/docker/containerd/containerd.sock",
      "/run/k3s/containerd/containerd.sock", "/run/k0s/containerd.sock", "/var/run/crio/crio.sock",
      "/var/run/cri-dockerd.sock", "/run/cri-dockerd.sock"})
  void exactSocketsAreDenied(String hostPath) {
    Decision decision = evaluateHostPath(hostPath);

    assertThat(decision.allowed()).isFalse();
    assertThat(summary(decision)).containsExactly(DENIED);
    assertThat(decision.violations().get(0).message())
        .contains("volume \"host\"", "\"" + hostPath + "\"", "mounts the container runtime socket /run/");
  }

  @ParameterizedTest(name = "a directory holding a socket: {0}")
  @ValueSource(strings = {
      "/var/run", "/run", "/var", "/run/containerd", "/run/k3s", "/run/k0s", "/var/run/crio", "/run/docker",
      "/var/run/", "/run//", "/var/run/docker", "/run/k3s/containerd", "/var//run/./containerd/"})
  void ancestorsAreDenied(String hostPath) {
    Decision decision = evaluateHostPath(hostPath);

    assertThat(decision.allowed()).isFalse();
    assertThat(summary(decision)).containsExactly(DENIED);
    assertThat(decision.violations().get(0).message())
        .contains("mounts a directory holding the container runtime socket /");
  }

  @ParameterizedTest(name = "named like a socket: {0}")
  @ValueSource(strings = {
      "/home/u/.docker/run/docker.sock", "/home/u/.local/docker.sock", "/opt/x/containerd.sock", "/data/crio.sock",
      "cri-dockerd.sock", "/mnt/podman.sock"})
  void socketNamesAnywhereAreDenied(String hostPath) {
    Decision decision = evaluateHostPath(hostPath);

    assertThat(decision.allowed()).isFalse();
    assertThat(summary(decision)).containsExactly(DENIED);
    assertThat(decision.violations().get(0).message()).endsWith("mounts a container runtime socket");
  }

  @ParameterizedTest(name = "neighbour passes: {0}")
  @ValueSource(strings = {
      "/var/runner", "/run2", "/var/run2", "/var/run/secrets/kubernetes.io/serviceaccount", "/run/secrets", "/var/log",
      "/data", "/var/lib/kubelet", "/run/containerd/io.containerd.runtime.v2.task", "/var/run/docker.sock.bak",
      "/docker.socket", "/var/lib/containerd", "/etc/docker", "/var/run2/docker", "/run/k3s2"})
  void neighboursPass(String hostPath) {
    Decision decision = evaluateHostPath(hostPath);

    assertThat(decision).isEqualTo(Decision.CLEAN);
    assertThat(decision.allowed()).isTrue();
    assertThat(decision.violations()).isEmpty();
  }

  @Test
  void theRootViolatesBothRules() {
    assertThat(summary(evaluateHostPath("/"))).containsExactlyInAnyOrder(
        "host-root-mount spec.volumes[0].hostPath.path app", DENIED);
  }

  private static final String EXTRA_PATHS = """
      apiVersion: daemonguard.io/v1alpha1
      kind: DaemonSecurityPolicy
      metadata:
        name: custom-runtime
      spec:
        admission:
          rules:
            runtimeSocketMount:
              extraPaths:
              - /opt/rt/api.sock
              - /var/run/vendor/vendor.sock
      """;

  @ParameterizedTest(name = "extraPaths protect {0}")
  @ValueSource(strings = {"/opt/rt/api.sock", "/opt/rt", "/opt", "/opt/rt/", "//opt/./rt/api.sock",
      "/run/vendor/vendor.sock", "/var/run/vendor", "/run/vendor",
      // the built-in sockets stay protected
      "/var/run/docker.sock", "/run/containerd"})
  void extraPathsExtendTheProtectedList(String hostPath) {
    Decision decision = evaluateHostPath(hostPath, compile(EXTRA_PATHS));

    assertThat(decision.allowed()).isFalse();
    assertThat(summary(decision)).containsExactly(DENIED);
    assertThat(decision.violations().get(0).policies()).containsExactly("custom-runtime");
  }

  @ParameterizedTest(name = "extraPaths leave {0} alone")
  @ValueSource(strings = {"/opt/rt2", "/opt/rt/api.sock.bak", "/opt/rt/other", "/var/run/vendor2"})
  void extraPathsDoNotCatchNeighbours(String hostPath) {
    assertThat(evaluateHostPath(hostPath, compile(EXTRA_PATHS))).isEqualTo(Decision.CLEAN);
  }

  @Test
  void extraPathsOfOnePolicyDoNotLeakIntoTheDefault() {
    compile(EXTRA_PATHS);
    assertThat(evaluateHostPath("/opt/rt")).isEqualTo(Decision.CLEAN);
  }
}
