package io.daemonguard.cli;

import static io.daemonguard.cli.CheckRun.JSON;
import static io.daemonguard.cli.CheckRun.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/**
 * The real thing: {@code java -jar target/daemonguard.jar check -} with a manifest piped into standard input, in each
 * output format. Runs
 * only when the jar has been packaged (surefire runs before {@code package}, so a fresh checkout skips it).
 */
class CheckJarTest {

  private static final Path JAR = Path.of("target", "daemonguard.jar");

  private record Result(int exit, String out, String err) {}

  private static Result runJar(byte[] stdin, String... args) throws IOException, InterruptedException {
    assumeTrue(Files.isRegularFile(JAR), "target/daemonguard.jar not built (run mvn package first)");
    List<String> command = new java.util.ArrayList<>(
        List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString()));
    command.addAll(List.of(args));
    Path outFile = Files.createTempFile("daemonguard-check-out", ".txt");
    Path errFile = Files.createTempFile("daemonguard-check-err", ".txt");
    try {
      Process process = new ProcessBuilder(command)
          .redirectOutput(outFile.toFile())
          .redirectError(errFile.toFile())
          .start();
      try (OutputStream in = process.getOutputStream()) {
        in.write(stdin);
      }
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("daemonguard check did not finish in 120 s");
      }
      return new Result(process.exitValue(), Files.readString(outFile), Files.readString(errFile));
    } finally {
      Files.deleteIfExists(outFile);
      Files.deleteIfExists(errFile);
    }
  }

  @Test
  void jarChecksStdinAndExitsOneOnADenial() throws Exception {
    byte[] manifest = Files.readAllBytes(fixture("cronjob-docker-sock.yaml"));
    Result result = runJar(manifest, "check", "-o", "json", "-");
    assertThat(result.exit()).as("stdout:%n%s%nstderr:%n%s", result.out(), result.err()).isEqualTo(1);
    JsonNode array = JSON.readTree(result.out());
    assertThat(array.isArray()).isTrue();
    assertThat(array).hasSize(1);
    JsonNode cron = array.get(0);
    assertThat(cron.path("file").textValue()).isEqualTo("<stdin>");
    assertThat(cron.path("kind").textValue()).isEqualTo("CronJob");
    assertThat(cron.path("namespace").textValue()).isEqualTo("ci");
    assertThat(cron.path("name").textValue()).isEqualTo("image-builder");
    assertThat(cron.path("allowed").booleanValue()).isFalse();
    assertThat(cron.path("violations")).hasSize(1);
    assertThat(cron.path("violations").get(0).path("rule").textValue()).isEqualTo("runtime-socket-mount");
    assertThat(cron.path("violations").get(0).path("path").textValue())
        .isEqualTo("spec.jobTemplate.spec.template.spec.volumes[0].hostPath.path");
  }

  @Test
  void jarWritesSarifToTheOutputFileAndTextToStdout() throws Exception {
    byte[] manifest = Files.readAllBytes(fixture("cronjob-docker-sock.yaml"));
    Path sarif = Files.createTempFile("daemonguard-check", ".sarif");
    try {
      Result result = runJar(manifest, "check", "-o", "sarif", "--output-file", sarif.toString(), "-");
      assertThat(result.exit()).as("%s", result).isEqualTo(1);
      assertThat(result.out()).startsWith("DENY  <stdin>: CronJob ci/image-builder");
      JsonNode run = JSON.readTree(sarif.toFile()).path("runs").get(0);
      assertThat(run.path("tool").path("driver").path("version").textValue())
          .as("the jar's manifest carries the project version").matches("\\d+\\.\\d+\\.\\d+.*");
      JsonNode location = run.path("results").get(0).path("locations").get(0).path("physicalLocation");
      assertThat(location.path("artifactLocation").path("uri").textValue()).isEqualTo("stdin");
      assertThat(location.path("region").path("startLine").intValue()).isEqualTo(21);
    } finally {
      Files.deleteIfExists(sarif);
    }
  }

  @Test
  void jarWritesJunitXml() throws Exception {
    Result result = runJar(Files.readAllBytes(fixture("multi.yaml")), "check", "-o", "junit", "-");
    assertThat(result.exit()).as("%s", result).isEqualTo(1);
    Document xml = DocumentBuilderFactory.newDefaultInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(result.out().getBytes(StandardCharsets.UTF_8)));
    assertThat(xml.getElementsByTagName("testcase").getLength()).isEqualTo(3);
    assertThat(xml.getElementsByTagName("failure").getLength()).isEqualTo(1);
  }

  @Test
  void jarExitsZeroForACleanStdinAndTwoForGarbage() throws Exception {
    Result clean = runJar(Files.readAllBytes(fixture("clean-pod.yaml")), "check", "-");
    assertThat(clean.exit()).as("%s", clean).isEqualTo(0);
    assertThat(clean.out()).contains("PASS  <stdin>: Pod default/web");

    Result garbage = runJar("kind: Pod\nmetadata: {name: [\n".getBytes(StandardCharsets.UTF_8), "check", "-");
    assertThat(garbage.exit()).as("%s", garbage).isEqualTo(2);
    assertThat(garbage.err()).contains("<stdin>: document 1: ");
  }

  @Test
  void jarUsageErrorExitsTwo() throws Exception {
    Result result = runJar(new byte[0], "check", "--no-such-option", "-");
    assertThat(result.exit()).as("%s", result).isEqualTo(2);
    assertThat(result.err()).contains("--no-such-option");
  }
}
