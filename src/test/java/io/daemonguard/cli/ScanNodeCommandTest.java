package io.daemonguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.daemonguard.Main;
import io.daemonguard.posture.HostFixture;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** {@code daemonguard scan-node} through the real entry point: exit codes, text, JSON, JUnit and --output-file. */
class ScanNodeCommandTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  static CheckRun scan(String... args) {
    String[] full = new String[args.length + 1];
    full[0] = "scan-node";
    System.arraycopy(args, 0, full, 1, args.length);
    return CheckRun.run(Main.commandLine(), full);
  }

  private HostFixture openDocker() {
    return new HostFixture(dir).dockerd("-H", "tcp://0.0.0.0:2375").listen("0.0.0.0", 2375, 5001, 100)
        .write("/etc/hostname", "node-7\n");
  }

  @Test
  void aCriticalFindingExitsOneAndTheTextSaysWhatWhereAndHowToFix() {
    openDocker();

    CheckRun run = scan("--host-root", dir.toString());

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
    assertThat(run.out()).contains("node node-7", "CRITICAL (1)", "docker-tcp-without-tls  [CIS Docker 2.6]",
        "- daemon: dockerd (pid 100)", "fix: ", "MEDIUM (1)",
        "Summary: 1 critical, 0 high, 1 medium, 0 low, 0 info; 0 could not be judged; fail-on high: FAIL");
    assertThat(run.out().indexOf("CRITICAL")).isLessThan(run.out().indexOf("MEDIUM"));
  }

  @Test
  void failOnMovesTheThreshold() {
    new HostFixture(dir).dockerd();

    assertThat(scan("--host-root", dir.toString()).exitCode()).isZero();
    assertThat(scan("--host-root", dir.toString(), "--fail-on", "medium").exitCode()).isEqualTo(1);
  }

  @Test
  void badArgumentsExitTwo() {
    assertThat(scan("--host-root", dir.resolve("nope").toString()).exitCode()).isEqualTo(2);
    CheckRun badSeverity = scan("--host-root", dir.toString(), "--fail-on", "severe");
    assertThat(badSeverity.exitCode()).isEqualTo(2);
    assertThat(badSeverity.err()).contains("--fail-on: \"severe\" is not one of critical, high, medium, low, info");
    assertThat(scan("--host-root", dir.toString(), "-o", "sarif").exitCode()).isEqualTo(2);
    assertThat(scan("--no-such-flag").exitCode()).isEqualTo(2);
  }

  @Test
  void jsonIsOneObjectOfNodeFactsAndFindings() throws Exception {
    openDocker();

    CheckRun run = scan("--host-root", dir.toString(), "-o", "json");

    assertThat(run.exitCode()).isEqualTo(1);
    JsonNode root = JSON.readTree(run.out());
    assertThat(root.path("node").asText()).isEqualTo("node-7");
    assertThat(root.path("facts").path("docker").path("process").path("pid").asInt()).isEqualTo(100);
    JsonNode first = root.path("findings").get(0);
    List<String> keys = new ArrayList<>();
    first.fieldNames().forEachRemaining(keys::add);
    assertThat(keys).containsExactly("check", "severity", "message", "cis", "evidence", "remediation");
    assertThat(first.path("check").asText()).isEqualTo("docker-tcp-without-tls");
    assertThat(first.path("severity").asText()).isEqualTo("critical");
    assertThat(root.path("summary").path("failed").asBoolean()).isTrue();
  }

  @Test
  void unknownFactsAreReportedWithTheirReasonNeverAsAPass() throws Exception {
    openDocker().dir("/etc/docker/daemon.json");

    CheckRun run = scan("--host-root", dir.toString(), "-o", "json");

    JsonNode root = JSON.readTree(run.out());
    assertThat(root.path("facts").path("docker").path("unknown").get(0).path("reason").asText())
        .contains("is a directory");
    List<String> outcomes = new ArrayList<>();
    root.path("checks").forEach(c -> outcomes.add(c.path("check").asText() + "=" + c.path("outcome").asText()));
    assertThat(outcomes).contains("docker-userns-remap-disabled=unknown", "docker-tcp-without-tls=unknown");
    assertThat(root.path("summary").path("unknown").asInt()).isGreaterThan(0);
  }

  @Test
  void junitHasOneCasePerCheckFailedOrSkipped() throws Exception {
    openDocker().dir("/etc/docker/daemon.json");

    CheckRun run = scan("--host-root", dir.toString(), "-o", "junit");

    Document xml = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(run.out().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    NodeList cases = xml.getElementsByTagName("testcase");
    assertThat(cases.getLength()).isEqualTo(io.daemonguard.api.PostureCheck.values().length);
    List<String> kinds = new ArrayList<>();
    for (int i = 0; i < cases.getLength(); i++) {
      Element testCase = (Element) cases.item(i);
      String kind = testCase.getElementsByTagName("failure").getLength() > 0 ? "failure"
          : testCase.getElementsByTagName("skipped").getLength() > 0 ? "skipped" : "passed";
      kinds.add(testCase.getAttribute("name") + "=" + kind);
    }
    assertThat(kinds).contains("docker-tcp-without-tls=unknown".replace("unknown", "skipped"),
        "docker-socket-permissions=passed", "kubelet-anonymous-auth=skipped");
  }

  @Test
  void junitFailureCarriesTheRemediation() {
    openDocker().write("/etc/docker/daemon.json", "{}").chmod("/etc/docker/daemon.json", "rw-r--r--");

    CheckRun run = scan("--host-root", dir.toString(), "-o", "junit");

    assertThat(run.out()).contains("<testcase classname=\"node-7\" name=\"docker-tcp-without-tls\">",
        "<failure type=\"critical\"", "How to fix: Anyone who reaches this port");
  }

  @Test
  void outputFileGetsTheFormatAndStdoutTheText() throws Exception {
    openDocker();
    Path report = dir.resolve("out/report.json");
    Files.createDirectories(report.getParent());

    CheckRun run = scan("--host-root", dir.toString(), "-o", "json", "--output-file", report.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).startsWith("daemonguard scan-node: node node-7");
    assertThat(JSON.readTree(report.toFile()).path("findings").size()).isEqualTo(2);
    CheckRun unwritable = scan("--host-root", dir.toString(), "-o", "json", "--output-file",
        dir.resolve("missing/dir/r.json").toString());
    assertThat(unwritable.exitCode()).isEqualTo(2);
    assertThat(unwritable.err()).contains("cannot write the report");
  }

  @Test
  void exitZeroKeepsTheReportAndExitsZeroButErrorsStillExitTwo() throws Exception {
    openDocker();

    CheckRun run = scan("--host-root", dir.toString(), "-o", "json", "--exit-zero");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    JsonNode root = JSON.readTree(run.out());
    assertThat(root.path("findings").get(0).path("check").asText()).isEqualTo("docker-tcp-without-tls");
    assertThat(root.path("summary").path("failed").asBoolean()).isTrue();
    assertThat(scan("--host-root", dir.toString(), "--fail-on", "info", "--exit-zero").exitCode()).isZero();
    assertThat(scan("--host-root", dir.resolve("nope").toString(), "--exit-zero").exitCode()).isEqualTo(2);
    assertThat(scan("--host-root", dir.toString(), "--fail-on", "severe", "--exit-zero").exitCode()).isEqualTo(2);
    assertThat(scan("--help").out()).contains("--exit-zero", "errors still exit 2");
  }
}
