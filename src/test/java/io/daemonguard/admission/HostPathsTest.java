package io.daemonguard.admission;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HostPathsTest {

  @ParameterizedTest(name = "normalize(\"{0}\") = \"{1}\"")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      // the root in every spelling
      "/                            | /",
      "//                           | /",
      "///                          | /",
      "/.                           | /",
      "/./                          | /",
      "/..                          | /",
      "/../..                       | /",
      "/../../..                    | /",
      "///.//                       | /",
      "/var/..                      | /",
      "/tmp/../..                   | /",
      "/./././                      | /",
      // empty and relative paths are read from the root
      "\"\"                         | /",
      ".                            | /",
      "..                           | /",
      "var/run                      | /var/run",
      "./var/run/                   | /var/run",
      "../etc                       | /etc",
      // repeated and trailing slashes, dot segments
      "/var//run/                   | /var/run",
      "/var/./run                   | /var/run",
      "/var/run/                    | /var/run",
      "/var/run//                   | /var/run",
      "//var///run////docker.sock   | /var/run/docker.sock",
      "/var/run/../run/docker.sock  | /var/run/docker.sock",
      "/var/run/./docker.sock       | /var/run/docker.sock",
      "/a/b/c/../../d               | /a/d",
      "/a/../../b                   | /b",
      // names that only look like dots are ordinary segments
      "/...                         | /...",
      "/.hidden/..x/x..             | /.hidden/..x/x..",
      "/run/docker.sock             | /run/docker.sock",
  })
  void normalize(String path, String expected) {
    assertThat(HostPaths.normalize(path)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "canonical(\"{0}\") = \"{1}\"")
  @CsvSource(delimiter = '|', value = {
      "/var/run                     | /run",
      "/var/run/                    | /run",
      "/var//run                    | /run",
      "/var/./run/.                 | /run",
      "/var/run/docker.sock         | /run/docker.sock",
      "//var/run/docker.sock        | /run/docker.sock",
      "/var/run/../run/docker.sock  | /run/docker.sock",
      "/var/run/crio/crio.sock      | /run/crio/crio.sock",
      "/run                         | /run",
      "/run/                        | /run",
      "/run//                       | /run",
      "/run/docker.sock             | /run/docker.sock",
      // neighbours of /var/run are not aliases
      "/var/runner                  | /var/runner",
      "/var/run2                    | /var/run2",
      "/var/run2/docker.sock        | /var/run2/docker.sock",
      "/var                         | /var",
      "/run2                        | /run2",
      "/                            | /",
      "/var/..                      | /",
      "var/run                      | /run",
  })
  void canonical(String path, String expected) {
    assertThat(HostPaths.canonical(path)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "lastSegment({0}) = \"{1}\"")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "/                    | \"\"",
      "/run                 | run",
      "/run/docker.sock     | docker.sock",
      "/a/b/c               | c",
  })
  void lastSegment(String normalized, String expected) {
    assertThat(HostPaths.lastSegment(normalized)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "canonical(\"{0}\") = \"{1}\", through a /proc link: {2}")
  @CsvSource(delimiter = '|', value = {
      "/proc/self/root                 | /                 | true",
      "/proc/1/root/run/docker.sock    | /run/docker.sock  | true",
      "/proc/1/root/var/run/..         | /                 | true",
      "/proc/1/root/..                 | /                 | true",
      "/proc/1/cwd/../etc              | /etc              | true",
      "/proc/1/task/2/fd/3/x           | /x                | true",
      "/dev/fd/3/..                    | /                 | true",
      "/dev/stdout                     | /                 | true",
      "/proc/1/root/proc/self/cwd      | /                 | true",
      "/proc/1                         | /proc/1           | false",
      "/proc/1/fd                      | /proc/1/fd        | false",
      "/proc/1/task/2                  | /proc/1/task/2    | false",
      "/proc/1/rootx                   | /proc/1/rootx     | false",
      "/proc/1/task/2/x/root           | /proc/1/task/2/x/root | false",
      "/dev/fd                         | /dev/fd           | false",
      "/host/proc/1/root               | /host/proc/1/root | false",
  })
  void procLinksLeadToTheRoot(String path, String expected, boolean linked) {
    assertThat(HostPaths.canonical(path)).isEqualTo(expected);
    assertThat(HostPaths.throughProcLink(path)).isEqualTo(linked);
  }
}
