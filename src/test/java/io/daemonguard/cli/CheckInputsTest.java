package io.daemonguard.cli;

import static io.daemonguard.cli.CheckRun.check;
import static io.daemonguard.cli.CheckRun.checkWithStdin;
import static io.daemonguard.cli.CheckRun.copy;
import static io.daemonguard.cli.CheckRun.fixture;
import static io.daemonguard.cli.CheckRun.read;
import static io.daemonguard.cli.CheckRun.violations;
import static io.daemonguard.cli.CheckRun.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every shape of input: multi-document YAML, Lists, JSON, directories, stdin, several PATHs; in a stable order. */
class CheckInputsTest {

  @TempDir Path dir;

  private static List<String> identities(CheckRun run) {
    return run.json().stream()
        .map(o -> o.path("file").asText() + " " + o.path("kind").asText() + " " + o.path("name").asText())
        .toList();
  }

  @Test
  void multiDocumentYamlYieldsOneResultPerDocumentInOrder() {
    Path file = fixture("multi.yaml");
    CheckRun run = check("-o", "json", file.toString());
    assertThat(run.exitCode()).as("%s", run).isEqualTo(1);
    assertThat(identities(run)).containsExactly(
        file + " ConfigMap settings", file + " Pod first", file + " Pod second");
    assertThat(run.object("first").path("namespace").asText()).isEqualTo("team-a");
    assertThat(run.object("first").path("allowed").booleanValue()).isTrue();
    assertThat(violations(run.object("second")))
        .containsExactly("privileged-container spec.containers[0].securityContext.privileged c");
  }

  @Test
  void emptyDocumentsBetweenSeparatorsAreSkipped() {
    Path file = fixture("multi-with-empty-documents.yaml");
    CheckRun run = check("-o", "json", file.toString());
    assertThat(run.err()).isEmpty();
    assertThat(run.exitCode()).as("%s", run).isEqualTo(1);
    assertThat(identities(run)).containsExactly(file + " ConfigMap settings", file + " Pod second");
  }

  @Test
  void documentNumbersCountEmptyDocuments() {
    Path file = write(dir.resolve("numbered.yaml"), "kind: ConfigMap\nmetadata: {name: a}\n---\n---\n42\n");
    CheckRun run = check(file.toString());
    assertThat(run.exitCode()).as("%s", run).isEqualTo(2);
    assertThat(run.errLines()).containsExactly(
        "daemonguard check: " + file + ": document 3: expected a Kubernetes object, found number");
  }

  @Test
  void leadingSeparatorAndHeaderCommentAreFine() {
    Path file = write(dir.resolve("helm.yaml"), """
        # rendered by a tool
        ---
        # Source: chart/templates/pod.yaml
        apiVersion: v1
        kind: Pod
        metadata: {name: rendered}
        spec:
          containers: [{name: c, image: nginx}]
        """);
    CheckRun run = check("-o", "json", file.toString());
    assertThat(run.exitCode()).as("%s", run).isEqualTo(0);
    assertThat(identities(run)).containsExactly(file + " Pod rendered");
  }

  @Test
  void kindListIsExpandedIntoItsItems() {
    Path file = fixture("list.yaml");
    CheckRun run = check("-o", "json", file.toString());
    assertThat(run.exitCode()).as("%s", run).isEqualTo(1);
    assertThat(identities(run)).containsExactly(file + " Pod listed-clean", file + " DaemonSet listed-socket");
    assertThat(run.object("listed-clean").path("allowed").booleanValue()).isTrue();
    JsonNode socket = run.object("listed-socket");
    assertThat(socket.path("namespace").asText()).isEqualTo("team-b");
    assertThat(violations(socket))
        .containsExactly("runtime-socket-mount spec.template.spec.volumes[0].hostPath.path c");
  }

  @Test
  void podListIsExpandedIntoItsItems() {
    Path file = fixture("podlist.yaml");
    CheckRun run = check("-o", "json", file.toString());
    assertThat(run.exitCode()).as("%s", run).isEqualTo(1);
    assertThat(identities(run)).containsExactly(file + " Pod pl-one", file + " Pod pl-two");
    assertThat(violations(run.object("pl-two")))
        .containsExactly("privileged-container spec.initContainers[0].securityContext.privileged init");
  }

  @Test
  void listItemThatIsNotAnObjectIsBadInputNamingTheItem() {
    Path file = write(dir.resolve("bad-list.yaml"), "kind: List\nitems:\n- kind: Pod\n  metadata: {name: a}\n- 3\n");
    CheckRun run = check(file.toString());
    assertThat(run.exitCode()).as("%s", run).isEqualTo(2);
    assertThat(run.errLines()).containsExactly(
        "daemonguard check: " + file + ": document 1: items[1]: expected a Kubernetes object with a kind");
  }

