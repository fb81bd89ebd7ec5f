package io.daemonguard.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonguard.manifest.SourcePositions.Position;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Field paths resolved to lines and columns, and what stands in when the source lacks the field. */
class SourcePositionsTest {

  private static List<ManifestReader.Manifest> read(String content) {
    ManifestReader.Parsed parsed = ManifestReader.read("test", content.getBytes(StandardCharsets.UTF_8));
    assertThat(parsed.errors()).isEmpty();
    return parsed.manifests();
  }

  private static final String POD = """
      # leading comment
      apiVersion: v1
      kind: Pod
      metadata: {name: p}
      spec:
        containers:
        - name: a
          image: x
        - name: b
          securityContext:
            privileged:
              true
      """;

  @Test
  void aKeyIsFoundOnItsOwnLineEvenWhenItsValueIsOnTheNext() {
    SourcePositions positions = read(POD).get(0).positions();
    assertThat(positions.find("spec.containers[1].securityContext.privileged")).isEqualTo(new Position(11, 7));
    assertThat(positions.find("spec.containers[1]")).isEqualTo(new Position(9, 5));
    assertThat(positions.documentStart()).isEqualTo(new Position(2, 1));
  }

  @Test
  void whatTheSourceLacksFallsBackToTheDeepestPartItHas() {
    SourcePositions positions = read(POD).get(0).positions();
    assertThat(positions.find("spec.containers[0].securityContext.privileged")).as("no securityContext")
        .isEqualTo(new Position(7, 5));
    assertThat(positions.find("spec.containers[7].name")).as("no such element").isEqualTo(new Position(6, 3));
    assertThat(positions.find("spec.volumes[0].hostPath.path")).isEqualTo(new Position(5, 1));
    assertThat(positions.find("metadata.name[0]")).as("not a list").isEqualTo(new Position(4, 12));
    assertThat(positions.find("nothing")).isEqualTo(positions.documentStart());
  }

  @Test
  void eachDocumentAndListItemCountsFromTheStartOfTheFile() {
    List<ManifestReader.Manifest> manifests = read(
        "kind: ConfigMap\nmetadata: {name: c}\n---\nkind: List\nitems:\n- kind: Pod\n  spec: {x: 1}\n"
            + "- kind: Pod\n  spec:\n    x: 2\n");
    assertThat(manifests).hasSize(3);
    assertThat(manifests.get(1).positions().find("spec.x")).isEqualTo(new Position(7, 10));
    assertThat(manifests.get(2).positions().find("spec.x")).isEqualTo(new Position(10, 5));
    assertThat(manifests.get(2).positions().find("spec.missing")).isEqualTo(new Position(9, 3));
  }

  @Test
  void jsonDocumentsKeepTheirLinesAndColumns() {
    List<ManifestReader.Manifest> manifests = read(
        "  {\"kind\": \"Pod\", \"spec\": {\"x\": 1}}\n{\"kind\": \"Pod\",\n \"spec\": {\"x\": 2}}");
    assertThat(manifests.get(0).positions().documentStart()).isEqualTo(new Position(1, 3));
    assertThat(manifests.get(0).positions().find("spec.x")).isEqualTo(new Position(1, 28));
    assertThat(manifests.get(1).positions().find("spec.x")).isEqualTo(new Position(3, 11));
  }

  @Test
  void tabIndentedJsonAndEscapedSlashesStillResolve() {
    List<ManifestReader.Manifest> manifests = read(
        "{\n\t\"kind\":\t\"Pod\",\n\t\"spec\": {\n\t\t\"p\": \"\\/var\\\\\",\n\t\t\"x\": 1}}");
    assertThat(manifests.get(0).object().path("spec").path("p").textValue()).isEqualTo("/var\\");
    assertThat(manifests.get(0).positions().find("spec.x")).isEqualTo(new Position(5, 3));
  }

  @Test
  void aDocumentWithoutANodeTreeAnswersWithItsStart() {
    SourcePositions positions = SourcePositions.lazy(() -> null, new Position(4, 2));
    assertThat(positions.find("spec.containers[0]")).isEqualTo(new Position(4, 2));
    assertThat(positions.below("items[1]").find("spec")).isEqualTo(new Position(4, 2));
  }
}
