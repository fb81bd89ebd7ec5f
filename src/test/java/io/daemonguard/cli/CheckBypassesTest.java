package io.daemonguard.cli;

import static io.daemonguard.cli.CheckRun.check;
import static io.daemonguard.cli.CheckRun.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code check} refuses the bypasses found in the real cluster, and passes their neighbours. */
class CheckBypassesTest {

  @TempDir Path dir;

  private static String pod(String name, String hostPath) {
    return """
        apiVersion: v1
        kind: Pod
        metadata: {name: %s, namespace: team-a}
        spec:
          containers: [{name: app, image: busybox, volumeMounts: [{name: h, mountPath: /h}]}]
          volumes: [{name: h, hostPath: {path: '%s'}}]
        ---
        """.formatted(name, hostPath);
  }

  @Test
  void everyBypassIsDeniedAndEveryNeighbourPasses() {
    Path file = write(dir.resolve("bypasses.yaml"),
        pod("proc-self-root", "/proc/self/root")
            + pod("proc-1-root-run", "/proc/1/root/run")
            + pod("drive-root", "C:\\")
            + pod("docker-pipe", "\\\\.\\pipe\\docker_engine")
            + pod("containerd-pipe", "\\\\.\\pipe\\containerd-containerd")
            + """
                apiVersion: v1
                kind: Pod
                metadata: {name: host-process, namespace: team-a}
                spec:
                  securityContext: {windowsOptions: {hostProcess: true}}
                  hostNetwork: true
                  containers: [{name: agent, image: busybox}]
                ---
                """
            + pod("data", "C:\\data")
            + pod("my-pipe", "\\\\.\\pipe\\my-app")
            + pod("proc", "/proc"));

    CheckRun run = check("-o", "json", file.toString());

    assertThat(run.exitCode()).as("%s", run).isEqualTo(1);
    List<JsonNode> results = run.json();
    assertThat(results).extracting(r -> r.path("name").asText() + " " + r.path("allowed").asBoolean() + " "
        + String.join(",", CheckRun.violations(r).stream().map(v -> v.split(" ")[0]).toList()))
        .containsExactly(
            "proc-self-root false host-root-mount,runtime-socket-mount",
            "proc-1-root-run false runtime-socket-mount",
            "drive-root false host-root-mount",
            "docker-pipe false runtime-socket-mount",
            "containerd-pipe false runtime-socket-mount",
            "host-process false privileged-container",
            "data true ",
            "my-pipe true ",
            "proc true ");
    assertThat(results.get(5).path("violations").get(0).path("message").asText()).contains("hostProcess");
    assertThat(results.get(5).path("violations").get(0).path("path").asText())
        .isEqualTo("spec.securityContext.windowsOptions.hostProcess");
  }
}
