package io.daemonguard.cli;

import static io.daemonguard.cli.CheckRun.check;
import static io.daemonguard.cli.CheckRun.fixture;
import static io.daemonguard.cli.CheckRun.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exit-code contract: 0 nothing denied, 1 something denied, 2 bad input or command line (naming file and document). */
class CheckExitCodesTest {

  @TempDir Path dir;

  @Test
  void cleanPodExitsZero() {
    CheckRun run = check(fixture("clean-pod.yaml").toString());
    assertThat(run.exitCode()).as("%s", run).isEqualTo(0);
    assertThat(run.err()).isEmpty();
  }

  @Test
  void cleanDeploymentWithHarmlessHostPathsExitsZero() {
    CheckRun run = check("-o", "json", fixture("clean-deployment.yaml").toString());
    assertThat(run.exitCode()).as("%s", run).isEqualTo(0);
    assertThat(run.object("api").path("allowed").booleanValue()).isTrue();
    assertThat(run.object("api").path("violations")).isEmpty();
  }

  @Test
  void deniedPodExitsOne() {
    CheckRun run = check(fixture("privileged-pod.yaml").toString());
    assertThat(run.exitCode()).as("%s", run).isEqualTo(1);
    assertThat(run.err()).isEmpty();
  }

  @Test
  void oneDeniedAmongCleanOnesExitsOne() {
    CheckRun run = check(fixture("clean-pod.yaml").toString(), fixture("root-deployment.yaml").toString(),
        fixture("clean-deployment.yaml").toString());
    assertThat(run.exitCode()).as("%s", run).isEqualTo(1);
  }

  @Test
  void missingFileExitsTwoNamingThePath() {
    Path missing = dir.resolve("does-not-exist.yaml");
    CheckRun run = check(missing.toString());
    assertThat(run.exitCode()).as("%s", run).isEqualTo(2);
    assertThat(run.errLines()).containsExactly(
        "daemonguard check: " + missing + ": no such file or directory");
  }

  @Test
  void missingFileNextToADeniedOneStillExitsTwo() {
    Path missing = dir.resolve("gone.yaml");
    CheckRun run = check(fixture("privileged-pod.yaml").toString(), missing.toString());
    assertThat(run.exitCode()).as("bad input wins over a denial: %s", run).isEqualTo(2);
    assertThat(run.err()).contains(missing.toString());
  }

  @Test
  void unparsableYamlExitsTwoNamingFileAndDocument() {
    Path file = fixture("bad/unparsable.yaml");
    CheckRun run = check(file.toString());
    assertThat(run.exitCode()).as("%s", run).isEqualTo(2);
    assertThat(run.errLines()).hasSize(1);
    assertThat(run.errLines().get(0)).startsWith("daemonguard check: " + file + ": document 2: ");
  }

  @Test
  void unparsableFirstDocumentIsDocumentOne() {
    Path file = write(dir.resolve("broken.yaml"), "kind: Pod\nmetadata: {name: [unclosed\n");
    CheckRun run = check(file.toString());
    assertThat(run.exitCode()).as("%s", run).isEqualTo(2);
    assertThat(run.err()).contains(file + ": document 1: ");
  }

  @Test
  void unparsableJsonExitsTwoNamingFileAndDocument() {
    Path file = write(dir.resolve("broken.json"), "{\"kind\": \"Pod\", \"metadata\": {\"name\": \"x\",}}");
    CheckRun run = check(file.toString());
    assertThat(run.exitCode()).as("%s", run).isEqualTo(2);
    assertThat(run.err()).contains(file + ": document 1: ");
  }

  @Test
  void documentWithoutKindExitsTwo() {
    Path file = fixture("bad/no-kind.yaml");
    CheckRun run = check(file.toString());
    assertThat(run.exitCode()).as("%s", run).isEqualTo(2);
    assertThat(run.errLines()).containsExactly("daemonguard check: " + file + ": document 1: has no kind");
  }

  @Test
  void emptyKindCountsAsNoKind() {
    Path file = write(dir.resolve("empty-kind.yaml"), "kind: \"\"\nmetadata: {name: x}\n");
    CheckRun run = check(file.toString());
    assertThat(run.exitCode()).as("%s", run).isEqualTo(2);
    assertThat(run.err()).contains(file + ": document 1: has no kind");
  }

  @Test
  void scalarDocumentExitsTwoNamingTheDocument() {
    Path file = fixture("bad/scalar.yaml");
    CheckRun run = check(file.toString());
    assertThat(run.exitCode()).as("%s", run).isEqualTo(2);
    assertThat(run.errLines()).containsExactly(
        "daemonguard check: " + file + ": document 2: expected a Kubernetes object, found string");
  }

  @Test
  void numberAndArrayDocumentsAreNotObjects() {
    Path number = write(dir.resolve("number.yaml"), "42\n");
    Path array = write(dir.resolve("array.yaml"), "- kind: Pod\n  metadata: {name: x}\n");
    CheckRun run = check(number.toString(), array.toString());
    assertThat(run.exitCode()).as("%s", run).isEqualTo(2);
    assertThat(run.errLines()).containsExactly(
        "daemonguard check: " + number + ": document 1: expected a Kubernetes object, found number",
        "daemonguard check: " + array + ": document 1: expected a Kubernetes object, found array");
  }

  @Test
  void malformedWorkloadFieldExitsTwoNamingDocumentAndField() {
    Path file = write(dir.resolve("bad-field.yaml"), """
        kind: ConfigMap
        metadata: {name: ok}
        ---
        kind: Pod
        metadata: {name: odd}
        spec:
          containers:
          - name: c
            securityContext: {privileged: "yes"}
        """);
    CheckRun run = check(file.toString());
    assertThat(run.exitCode()).as("%s", run).isEqualTo(2);
    assertThat(run.errLines()).containsExactly("daemonguard check: " + file
        + ": document 2: spec.containers[0].securityContext.privileged: expected a boolean");
  }

  @Test
  void badOutputFormatExitsTwoBeforeReadingAnything() {
    CheckRun run = check("-o", "xml", fixture("privileged-pod.yaml").toString());
    assertThat(run.exitCode()).as("%s", run).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.errLines()).containsExactly("daemonguard check: -o xml: expected text, json, sarif or junit");
  }

  @Test
  void unknownOptionExitsTwo() {
    CheckRun run = check("--bogus", fixture("clean-pod.yaml").toString());
    assertThat(run.exitCode()).as("%s", run).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains("Unknown option: '--bogus'");
  }

  @Test
  void noPathAtAllExitsTwo() {
    CheckRun run = check();
    assertThat(run.exitCode()).as("%s", run).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains("Missing required parameter: 'PATH'");
  }

  @Test
  void noSubcommandExitsTwo() {
    CheckRun run = CheckRun.run(io.daemonguard.Main.commandLine());
    assertThat(run.exitCode()).as("%s", run).isEqualTo(2);
    assertThat(run.err()).contains("a command is required");
  }

  @Test
  void optionWithoutValueExitsTwo() {
    CheckRun run = check(fixture("clean-pod.yaml").toString(), "--policy");
    assertThat(run.exitCode()).as("%s", run).isEqualTo(2);
    assertThat(run.err()).contains("--policy");
  }
}
