package io.daemonguard.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.daemonguard.admission.WorkloadReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The codec builds only what the webhook reads; these check that nothing read is lost and nothing else is built. */
class AdmissionReviewCodecTest {

  private static final YAMLMapper YAML = new YAMLMapper();

  static Stream<String> manifests() throws IOException {
    try (Stream<Path> hiding = Files.list(Path.of("src/test/resources/admission/hiding"));
        Stream<Path> cli = Files.list(Path.of("src/test/resources/cli"))) {
      return Stream.concat(hiding.toList().stream(), cli.toList().stream())
          .filter(path -> path.toString().endsWith(".yaml") || path.toString().endsWith(".json"))
          .map(Path::toString)
          .sorted()
          .toList()
          .stream();
    }
  }

  @ParameterizedTest
  @MethodSource("manifests")
  void thePrunedObjectReadsAsTheWholeOne(String file) throws IOException {
    JsonNode object;
    try (InputStream in = Files.newInputStream(Path.of(file))) {
      object = YAML.readTree(in);
    }
    if (object == null || !object.path("kind").isTextual() || object.path("kind").asText().endsWith("List")
        || object.path("kind").asText().equals("DaemonSecurityPolicy")) {
      return; // lists and multi-document files are check's business, not a review's
    }
    String kind = object.path("kind").asText();
    ObjectNode review = Reviews.review("", "v1", kind, "things", null, "team-a", "x", "CREATE",
        Reviews.JSON.writeValueAsString(object), null);
    ReviewRequest decoded = AdmissionReviewCodec.decode(Reviews.JSON.writeValueAsBytes(review));

    assertThat(AdmissionReviewFuzzTest.workload(decoded.object(), kind, "team-a"))
        .isEqualTo(AdmissionReviewFuzzTest.workload(object, kind, "team-a"));
    assertThat(WorkloadReader.read(decoded.object(), "team-a")).isEqualTo(WorkloadReader.read(object, "team-a"));
  }

  @Test
  void leavesUnbuiltWhatNothingReads() throws IOException {
    String pod = """
        {"apiVersion":"v1","kind":"Pod",
         "metadata":{"name":"web","namespace":"team-a","labels":{"app":"web"},
           "managedFields":[{"manager":"kubectl","fieldsV1":{"f:spec":{}}}]},
         "spec":{"containers":[{"name":"app","image":"nginx","env":[{"name":"A","value":"1"}],
           "securityContext":{"privileged":true,"runAsUser":0},"volumeMounts":[{"name":"logs","mountPath":"/l"}]}],
           "volumes":[{"name":"logs","hostPath":{"path":"/var/log","type":"Directory"}}],"nodeName":"n1"},
         "status":{"phase":"Pending"}}""";
    ReviewRequest decoded = AdmissionReviewCodec.decode(
        Reviews.JSON.writeValueAsBytes(Reviews.podCreate("team-a", pod)));

    assertThat(Reviews.JSON.writeValueAsString(decoded.object())).isEqualTo("""
        {"kind":"Pod","metadata":{"name":"web","namespace":"team-a","labels":{"app":"web"}},\
        "spec":{"containers":[{"name":"app","image":"nginx","securityContext":{"privileged":true},\
        "volumeMounts":[{"name":"logs"}]}],"volumes":[{"name":"logs","hostPath":{"path":"/var/log"}}],\
        "nodeName":"n1"}}""");
    assertThat(decoded.uid()).isNotBlank();
    assertThat(decoded.username()).isEqualTo("kubernetes-admin");
    assertThat(decoded.groups()).containsExactly("system:masters", "system:authenticated");
    assertThat(decoded.oldObject()).isNull();
  }

  @Test
  void refusesADuplicateNameInAPartItDoesNotBuild() {
    String body = Reviews.podCreate("team-a", """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web"},
         "spec":{"containers":[{"name":"app","image":"nginx","env":[{"name":"A","value":"1"}]}]}}""")
        .toString().replace("\"value\":\"1\"", "\"value\":\"1\",\"value\":\"2\"");

    assertThatThrownBy(() -> AdmissionReviewCodec.decode(body.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("Duplicate field 'value'");
  }

  @Test
  void refusesABrokenValueInAPartItDoesNotBuild() {
    String body = Reviews.podCreate("team-a", """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web"},"status":{"phase":"Pending"}}""")
        .toString().replace("\"Pending\"", "Pending");

    assertThatThrownBy(() -> AdmissionReviewCodec.decode(body.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("Unrecognized token 'Pending'");
  }
}
