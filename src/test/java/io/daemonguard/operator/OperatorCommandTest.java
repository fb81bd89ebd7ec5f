package io.daemonguard.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonguard.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Bad command lines exit 2 with a message that names what is wrong, before anything is started. */
class OperatorCommandTest {

  private record Run(int exitCode, String err) {}

  private static Run run(String... args) {
    CommandLine commandLine = Main.commandLine();
    StringWriter err = new StringWriter();
    commandLine.setErr(new PrintWriter(err, true));
    commandLine.setOut(new PrintWriter(new StringWriter(), true));
    String[] full = new String[args.length + 1];
    full[0] = "operator";
    System.arraycopy(args, 0, full, 1, args.length);
    int code = commandLine.execute(full);
    return new Run(code, err.toString());
  }

  @Test
  void theCertificateIsRequired() {
    Run run = run("--no-leader-election");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--tls-cert", "--tls-key");
  }

  @Test
  void anUnknownLogFormatIsNamed(@TempDir Path dir) {
    Run run = run("--tls-cert", dir.resolve("c").toString(), "--tls-key", dir.resolve("k").toString(),
        "--log-format", "xml", "--no-leader-election");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--log-format: \"xml\" is not json or text");
  }

  @Test
  void leaderElectionWithoutANamespaceSaysHowToGiveOne(@TempDir Path dir) {
    // POD_NAMESPACE is not set where the unit tests run; the chart always sets it
    org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("POD_NAMESPACE") == null);
    Run run = run("--tls-cert", dir.resolve("c").toString(), "--tls-key", dir.resolve("k").toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("leader election needs --lease-namespace (or $POD_NAMESPACE)",
        "--no-leader-election");
  }

  @Test
  void aNonPositiveIntervalIsRefused(@TempDir Path dir) {
    Run run = run("--tls-cert", dir.resolve("c").toString(), "--tls-key", dir.resolve("k").toString(),
        "--no-leader-election", "--reconcile-interval", "0");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--reconcile-interval");
  }

  @Test
  void anUnreadableCertificateStopsItBeforeItTouchesTheCluster(@TempDir Path dir) throws Exception {
    Path cert = Files.writeString(dir.resolve("tls.crt"), "not a certificate");
    Path key = Files.writeString(dir.resolve("tls.key"), "not a key");
    Run run = run("--tls-cert", cert.toString(), "--tls-key", key.toString(), "--no-leader-election", "--port", "0",
        "--no-node-scan");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("daemonguard operator: cannot start:", "tls.crt");
  }

  @Test
  void nodeScansWithoutAPodTemplateSayWhatIsMissing(@TempDir Path dir) {
    Run run = run("--tls-cert", dir.resolve("c").toString(), "--tls-key", dir.resolve("k").toString(),
        "--no-leader-election", "--scan-namespace", "dg");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--node-scan needs --scan-pod-template FILE", "--no-node-scan");
  }

  @Test
  void aPodTemplateWithoutContainersIsNamed(@TempDir Path dir) throws Exception {
    Path template = Files.writeString(dir.resolve("pod.yaml"), "metadata: {labels: {a: b}}\nspec: {containers: []}\n");
    Run run = run("--tls-cert", dir.resolve("c").toString(), "--tls-key", dir.resolve("k").toString(),
        "--no-leader-election", "--scan-namespace", "dg", "--scan-pod-template", template.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--scan-pod-template " + template, "spec.containers is empty");
  }

  @Test
  void aScanDeadlineThatIsNotADurationIsNamed(@TempDir Path dir) throws Exception {
    Path template = Files.writeString(dir.resolve("pod.yaml"), "spec: {containers: [{name: scan, image: x}]}\n");
    Run run = run("--tls-cert", dir.resolve("c").toString(), "--tls-key", dir.resolve("k").toString(),
        "--no-leader-election", "--scan-namespace", "dg", "--scan-pod-template", template.toString(),
        "--scan-deadline", "two minutes");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--scan-deadline: \"two minutes\" is not a duration");
  }
}
