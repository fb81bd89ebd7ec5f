package io.daemonguard.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile AdmissionReviews over real TLS, with the default body limit: each gets 400 (never 500, never an allow) with a
 * message naming the problem, and the server keeps judging properly afterwards.
 */
class HostileInputTest {

  private static final long MAX_BODY = WebhookCommand.DEFAULT_MAX_BODY_BYTES;
  private static final int FIVE_MB = 5 * 1024 * 1024;

  /** One webhook for the whole class: the {@code @AfterEach} below checks it still judges after each test. */
  @RegisterExtension
  static final WebhookExtension webhook = new WebhookExtension().maxBodyBytes(MAX_BODY).certReloadMillis(1000)
      .httpVersion(HttpClient.Version.HTTP_1_1);

  /** After every hostile request the server still answers a real review with the right verdict. */
  @AfterEach
  void stillJudging() throws Exception {
    HttpResponse<String> response = webhook.post(Reviews.JSON.writeValueAsBytes(privilegedPod()));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode answer = Reviews.JSON.readTree(response.body()).path("response");
    assertThat(answer.path("allowed").asBoolean(true)).isFalse();
    assertThat(answer.path("status").path("message").asText()).contains("[privileged-container]");
  }

  private static void assertRefused(byte[] body, String... reasons) throws Exception {
    assertThat((long) body.length).as("the body fits the limit").isLessThanOrEqualTo(MAX_BODY);
    HttpResponse<String> response = webhook.post(body);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    assertThat(response.body()).as("the reason").contains(reasons);
    assertThat(response.body().length()).as("a 400 does not echo megabytes").isLessThan(2048);
  }

  static ObjectNode privilegedPod() {
    return Reviews.podCreate("team-a", Reviews.pod("p", "[" + Reviews.container("app", true, "logs") + "]",
        "[" + Reviews.hostPath("logs", "/var/log") + "]"));
  }

  private static String json(ObjectNode review) throws Exception {
    return Reviews.JSON.writeValueAsString(review);
  }

  private static ObjectNode request(ObjectNode review) {
    return (ObjectNode) review.get("request");
  }

  private static ObjectNode object(ObjectNode review) {
    return (ObjectNode) review.get("request").get("object");
  }

  private static ObjectNode container(ObjectNode review) {
    return (ObjectNode) review.get("request").get("object").get("spec").get("containers").get(0);
  }

  // --- deep nesting

  @Test
  void tenThousandLevelsOfNestingAnywhere() throws Exception {
    String arrays = "[".repeat(10_000) + "]".repeat(10_000);
    String objects = "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000);
    assertRefused(arrays.getBytes(StandardCharsets.UTF_8), "not valid JSON", "nesting depth");
    assertRefused(objects.getBytes(StandardCharsets.UTF_8), "not valid JSON", "nesting depth");
    String review = json(privilegedPod());
    assertRefused(review.replace("\"labels\":{", "\"labels\":{\"deep\":" + arrays + ",")
        .getBytes(StandardCharsets.UTF_8), "nesting depth");
    assertRefused(review.replace("\"oldObject\":null", "\"oldObject\":" + objects)
        .getBytes(StandardCharsets.UTF_8), "nesting depth");
  }

  // --- huge strings and arrays

  @Test
  void fiveMegabyteStrings() throws Exception {
    String huge = "x".repeat(FIVE_MB);
    ObjectNode kind = privilegedPod().put("kind", huge);
    assertRefused(Reviews.JSON.writeValueAsBytes(kind), "kind is \"xxxx", "(" + FIVE_MB + " characters)",
        "expected \"AdmissionReview\"");
    ObjectNode operation = privilegedPod();
    request(operation).put("operation", huge);
    assertRefused(Reviews.JSON.writeValueAsBytes(operation), "request.operation is \"xxxx", "expected one of");
    ObjectNode objectAsString = privilegedPod();
    request(objectAsString).put("object", huge);
    assertRefused(Reviews.JSON.writeValueAsBytes(objectAsString), "request.object is not an object");
    ObjectNode privileged = privilegedPod();
    ((ObjectNode) container(privileged).get("securityContext")).put("privileged", huge);
    assertRefused(Reviews.JSON.writeValueAsBytes(privileged),
        "spec.containers[0].securityContext.privileged: expected a boolean");
  }