  @Test
  void emptyListIsNoObjects() {
    Path file = write(dir.resolve("empty-list.yaml"), "apiVersion: v1\nkind: List\nitems: []\n");
    CheckRun run = check("-o", "json", file.toString());
    assertThat(run.exitCode()).as("%s", run).isEqualTo(0);
    assertThat(run.json()).isEmpty();
  }

  @Test
  void jsonFile() {
    Path file = fixture("pod.json");
    CheckRun run = check("-o", "json", file.toString());
    assertThat(run.exitCode()).as("%s", run).isEqualTo(1);
    assertThat(identities(run)).containsExactly(file + " Pod json-pod");
    JsonNode pod = run.object("json-pod");
    assertThat(pod.path("namespace").asText()).isEqualTo("jsonland");
    assertThat(violations(pod)).containsExactly("runtime-socket-mount spec.volumes[0].hostPath.path c");
  }

  @Test
  void jsonFileHoldingAList() {
    Path file = fixture("list.json");
    CheckRun run = check("-o", "json", file.toString());
    assertThat(run.exitCode()).as("%s", run).isEqualTo(1);
    assertThat(identities(run)).containsExactly(file + " Service svc", file + " StatefulSet db");
    assertThat(run.object("svc").path("allowed").booleanValue()).isTrue();
    assertThat(violations(run.object("db")))
        .containsExactly("privileged-container spec.template.spec.containers[0].securityContext.privileged pg");
  }

  @Test
  void concatenatedJsonObjectsAreSeveralDocuments() {
    Path file = write(dir.resolve("stream.json"),
        "{\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"a\"}}\n{\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"b\"}}\n"
            + "{\"kind\":\"Pod\",\"metadata\":{\"name\":\"c\"},\"spec\":{\"containers\":[{\"name\":\"x\","
            + "\"securityContext\":{\"privileged\":true}}]}}\n");
    CheckRun run = check("-o", "json", file.toString());
    assertThat(run.exitCode()).as("%s", run).isEqualTo(1);
    assertThat(identities(run)).containsExactly(file + " ConfigMap a", file + " ConfigMap b", file + " Pod c");
  }

  @Test
  void directoryIsWalkedRecursivelyForManifestsOnlyInSortedOrder() {
    Path tree = copy("tree", dir.resolve("manifests"));
    CheckRun run = check("-o", "json", tree.toString());
    assertThat(run.exitCode()).as("README.md and notes.txt are not read: %s", run).isEqualTo(1);
    assertThat(run.err()).isEmpty();
    assertThat(identities(run)).containsExactly(
        tree.resolve("a.yaml") + " Pod tree-a",
        tree.resolve("sub/b.yml") + " Pod tree-b",
        tree.resolve("sub/deeper/c.json") + " ConfigMap tree-c");
    assertThat(violations(run.object("tree-b")))
        .containsExactly("privileged-container spec.containers[0].securityContext.privileged c");
  }

  @Test
  void directoryWalkPicksUpUpperCaseExtensionsAndIgnoresOthers() {
    write(dir.resolve("X.YAML"), "kind: ConfigMap\nmetadata: {name: upper}\n");
    write(dir.resolve("y.yaml.bak"), "kind: [broken\n");
    write(dir.resolve("z.jsonl"), "{broken\n");
    write(dir.resolve("chart/values.yml"), "kind: ConfigMap\nmetadata: {name: values}\n");
    CheckRun run = check("-o", "json", dir.toString());
    assertThat(run.exitCode()).as("%s", run).isEqualTo(0);
    assertThat(identities(run)).containsExactly(
        dir.resolve("X.YAML") + " ConfigMap upper", dir.resolve("chart/values.yml") + " ConfigMap values");
  }

  @Test
  void directoryResultsAreStableAcrossRuns() {
    Path tree = copy("tree", dir.resolve("m"));
    for (int i = 0; i < 5; i++) {
      write(tree.resolve("gen/" + (char) ('k' - i) + ".yaml"), "kind: ConfigMap\nmetadata: {name: gen-" + i + "}\n");
    }
    CheckRun first = check("-o", "json", tree.toString());
    CheckRun second = check("-o", "json", tree.toString());
    assertThat(first.out()).isEqualTo(second.out());
    assertThat(identities(first)).containsExactly(
        tree.resolve("a.yaml") + " Pod tree-a",
        tree.resolve("gen/g.yaml") + " ConfigMap gen-4",
        tree.resolve("gen/h.yaml") + " ConfigMap gen-3",
        tree.resolve("gen/i.yaml") + " ConfigMap gen-2",
        tree.resolve("gen/j.yaml") + " ConfigMap gen-1",
        tree.resolve("gen/k.yaml") + " ConfigMap gen-0",
        tree.resolve("sub/b.yml") + " Pod tree-b",
        tree.resolve("sub/deeper/c.json") + " ConfigMap tree-c");
  }

