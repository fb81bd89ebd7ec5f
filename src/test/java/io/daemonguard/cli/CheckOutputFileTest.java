package io.daemonguard.cli;

import static io.daemonguard.cli.CheckRun.JSON;
import static io.daemonguard.cli.CheckRun.check;
import static io.daemonguard.cli.CheckRun.fixture;
import static io.daemonguard.cli.CheckRun.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --output-file}: the chosen format to the file, whole or not at all, and the text report to stdout. */
class CheckOutputFileTest {

  @TempDir Path dir;

  private static List<String> listing(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.map(f -> f.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void oneRunGivesSarifInTheFileAndTextOnStdout() throws IOException {
    Path sarif = dir.resolve("results.sarif");
    CheckRun run = check("-o", "sarif", "--output-file", sarif.toString(), fixture("sarif/deployments.yaml").toString(),
        fixture("clean-pod.yaml").toString());
    assertThat(run.exitCode()).as("%s", run).isEqualTo(1);
    assertThat(run.out()).contains("DENY  " + fixture("sarif/deployments.yaml") + ": Deployment prod/shop")
        .contains("PASS  " + fixture("clean-pod.yaml") + ": Pod default/web")
        .contains("3 objects checked: 1 denied, 0 warned, 2 allowed");
    JsonNode log = JSON.readTree(sarif.toFile());
    assertThat(log.path("version").textValue()).isEqualTo("2.1.0");
    assertThat(log.path("runs").get(0).path("results")).hasSize(1);
    assertThat(listing(dir)).containsExactly("results.sarif");
  }

  @Test
  void jsonAndJunitGoToTheFileToo() throws IOException {
    Path json = dir.resolve("out.json");
    CheckRun run = check("-o", "json", "--output-file", json.toString(), fixture("clean-pod.yaml").toString());
    assertThat(run.exitCode()).as("%s", run).isEqualTo(0);
    assertThat(run.out()).startsWith("PASS  ");
    assertThat(JSON.readTree(json.toFile()).path(0).path("name").textValue()).isEqualTo("web");

    Path junit = dir.resolve("junit.xml");
    run = check("-o", "junit", "--output-file", junit.toString(), fixture("clean-pod.yaml").toString());
    assertThat(Files.readString(junit)).startsWith("<?xml").contains("<testcase ");
    assertThat(run.out()).startsWith("PASS  ");
  }

  @Test
  void textToAFileIsTheTextReport() throws IOException {
    Path text = dir.resolve("report.txt");
    CheckRun run = check("--output-file", text.toString(), fixture("privileged-pod.yaml").toString());
    assertThat(run.exitCode()).as("%s", run).isEqualTo(1);
    assertThat(Files.readString(text)).isEqualTo(run.out()).contains("DENY  ");
  }

  @Test
  void anExistingFileIsReplacedWhole() throws IOException {
    Path sarif = write(dir.resolve("results.sarif"), "x".repeat(100_000));
    CheckRun run = check("-o", "sarif", "--output-file", sarif.toString(), fixture("clean-pod.yaml").toString());
    assertThat(run.exitCode()).as("%s", run).isEqualTo(0);
    assertThat(JSON.readTree(sarif.toFile()).path("version").textValue()).isEqualTo("2.1.0");
    assertThat(listing(dir)).containsExactly("results.sarif");
  }

  @Test
  void anUnwritableFileExitsTwoNamingItAndLeavesNothing() throws IOException {
    Path notADirectory = write(dir.resolve("plain-file"), "");
    Path target = notADirectory.resolve("results.sarif");
    CheckRun run = check("-o", "sarif", "--output-file", target.toString(), fixture("privileged-pod.yaml").toString());
    assertThat(run.exitCode()).as("%s", run).isEqualTo(2);
    assertThat(run.errLines()).containsExactly("daemonguard check: " + target + ": cannot write the report: Not a directory");
    assertThat(run.out()).as("the text report still comes").contains("DENY  ");
    assertThat(listing(dir)).containsExactly("plain-file");

    Path missing = dir.resolve("no/such/dir/results.sarif");
    run = check("-o", "sarif", "--output-file", missing.toString(), fixture("clean-pod.yaml").toString());
    assertThat(run.exitCode()).as("%s", run).isEqualTo(2);
    assertThat(run.errLines()).singleElement().asString().startsWith("daemonguard check: " + missing + ": cannot write")
        .contains("no such directory");
    assertThat(listing(dir)).containsExactly("plain-file");
  }

  @Test
  void aDirectoryIsNotAnOutputFile() throws IOException {
    Path directory = Files.createDirectory(dir.resolve("out"));
    CheckRun run = check("-o", "junit", "--output-file", directory.toString(), fixture("clean-pod.yaml").toString());
    assertThat(run.exitCode()).as("%s", run).isEqualTo(2);
    assertThat(run.errLines()).containsExactly("daemonguard check: " + directory + ": cannot write the report: is a directory");
    assertThat(listing(directory)).isEmpty();
  }

  @Test
  void aFailureMidWriteLeavesNoTemporaryFile() throws IOException {
    Path target = dir.resolve("r.txt");
    assertThatThrownBy(() -> OutputFile.write(target, out -> {
      out.print("half a rep");
      throw new IllegalStateException("the report broke");
    })).isInstanceOf(OutputFile.WriteException.class)
        .hasMessage(target + ": cannot write the report: the report broke");
    assertThat(listing(dir)).isEmpty();
  }
}