  @Test
  void aFiveMegabyteStringWhereNothingReadsItIsJudgedNotAllowed() throws Exception {
    ObjectNode review = privilegedPod();
    ((ObjectNode) object(review).get("metadata")).putObject("annotations").put("blob", "x".repeat(FIVE_MB));
    HttpResponse<String> response = webhook.post(Reviews.JSON.writeValueAsBytes(review));
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode answer = Reviews.JSON.readTree(response.body()).path("response");
    assertThat(answer.path("allowed").asBoolean(true)).isFalse();
    assertThat(response.body().length()).isLessThan(2048);
  }

  @Test
  void aMillionElementArray() throws Exception {
    String ones = "1,".repeat(1_000_000);
    String million = "[" + ones + "1]";
    String review = json(privilegedPod());
    assertRefused(review.replace("\"containers\":[", "\"containers\":[" + ones).getBytes(StandardCharsets.UTF_8),
        "spec.containers[0]: expected an object");
    assertRefused(review.replace("\"volumes\":[", "\"volumes\":[" + ones).getBytes(StandardCharsets.UTF_8),
        "spec.volumes[0]: expected an object");
    assertRefused(million.getBytes(StandardCharsets.UTF_8), "body is not a JSON object");
    // where nothing reads it, it is judged: still denied
    HttpResponse<String> judged = webhook.post(review.replace("\"labels\":{", "\"labels\":{\"many\":" + million + ",")
        .getBytes(StandardCharsets.UTF_8));
    assertThat(judged.statusCode()).isEqualTo(200);
    assertThat(Reviews.JSON.readTree(judged.body()).path("response").path("allowed").asBoolean(true)).isFalse();
  }

  @Test
  void overTheBodyLimit() throws Exception {
    byte[] body = new byte[(int) MAX_BODY + 1];
    java.util.Arrays.fill(body, (byte) ' ');
    HttpResponse<String> response = webhook.post(body);
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("exceeds the limit of " + MAX_BODY);
  }

  // --- duplicate keys, at every level, including the classic privileged:false / privileged:true

  static Stream<Arguments> duplicates() {
    return Stream.of(
        Arguments.of("\"kind\":\"AdmissionReview\"", "kind"),
        Arguments.of("\"operation\":\"CREATE\"", "operation"),
        Arguments.of("\"namespace\":\"team-a\"", "namespace"),
        Arguments.of("\"uid\":\"", "uid"),
        Arguments.of("\"privileged\":true", "privileged"),
        Arguments.of("\"containers\":[", "containers"),
        Arguments.of("\"fieldManager\":\"", "fieldManager"),
        Arguments.of("\"groups\":[", "groups"),
        Arguments.of("\"restartPolicy\":\"Always\"", "restartPolicy"));
  }

  @ParameterizedTest
  @MethodSource("duplicates")
  void duplicateKeys(String field, String name) throws Exception {
    String review = json(privilegedPod());
    assertThat(review).contains(field);
    String duplicate = switch (name) {
      case "privileged" -> "\"privileged\":false,";
      case "containers" -> "\"containers\":[],";
      case "groups" -> "\"groups\":[],";
      case "uid" -> "\"uid\":\"other\",";
      case "fieldManager" -> "\"fieldManager\":\"other\",";
      default -> field + ",";
    };
    assertRefused(review.replaceFirst(Pattern.quote(field), Matcher.quoteReplacement(duplicate + field))
        .getBytes(StandardCharsets.UTF_8), "Duplicate field '" + name + "'");
  }

  // --- wrong types at every field the codec and the reader read

