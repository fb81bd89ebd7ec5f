package io.daemonguard.cli;

import static io.daemonguard.cli.CheckRun.check;
import static io.daemonguard.cli.CheckRun.fixture;
import static io.daemonguard.cli.CheckRun.violations;
import static io.daemonguard.cli.CheckRun.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input in one file does not hide the results of the others; the exit code is still 2. */
class CheckMixedInputTest {

  @TempDir Path dir;

  @Test
  void badFileAndGoodFileInJson() {
    Path bad = fixture("bad/unparsable.yaml");
    Path good = fixture("privileged-pod.yaml");
    CheckRun run = check("-o", "json", bad.toString(), good.toString());
    assertThat(run.exitCode()).as("bad input outranks a denial: %s", run).isEqualTo(2);
    // the bad file's first document was readable and is judged; only its broken second one is an error
    assertThat(run.json()).hasSize(2);
    assertThat(run.object("fine").path("file").textValue()).isEqualTo(bad.toString());
    assertThat(run.object("debug").path("file").textValue()).isEqualTo(good.toString());
    assertThat(run.object("debug").path("allowed").booleanValue()).isFalse();
    assertThat(violations(run.object("debug")))
        .containsExactly("privileged-container spec.containers[1].securityContext.privileged shell");
    assertThat(run.errLines()).singleElement()
        .satisfies(line -> assertThat(line).startsWith("daemonguard check: " + bad + ": document 2: "));
  }

  @Test
  void goodFileThenBadFileInText() {
    Path good = fixture("clean-deployment.yaml");
    Path bad = fixture("bad/no-kind.yaml");
    CheckRun run = check(good.toString(), bad.toString());
    assertThat(run.exitCode()).as("%s", run).isEqualTo(2);
    assertThat(run.out().lines()).containsExactly(
        "PASS  " + good + ": Deployment shop/api",
        "1 object checked: 0 denied, 0 warned, 1 allowed");
    assertThat(run.errLines()).containsExactly("daemonguard check: " + bad + ": document 1: has no kind");
  }

  @Test
  void everyBadFileIsReportedNotJustTheFirst() {
    Path noKind = fixture("bad/no-kind.yaml");
    Path scalar = fixture("bad/scalar.yaml");
    Path missing = dir.resolve("missing.yml");
    CheckRun run = check("-o", "json", noKind.toString(), fixture("clean-pod.yaml").toString(), scalar.toString(),
        missing.toString());
    assertThat(run.exitCode()).as("%s", run).isEqualTo(2);
    assertThat(run.json()).hasSize(2); // clean-pod and scalar.yaml's readable first document
    assertThat(run.errLines()).containsExactly(
        "daemonguard check: " + noKind + ": document 1: has no kind",
        "daemonguard check: " + scalar + ": document 2: expected a Kubernetes object, found string",
        "daemonguard check: " + missing + ": no such file or directory");
  }

  @Test
  void badFileInsideAWalkedDirectory() {
    Path good = write(dir.resolve("a-good.yaml"), """
        kind: Pod
        metadata: {name: good}
        spec:
          containers: [{name: c, image: x}]
        """);
    Path bad = write(dir.resolve("b-bad.yaml"), """
        kind: ConfigMap
        metadata: {name: one}
        ---
        kind: ConfigMap
        metadata: {name: two}
        ---
        kind: Pod
        metadata: {name: three}
        spec: {containers: {not: a list}}
        """);
    CheckRun run = check("-o", "json", dir.toString());
    assertThat(run.exitCode()).as("%s", run).isEqualTo(2);
    assertThat(run.object("good").path("file").textValue()).isEqualTo(good.toString());
    assertThat(run.errLines()).containsExactly(
        "daemonguard check: " + bad + ": document 3: spec.containers: expected an array");
  }
}
