package io.daemonguard.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.daemonguard.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code scan-node} on this machine's real root, where the harness (e2e/cluster/up.sh) runs dockerd on
 * {@code DOCKER_SOCK} and the kubelet with {@code state/kubelet-config.yaml} (anonymous off, readOnlyPort 0). It only
 * reads the host. The harness's kubeconfig being given is the sign that it is up; with {@code --kind} or an external
 * cluster those daemons are not on this machine, so the test does not apply.
 */
@Tag("e2e")
class ScanNodeE2eTest {
  static final Path STATE = Path.of(System.getProperty("e2e.state", "/root/.cache/daemonguard-e2e/state"));

  @Test
  void findsTheHarnessDockerdItsSocketAndASafeKubelet() throws Exception {
    assumeTrue(System.getProperty("e2e.kubeconfig") != null, "the e2e harness is not up (no -De2e.kubeconfig)");
    assumeTrue(System.getProperty("e2e.cluster", "local").equals("local"), "the cluster does not run on this machine");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine = Main.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    long start = System.nanoTime();

    int exit = commandLine.execute("scan-node", "-o", "json");

    long millis = (System.nanoTime() - start) / 1_000_000;
    assertThat(exit).as("stderr: %s", err).isIn(0, 1);
    JsonNode root = new ObjectMapper().readTree(out.toString());
    JsonNode docker = root.path("facts").path("docker");
    assertThat(docker.path("process").path("name").asText()).as("dockerd found in /proc").isEqualTo("dockerd");
    String socket = dockerSocket(docker.path("process").path("commandLine"));
    assertThat(Files.exists(Path.of(socket))).as("the harness's socket %s", socket).isTrue();
    List<String> sockets = new ArrayList<>();
    docker.path("sockets").forEach(s -> {
      if (s.path("exists").asBoolean() && s.path("type").asText().equals("socket")) {
        sockets.add(s.path("path").asText());
      }
    });
    assertThat(sockets).as("docker's sockets").contains(socket);

    JsonNode kubelet = root.path("facts").path("kubelet");
    assertThat(kubelet.path("configPath").asText()).isEqualTo(STATE.resolve("kubelet-config.yaml").toString());
    assertThat(kubelet.path("anonymousAuth").path("value").asText()).isEqualTo("false");
    assertThat(kubelet.path("readOnlyPort").path("value").asText()).isEqualTo("0");
    List<String> outcomes = new ArrayList<>();
    root.path("checks").forEach(c -> outcomes.add(c.path("check").asText() + "=" + c.path("outcome").asText()));
    assertThat(outcomes).contains("kubelet-anonymous-auth=pass", "kubelet-readonly-port=pass");

    boolean failed = root.path("summary").path("failed").asBoolean();
    assertThat(exit).as("exit code per the findings at or above high: %s", root.path("findings"))
        .isEqualTo(failed ? 1 : 0);
    System.out.printf("scan-node on this machine: exit %d in %d ms, findings %s%n", exit, millis,
        root.path("findings").findValuesAsText("check"));
  }

  /** The socket the harness's dockerd serves, from its -H/--host (the harness always names one). */
  private static String dockerSocket(JsonNode commandLine) {
    for (int i = 0; i < commandLine.size(); i++) {
      String arg = commandLine.get(i).asText();
      String value = arg.startsWith("--host=") ? arg.substring(7)
          : (arg.equals("-H") || arg.equals("--host")) && i + 1 < commandLine.size()
              ? commandLine.get(i + 1).asText() : null;
      if (value != null && value.startsWith("unix://")) {
        return value.substring(7);
      }
    }
    return "/var/run/docker.sock";
  }
}