  static Stream<Arguments> wrongTypes() {
    return Stream.of(
        Arguments.of("/kind", "42", "kind is not a string"),
        Arguments.of("/apiVersion", "{}", "apiVersion is not a string"),
        Arguments.of("/request", "\"request\"", "request is not an object"),
        Arguments.of("/request", "[]", "request is not an object"),
        Arguments.of("/request/uid", "42", "request.uid is not a string"),
        Arguments.of("/request/kind", "\"Pod\"", "request.kind is missing or not an object"),
        Arguments.of("/request/kind/group", "1", "request.kind.group is not a string"),
        Arguments.of("/request/kind/version", "true", "request.kind.version is not a string"),
        Arguments.of("/request/kind/kind", "[\"Pod\"]", "request.kind.kind is not a string"),
        Arguments.of("/request/subResource", "7", "request.subResource is not a string"),
        Arguments.of("/request/operation", "1", "request.operation is not a string"),
        Arguments.of("/request/namespace", "12", "request.namespace is not a string"),
        Arguments.of("/request/name", "[]", "request.name is not a string"),
        Arguments.of("/request/object", "[]", "request.object is not an object"),
        Arguments.of("/request/object", "3.5", "request.object is not an object"),
        Arguments.of("/request/userInfo", "\"admin\"", "request.userInfo is not an object"),
        Arguments.of("/request/userInfo/username", "0", "request.userInfo.username is not a string"),
        Arguments.of("/request/object/metadata", "\"m\"", "request.object.metadata: expected an object"),
        Arguments.of("/request/object/metadata/namespace", "1", "request.object.metadata.namespace: expected a string"),
        Arguments.of("/request/object/metadata/name", "false", "request.object.metadata.name: expected a string"),
        Arguments.of("/request/object/spec", "[]", "request.object.spec: expected an object"),
        Arguments.of("/request/object/spec/containers", "{}", "spec.containers: expected an array"),
        Arguments.of("/request/object/spec/containers/0", "\"app\"", "spec.containers[0]: expected an object"),
        Arguments.of("/request/object/spec/containers/0/name", "1", "spec.containers[0].name: expected a string"),
        Arguments.of("/request/object/spec/containers/0/image", "{}", "spec.containers[0].image: expected a string"),
        Arguments.of("/request/object/spec/containers/0/securityContext", "true",
            "spec.containers[0].securityContext: expected an object"),
        Arguments.of("/request/object/spec/containers/0/securityContext/privileged", "\"true\"",
            "spec.containers[0].securityContext.privileged: expected a boolean"),
        Arguments.of("/request/object/spec/containers/0/securityContext/privileged", "1",
            "spec.containers[0].securityContext.privileged: expected a boolean"),
        Arguments.of("/request/object/spec/containers/0/volumeMounts", "\"logs\"",
            "spec.containers[0].volumeMounts: expected an array"),
        Arguments.of("/request/object/spec/containers/0/volumeMounts/0/name", "5",
            "spec.containers[0].volumeMounts[0].name: expected a string"),
        Arguments.of("/request/object/spec/initContainers", "7", "spec.initContainers: expected an array"),
        Arguments.of("/request/object/spec/ephemeralContainers", "{}", "spec.ephemeralContainers: expected an array"),
        Arguments.of("/request/object/spec/volumes", "{}", "spec.volumes: expected an array"),
        Arguments.of("/request/object/spec/volumes/0/hostPath", "\"/\"", "spec.volumes[0].hostPath: expected an object"),
        Arguments.of("/request/object/spec/volumes/0/hostPath/path", "47", "spec.volumes[0].hostPath.path: expected a string"),
        Arguments.of("/request/object/spec/volumes/0/hostPath/path", "null", "spec.volumes[0].hostPath.path: missing"),
        Arguments.of("/request/object/spec/volumes/0/name", "[]", "spec.volumes[0].name: expected a string"),
        Arguments.of("/request/object/spec/serviceAccountName", "{}", "spec.serviceAccountName: expected a string"));
  }

  @ParameterizedTest(name = "{0} = {1}")
  @MethodSource("wrongTypes")
  void wrongTypes(String pointer, String value, String reason) throws Exception {
    ObjectNode review = privilegedPod();
    int slash = pointer.lastIndexOf('/');
    JsonNode parent = review.at(pointer.substring(0, slash));
    String field = pointer.substring(slash + 1);
    JsonNode replacement = Reviews.JSON.readTree(value);
    if (parent.isArray()) {
      ((com.fasterxml.jackson.databind.node.ArrayNode) parent).set(Integer.parseInt(field), replacement);
    } else {
      ((ObjectNode) parent).set(field, replacement);
    }
    assertRefused(Reviews.JSON.writeValueAsBytes(review), reason);
  }

  @Test
  void numbersWhereStringsBelongIncludingHugeOnes() throws Exception {
    String review = json(privilegedPod());
    assertRefused(review.replace("\"operation\":\"CREATE\"", "\"operation\":1e999999")
        .getBytes(StandardCharsets.UTF_8), "request.operation is not a string");
    assertRefused(review.replace("\"namespace\":\"team-a\"", "\"namespace\":" + "9".repeat(5000))
        .getBytes(StandardCharsets.UTF_8), "not valid JSON", "Number value length");
    assertRefused(review.replaceFirst("\"name\":\"p\"", "\"name\":-0.0").getBytes(StandardCharsets.UTF_8),
        "metadata.name: expected a string");
  }

