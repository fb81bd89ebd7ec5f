package io.daemonguard.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonguard.admission.RuntimeSockets.SocketExposure;
import io.daemonguard.admission.RuntimeSockets.SocketExposure.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RuntimeSocketsTest {

  private static final RuntimeSockets DEFAULTS = RuntimeSockets.defaults();

  @ParameterizedTest(name = "{0} is the socket {1}")
  @CsvSource(delimiter = '|', value = {
      "/var/run/docker.sock                       | /run/docker.sock",
      "/run/docker.sock                           | /run/docker.sock",
      "//var/run/docker.sock                      | /run/docker.sock",
      "/var/run/./docker.sock                     | /run/docker.sock",
      "/var/run/../run/docker.sock                | /run/docker.sock",
      "/run/containerd/containerd.sock            | /run/containerd/containerd.sock",
      "/var/run/containerd/containerd.sock        | /run/containerd/containerd.sock",
      "/run/containerd/containerd.sock.ttrpc      | /run/containerd/containerd.sock.ttrpc",
      "/var/run/docker/containerd/containerd.sock | /run/docker/containerd/containerd.sock",
      "/run/k3s/containerd/containerd.sock        | /run/k3s/containerd/containerd.sock",
      "/run/k0s/containerd.sock                   | /run/k0s/containerd.sock",
      "/var/run/crio/crio.sock                    | /run/crio/crio.sock",
      "/var/run/cri-dockerd.sock                  | /run/cri-dockerd.sock",
      "/var/run/dockershim.sock                   | /run/dockershim.sock",
      "/run/podman/podman.sock                    | /run/podman/podman.sock",
  })
  void exactSockets(String hostPath, String socket) {
    assertThat(DEFAULTS.exposure(hostPath)).contains(new SocketExposure(Kind.SOCKET, socket));
  }

  @ParameterizedTest(name = "{0} holds a runtime socket")
  @ValueSource(strings = {
      "/", "//", "/var", "/var/", "/var/run", "/var/run/", "/run", "/run/", "/run//", "/var//run",
      "/run/containerd", "/var/run/containerd", "/run/k3s", "/run/k3s/containerd", "/run/k0s",
      "/var/run/crio", "/run/crio", "/run/docker", "/run/docker/containerd", "/run/podman"})
  void ancestors(String hostPath) {
    assertThat(DEFAULTS.exposure(hostPath)).get().extracting(SocketExposure::kind).isEqualTo(Kind.ANCESTOR);
  }

  @Test
  void ancestorNamesTheSocketItHolds() {
    assertThat(DEFAULTS.exposure("/run/k0s")).contains(new SocketExposure(Kind.ANCESTOR, "/run/k0s/containerd.sock"));
    assertThat(DEFAULTS.exposure("/var/run/crio"))
        .contains(new SocketExposure(Kind.ANCESTOR, "/run/crio/crio.sock"));
  }

  @ParameterizedTest(name = "{0} is named like a runtime socket")
  @CsvSource(delimiter = '|', value = {
      "/home/u/.docker/run/docker.sock | /home/u/.docker/run/docker.sock",
      "/home/u/.local/docker.sock      | /home/u/.local/docker.sock",
      "/opt/x/containerd.sock          | /opt/x/containerd.sock",
      "/data/crio.sock                 | /data/crio.sock",
      "cri-dockerd.sock                | /cri-dockerd.sock",
      "/srv//podman.sock/              | /srv/podman.sock",
      "/x/dockershim.sock              | /x/dockershim.sock",
      "/x/docker-containerd.sock       | /x/docker-containerd.sock",
  })
  void socketNames(String hostPath, String normalized) {
    assertThat(DEFAULTS.exposure(hostPath)).contains(new SocketExposure(Kind.SOCKET_NAME, normalized));
  }

  @ParameterizedTest(name = "rootless: {0}")
  @CsvSource(delimiter = '|', value = {
      "/run/user/1000/docker.sock       | SOCKET   | /run/user/*/docker.sock",
      "/var/run/user/0/docker.sock      | SOCKET   | /run/user/*/docker.sock",
      "/run/user/1000                   | ANCESTOR | /run/user/*/docker.sock",
      "/run/user/                       | ANCESTOR | /run/user/*/docker.sock",
      "/run/user/1000/podman            | ANCESTOR | /run/user/*/podman/podman.sock",
  })
  void rootlessDaemonsRuntimeDirectoriesAreProtected(String hostPath, Kind kind, String socket) {
    assertThat(DEFAULTS.exposure(hostPath)).contains(new SocketExposure(kind, socket));
  }

  @ParameterizedTest(name = "{0} is not a runtime socket")
  @ValueSource(strings = {
      "/var/runner", "/run2", "/var/run2", "/var/run2/x", "/var/run/secrets/kubernetes.io/serviceaccount",
      "/run/secrets", "/var/log", "/data", "/var/lib/kubelet", "/var/lib/docker", "/etc",
      "/run/containerd/io.containerd.runtime.v2.task", "/run/containerd/s", "/var/run/docker.sock.bak",
      "/docker.socket", "/run/docker.socket", "/run/k3s/containerd/containerd.sock.d", "/run/crio2",
      "/home/u/docker.sock.d", "/run/dockers"})
  void neighboursAreNotSockets(String hostPath) {
    assertThat(DEFAULTS.exposure(hostPath)).isEmpty();
  }

  @Test
  void defaultsCoverEveryRuntimeAsTheSocketItself() {
    for (String socket : List.of("/run/docker.sock", "/run/containerd/containerd.sock", "/run/crio/crio.sock",
        "/run/cri-dockerd.sock", "/run/k3s/containerd/containerd.sock", "/run/k0s/containerd.sock")) {
      assertThat(DEFAULTS.exposure(socket)).as(socket).contains(new SocketExposure(Kind.SOCKET, socket));
    }
    for (String path : RuntimeSockets.DEFAULT_PATHS) {
      assertThat(DEFAULTS.exposure(path.replace("*", "1000"))).as(path).isPresent()
          .hasValueSatisfying(e -> assertThat(e.kind()).isEqualTo(Kind.SOCKET));
    }
  }

  @Test
  void extraPathsAreProtectedWithTheirAncestors() {
    RuntimeSockets sockets = RuntimeSockets.withExtraPaths(List.of("/opt/rt/api.sock", "/var/run/custom/rt.sock"));
    assertThat(sockets.exposure("/run/docker.sock")).contains(new SocketExposure(Kind.SOCKET, "/run/docker.sock"));
    assertThat(sockets.exposure("/opt/rt/api.sock")).contains(new SocketExposure(Kind.SOCKET, "/opt/rt/api.sock"));
    assertThat(sockets.exposure("/opt//rt/./api.sock"))
        .contains(new SocketExposure(Kind.SOCKET, "/opt/rt/api.sock"));
    assertThat(sockets.exposure("/opt/rt")).contains(new SocketExposure(Kind.ANCESTOR, "/opt/rt/api.sock"));
    assertThat(sockets.exposure("/opt")).contains(new SocketExposure(Kind.ANCESTOR, "/opt/rt/api.sock"));
    assertThat(sockets.exposure("/run/custom/rt.sock"))
        .contains(new SocketExposure(Kind.SOCKET, "/run/custom/rt.sock"));
    assertThat(sockets.exposure("/var/run/custom")).get().extracting(SocketExposure::kind).isEqualTo(Kind.ANCESTOR);
    assertThat(sockets.exposure("/opt/rt2")).isEmpty();
    assertThat(sockets.exposure("/opt/rt/api.sock.bak")).isEmpty();
    // the defaults still hold
    assertThat(sockets.exposure("/var/run/docker.sock")).get().extracting(SocketExposure::kind).isEqualTo(Kind.SOCKET);
    // and the shared defaults are untouched
    assertThat(DEFAULTS.exposure("/opt/rt")).isEmpty();
    assertThat(DEFAULTS.exposure("/opt/rt/api.sock")).isEmpty();
  }

  @ParameterizedTest(name = "{0} is containerd's ttrpc socket")
  @ValueSource(strings = {"/run/k3s/containerd/containerd.sock.ttrpc", "/run/k0s/containerd.sock.ttrpc",
      "/var/run/docker/containerd/containerd.sock.ttrpc", "/data/containerd/containerd.sock.ttrpc"})
  void containerdTtrpcSocketsElsewhereAreProtectedToo(String hostPath) {
    assertThat(DEFAULTS.exposure(hostPath)).isPresent();
  }

  @Test
  void noExtraPathsMeansTheDefaults() {
    assertThat(RuntimeSockets.withExtraPaths(List.of())).isSameAs(RuntimeSockets.defaults());
  }
}
