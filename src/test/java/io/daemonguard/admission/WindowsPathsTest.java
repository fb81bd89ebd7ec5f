package io.daemonguard.admission;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class WindowsPathsTest {

  @ParameterizedTest(name = "read(\"{0}\") = \"{1}\"")
  @CsvSource(delimiter = '|', value = {
      "C:\\                              | c:/",
      "c:/                               | c:/",
      "C:                                | c:/",
      "C:\\\\\\                          | c:/",
      "C://                              | c:/",
      "C:\\data\\..                      | c:/",
      "C:\\data\\..\\..                  | c:/",
      "C:\\.\\                           | c:/",
      "C:\\Data\\Logs                    | c:/data/logs",
      "D:\\data\\                        | d:/data",
      "C:\\data.\\x \\                   | c:/data/x",
      "\\\\?\\C:\\                       | c:/",
      "\\\\.\\c:\\windows                | c:/windows",
      "\\\\.\\pipe\\docker_engine        | //./pipe/docker_engine",
      "\\\\?\\PIPE\\Docker_Engine        | //./pipe/docker_engine",
      "//./pipe/docker_engine            | //./pipe/docker_engine",
      "\\\\.\\\\pipe\\\\docker_engine    | //./pipe/docker_engine",
      "\\\\.\\pipe\\x\\..\\docker_engine | //./pipe/docker_engine",
      "\\\\.\\pipe\\docker_engine.       | //./pipe/docker_engine",
      "\\\\localhost\\pipe\\dockershim   | //localhost/pipe/dockershim",
      "\\                                | /",
      "/                                 | /",
      "/var/run/docker.sock              | /var/run/docker.sock",
  })
  void read(String path, String expected) {
    assertThat(WindowsPaths.read(path).toString()).isEqualTo(expected);
  }

  @ParameterizedTest(name = "\"{0}\" is a volume root")
  @ValueSource(strings = {"C:\\", "c:/", "C:", "z:\\\\", "C:\\Windows\\..", "C:\\.. ", "\\\\?\\C:\\", "\\\\.\\C:",
      "\\\\?\\Volume{3e1c5a1b-0000-0000-0000-100000000000}\\", "\\", "/", "//?/c:/"})
  void volumeRoots(String path) {
    assertThat(WindowsPaths.read(path).isVolumeRoot()).isTrue();
  }

  @ParameterizedTest(name = "\"{0}\" is not a volume root")
  @ValueSource(strings = {"C:\\data", "c:/var/lib/kubelet", "\\\\.\\pipe\\docker_engine", "\\\\server\\share",
      "\\\\?\\Volume{3e1c5a1b-0000-0000-0000-100000000000}\\data", "/data", "C:\\...x"})
  void notVolumeRoots(String path) {
    assertThat(WindowsPaths.read(path).isVolumeRoot()).isFalse();
  }

  @ParameterizedTest(name = "pipeName(\"{0}\") = \"{1}\"")
  @CsvSource(delimiter = '|', value = {
      "\\\\.\\pipe\\docker_engine           | docker_engine",
      "\\\\.\\PIPE\\Containerd-Containerd   | containerd-containerd",
      "//?/pipe/dockershim                  | dockershim",
      "\\\\127.0.0.1\\pipe\\cri-dockerd     | cri-dockerd",
      "\\\\.\\pipe\\my\\nested              | my/nested",
  })
  void pipeNames(String path, String expected) {
    assertThat(WindowsPaths.read(path).pipeName()).isEqualTo(expected);
  }

  @ParameterizedTest(name = "\"{0}\" holds every pipe")
  @ValueSource(strings = {"\\\\.\\pipe\\", "\\\\.\\pipe", "//./pipe/", "\\\\.\\", "\\\\?\\PIPE", "\\\\.\\pipe\\x\\..\\.."})
  void pipeNamespace(String path) {
    assertThat(WindowsPaths.read(path).holdsPipes()).isTrue();
  }

  @ParameterizedTest(name = "\"{0}\" is not a pipe")
  @ValueSource(strings = {"C:\\pipe\\docker_engine", "/pipe/docker_engine", "pipe\\docker_engine", "C:\\data"})
  void notPipes(String path) {
    WindowsPaths read = WindowsPaths.read(path);
    assertThat(read.pipeName()).isNull();
    assertThat(read.holdsPipes()).isFalse();
  }
}