  @Test
  void explicitFileIsReadWhateverItsExtension() {
    Path file = write(dir.resolve("manifest.txt"), read("privileged-pod.yaml"));
    CheckRun run = check(file.toString());
    assertThat(run.exitCode()).as("%s", run).isEqualTo(1);
  }

  @Test
  void stdinIsReadForDash() {
    CheckRun run = checkWithStdin(read("privileged-pod.yaml"), "-o", "json", "-");
    assertThat(run.exitCode()).as("%s", run).isEqualTo(1);
    assertThat(identities(run)).containsExactly("<stdin> Pod debug");
    assertThat(violations(run.object("debug")))
        .containsExactly("privileged-container spec.containers[1].securityContext.privileged shell");
  }

  @Test
  void stdinErrorsNameStdinAndTheDocument() {
    CheckRun run = checkWithStdin("kind: ConfigMap\nmetadata: {name: a}\n---\nmetadata: {name: b}\n", "-");
    assertThat(run.exitCode()).as("%s", run).isEqualTo(2);
    assertThat(run.errLines()).containsExactly("daemonguard check: <stdin>: document 2: has no kind");
  }

  @Test
  void stdinTogetherWithFilesKeepsTheOrderOfThePaths() {
    Path json = fixture("pod.json");
    Path clean = fixture("clean-pod.yaml");
    CheckRun run = checkWithStdin(read("clean-deployment.yaml"), "-o", "json", json.toString(), "-", clean.toString());
    assertThat(run.exitCode()).as("%s", run).isEqualTo(1);
    assertThat(identities(run)).containsExactly(
        json + " Pod json-pod", "<stdin> Deployment api", clean + " Pod web");
  }

  @Test
  void severalPathsAreReportedInTheOrderGiven() {
    Path cron = fixture("cronjob-docker-sock.yaml");
    Path list = fixture("list.yaml");
    Path pv = fixture("pv-var-run.yaml");
    CheckRun run = check("-o", "json", pv.toString(), cron.toString(), list.toString());
    assertThat(run.exitCode()).as("%s", run).isEqualTo(1);
    assertThat(identities(run)).containsExactly(
        pv + " PersistentVolume run-pv",
        cron + " CronJob image-builder",
        list + " Pod listed-clean",
        list + " DaemonSet listed-socket");
    CheckRun reversed = check("-o", "json", list.toString(), cron.toString(), pv.toString());
    assertThat(identities(reversed)).containsExactly(
        list + " Pod listed-clean",
        list + " DaemonSet listed-socket",
        cron + " CronJob image-builder",
        pv + " PersistentVolume run-pv");
  }

  @Test
  void emptyFileIsNoObjectsAndClean() {
    Path file = write(dir.resolve("empty.yaml"), "");
    CheckRun run = check("-o", "json", file.toString());
    assertThat(run.exitCode()).as("%s", run).isEqualTo(0);
    assertThat(run.json()).isEmpty();
  }

  @Test
  void duplicateKeysAreRefusedNotSilentlyResolved() {
    Path file = write(dir.resolve("dup.yaml"), """
        kind: Pod
        metadata: {name: dup}
        spec:
          containers: [{name: c, image: nginx, volumeMounts: [{name: v, mountPath: /h}]}]
          volumes:
          - name: v
            hostPath:
              path: /
              path: /tmp
        """);
    CheckRun run = check(file.toString());
    assertThat(run.exitCode()).as("%s", run).isEqualTo(2);
    assertThat(run.err()).contains(file + ": document 1: ").contains("duplicate key path");
  }

  @Test
  void yamlMergeKeysAreResolvedAsKubectlDoes() {
    CheckRun run = check("-o", "json", fixture("merge-key.yaml").toString());
    assertThat(run.exitCode()).as("%s", run).isEqualTo(1);
    assertThat(violations(run.object("merged"))).containsExactly(
        "privileged-container spec.containers[0].securityContext.privileged a",
        "privileged-container spec.containers[1].securityContext.privileged b");
  }
}
