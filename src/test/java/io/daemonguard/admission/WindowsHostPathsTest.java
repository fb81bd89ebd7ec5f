package io.daemonguard.admission;

import static io.daemonguard.admission.Fixtures.compile;
import static io.daemonguard.admission.Fixtures.evaluateHostPath;
import static io.daemonguard.admission.Fixtures.summary;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Host paths as a Windows node reads them: drive roots and the runtimes' named pipes. */
class WindowsHostPathsTest {

  private static final String PATH = "spec.volumes[0].hostPath.path";

  @ParameterizedTest(name = "\"{0}\" is a drive root")
  @ValueSource(strings = {"C:\\", "C:/", "c:\\", "C:\\\\", "C:\\\\\\", "C://", "C:", "D:\\", "C:\\Windows\\..",
      "C:\\data\\..\\..", "C:\\.", "\\\\?\\C:\\", "\\\\.\\C:\\", "//?/c:/",
      "\\\\?\\Volume{3e1c5a1b-0000-0000-0000-100000000000}\\", "\\\\?\\GLOBALROOT\\Device\\HarddiskVolume3\\",
      "//./globalroot/device/harddiskvolume1"})
  void driveRootsAreTheHostRoot(String hostPath) {
    Decision decision = evaluateHostPath(hostPath);

    assertThat(decision.allowed()).isFalse();
    assertThat(summary(decision)).containsExactly("host-root-mount " + PATH + " app");
    assertThat(decision.violations().get(0).message())
        .contains("root of a Windows node's drive", "\"" + hostPath + "\"");
  }

  @ParameterizedTest(name = "\"{0}\" is a runtime pipe")
  @ValueSource(strings = {"\\\\.\\pipe\\docker_engine", "\\\\.\\pipe\\containerd-containerd",
      "\\\\.\\PIPE\\Docker_Engine", "//./pipe/docker_engine", "\\\\?\\pipe\\docker_engine", "\\\\.\\\\pipe\\\\docker_engine",
      "//.//pipe//containerd-containerd", "\\\\.\\pipe\\containerd-containerd.ttrpc", "\\\\.\\pipe\\dockershim",
      "\\\\.\\pipe\\cri-dockerd", "\\\\.\\pipe\\dockerDesktopLinuxEngine", "\\\\.\\pipe\\docker_engine_linux",
      "\\\\localhost\\pipe\\docker_engine", "\\\\.\\pipe\\x\\..\\docker_engine", "\\\\.\\pipe\\docker_engine.",
      "\\\\.\\pipe\\iotedge_moby_engine", "/\\.\\pipe\\docker_engine",
      "\\\\?\\GLOBALROOT\\Device\\NamedPipe\\docker_engine", "\\\\?\\GLOBALROOT\\GLOBAL??\\pipe\\docker_engine"})
  void runtimePipesAreRuntimeSockets(String hostPath) {
    Decision decision = evaluateHostPath(hostPath);

    assertThat(decision.allowed()).isFalse();
    assertThat(summary(decision)).containsExactly("runtime-socket-mount " + PATH + " app");
    assertThat(decision.violations().get(0).message())
        .contains("mounts the container runtime socket \\\\.\\pipe\\");
  }

  @ParameterizedTest(name = "\"{0}\" holds every pipe")
  @ValueSource(strings = {"\\\\.\\pipe\\", "\\\\.\\pipe", "//./pipe", "\\\\.\\", "\\\\?\\pipe\\",
      "\\\\?\\GLOBALROOT\\Device\\NamedPipe\\", "\\\\?\\GLOBALROOT\\Device", "\\\\?\\GLOBALROOT"})
  void thePipeNamespaceHoldsTheRuntimePipes(String hostPath) {
    Decision decision = evaluateHostPath(hostPath);

    assertThat(summary(decision)).containsExactly("runtime-socket-mount " + PATH + " app");
    assertThat(decision.violations().get(0).message()).contains("a directory holding");
  }

  @ParameterizedTest(name = "neighbour \"{0}\" passes")
  @ValueSource(strings = {"C:\\data", "C:\\var\\lib\\kubelet", "c:/k", "D:\\logs", "\\\\.\\pipe\\my-app",
      "\\\\.\\pipe\\docker_engine_backup", "\\\\.\\pipe\\csi-proxy-filesystem-v1", "C:\\pipe\\docker_engine",
      "\\\\server\\share", "C:\\ProgramData\\docker\\volumes",
      "\\\\?\\GLOBALROOT\\Device\\HarddiskVolume3\\data"})
  void neighboursPass(String hostPath) {
    assertThat(evaluateHostPath(hostPath)).isEqualTo(Decision.CLEAN);
  }

  @Test
  void extraPathsMayNameWindowsPipesAndFiles() {
    AdmissionPolicy policy = compile("""
        metadata: {name: windows}
        spec:
          admission:
            rules:
              runtimeSocketMount:
                extraPaths: ['\\\\.\\pipe\\my-runtime', 'C:\\run\\my-runtime\\api.sock', /run/mine.sock]
        """);

    assertThat(summary(evaluateHostPath("\\\\.\\PIPE\\My-Runtime", policy)))
        .containsExactly("runtime-socket-mount " + PATH + " app");
    assertThat(summary(evaluateHostPath("c:/run/my-runtime/API.sock", policy)))
        .containsExactly("runtime-socket-mount " + PATH + " app");
    assertThat(evaluateHostPath("C:\\run\\my-runtime", policy).violations().get(0).message())
        .contains("a directory holding the container runtime socket c:/run/my-runtime/api.sock");
    assertThat(summary(evaluateHostPath("/var/run/mine.sock", policy)))
        .containsExactly("runtime-socket-mount " + PATH + " app");
    assertThat(evaluateHostPath("C:\\run\\other", policy)).isEqualTo(Decision.CLEAN);
    assertThat(evaluateHostPath("\\\\.\\pipe\\my-app", policy)).isEqualTo(Decision.CLEAN);
  }

  @ParameterizedTest(name = "extraPaths \"{0}\" is refused")
  @ValueSource(strings = {"C:\\", "\\\\.\\pipe\\", "C:relative\\api.sock", "c:"})
  void windowsExtraPathsThatAreRootsOrRelativeAreRefused(String path) {
    assertThatThrownBy(() -> compile("""
        metadata: {name: windows}
        spec: {admission: {rules: {runtimeSocketMount: {extraPaths: ['%s']}}}}
        """.formatted(path)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("DaemonSecurityPolicy windows: spec.admission.rules.runtimeSocketMount.extraPaths")
        .hasMessageContaining(path);
  }
}