  // --- not UTF-8

  static Stream<Arguments> notUtf8() {
    return Stream.of(
        Arguments.of("overlong '/' in a hostPath", new byte[] {(byte) 0xC0, (byte) 0xAF}, "byte 0xC0"),
        Arguments.of("overlong 3-byte form", new byte[] {(byte) 0xE0, (byte) 0x80, (byte) 0xAF}, "byte 0xE0"),
        Arguments.of("an encoded surrogate", new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, "byte 0xED"),
        Arguments.of("beyond U+10FFFF", new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, "byte 0xF4"),
        Arguments.of("a stray continuation byte", new byte[] {(byte) 0x80}, "byte 0x80"),
        Arguments.of("0xFF", new byte[] {(byte) 0xFF}, "byte 0xFF"),
        Arguments.of("a truncated sequence", new byte[] {(byte) 0xE2, (byte) 0x82}, "byte 0xE2"),
        Arguments.of("a NUL byte", new byte[] {0}, "a NUL byte"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("notUtf8")
  void invalidUtf8(String what, byte[] bad, String reason) throws Exception {
    byte[] review = Reviews.JSON.writeValueAsBytes(privilegedPod());
    String text = new String(review, StandardCharsets.UTF_8);
    int at = text.indexOf("/var/log") + 1; // inside the hostPath
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(review, 0, at);
    body.write(bad);
    body.write(review, at, review.length - at);
    assertRefused(body.toByteArray(), "not valid UTF-8", reason, "at byte offset " + at);
  }

  @Test
  void utf16AndUtf32AreNotUtf8() throws Exception {
    String review = json(privilegedPod());
    assertRefused(review.getBytes(StandardCharsets.UTF_16BE), "not valid UTF-8", "a NUL byte at byte offset 0");
    assertRefused(review.getBytes(StandardCharsets.UTF_16LE), "not valid UTF-8", "a NUL byte at byte offset 1");
    assertRefused(review.getBytes(StandardCharsets.UTF_16), "not valid UTF-8", "byte 0xFE at byte offset 0");
    assertRefused(review.getBytes("UTF-32"), "not valid UTF-8", "a NUL byte");
  }

  // --- not the apiserver's AdmissionReview

  @Test
  void operationsTheApiserverNeverSendsAndCreatesWithoutObject() throws Exception {
    ObjectNode lowercase = privilegedPod();
    request(lowercase).put("operation", "create");
    assertRefused(Reviews.JSON.writeValueAsBytes(lowercase), "request.operation is \"create\"",
        "expected one of [CREATE, UPDATE, DELETE, CONNECT]");
    ObjectNode noObject = privilegedPod();
    request(noObject).remove("object");
    assertRefused(Reviews.JSON.writeValueAsBytes(noObject), "request.object is missing for CREATE");
    ObjectNode nullObject = privilegedPod();
    request(nullObject).put("operation", "UPDATE").putNull("object");
    assertRefused(Reviews.JSON.writeValueAsBytes(nullObject), "request.object is missing for UPDATE");
  }

  @Test
  void manyDistinctKindsKeepTheMetricsBounded() throws Exception {
    for (int i = 0; i < WebhookMetrics.MAX_KINDS + 40; i++) {
      ObjectNode review = privilegedPod();
      ((ObjectNode) request(review).get("kind")).put("kind", "Kind" + i);
      assertThat(webhook.post(Reviews.JSON.writeValueAsBytes(review)).statusCode()).isEqualTo(200);
    }
    ObjectNode odd = privilegedPod();
    ((ObjectNode) request(odd).get("kind")).put("kind", "not a kind " + "x".repeat(1000));
    assertThat(webhook.post(Reviews.JSON.writeValueAsBytes(odd)).statusCode()).isEqualTo(200);
    String metrics = webhook.get("/metrics").body();
    Set<String> kinds = new HashSet<>();
    Matcher kind = Pattern.compile("daemonguard_admission_requests_total\\{[^}]*kind=\"([^\"]*)\"").matcher(metrics);
    while (kind.find()) {
      kinds.add(kind.group(1));
    }
    assertThat(kinds).contains("other").doesNotContain("Kind" + (WebhookMetrics.MAX_KINDS + 39));
    assertThat(kinds.size()).isLessThanOrEqualTo(WebhookMetrics.MAX_KINDS + 2);
    assertThat(metrics).doesNotContain("xxxxxxxxxx");
  }
}
