package io.daemonguard.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.daemonguard.FuzzHeap;
import io.daemonguard.StrictUtf8;
import io.daemonguard.admission.AdmissionPolicy;
import io.daemonguard.admission.ExemptionLabelGuard;
import io.daemonguard.admission.InvalidObjectException;
import io.daemonguard.admission.WorkloadReader;
import io.daemonguard.policy.FixedPolicies;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Coverage-guided fuzzing of the webhook's decoding and judging ({@link AdmissionHandler#handle}), on arbitrary bytes
 * and on structure-aware mutations of apiserver-shaped AdmissionReviews.
 *
 * <p>The only allowed outcomes: a well-formed response for the request's uid, or {@link BadRequestException} with a
 * message (the server turns it into 400). Any other exception is a finding. And an {@code allowed: true} must be
 * justified by an independent reading of the input (see {@link #mustNotAllow}): a body that is not a well-formed
 * AdmissionReview, or one whose object has a privileged container or mounts the host root where the apiserver's kind
 * puts its pod spec, in a namespace the default policy does not exempt, is never allowed.
 *
 * <p>Without {@code JAZZER_FUZZ} these run over the seeds in {@code AdmissionReviewFuzzTestInputs/}; see
 * docs/hardening.md for the fuzzing runs.
 */
public class AdmissionReviewFuzzTest {

  private static final String OWN_NAMESPACE = "daemonguard";
  private static final Set<String> EXEMPT = Set.of("kube-system", OWN_NAMESPACE);
  private static final AdmissionHandler HANDLER = new AdmissionHandler(
      new FixedPolicies(List.of(AdmissionPolicy.defaultPolicy(OWN_NAMESPACE, Set.of()))),
      ExemptionLabelGuard.defaults(), new WebhookMetrics());
  /** The oracle's own reading: standard Jackson, as strict as the apiserver's encoder is (no duplicates, one value). */
  private static final ObjectMapper ORACLE = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private static final String[] KEYS = {
      "kind", "apiVersion", "request", "uid", "operation", "namespace", "name", "object", "oldObject", "userInfo",
      "username", "group", "version", "subResource", "metadata", "spec", "template", "jobTemplate", "containers",
      "initContainers", "ephemeralContainers", "securityContext", "privileged", "volumes", "hostPath", "local", "path",
      "volumeMounts", "image", "serviceAccountName"};
  private static final String[] STRINGS = {
      "AdmissionReview", "admission.k8s.io/v1", "admission.k8s.io/v1beta1", "CREATE", "UPDATE", "DELETE", "CONNECT",
      "create", "Pod", "Deployment", "CronJob", "PodTemplate", "PersistentVolume", "EphemeralContainers", "ConfigMap",
      "kube-system", "daemonguard", "team-a", "", "/", "//", "/var/run/..", "/var/run/docker.sock", "true", "null",
      "\u0000", "\uFEFF", "\uD800", "ephemeralcontainers"};
  /** Byte sequences that are not UTF-8: overlong '/', encoded surrogate, beyond U+10FFFF, stray bytes, truncated. */
  private static final byte[][] NOT_UTF8 = {
      {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xE0, (byte) 0x80, (byte) 0xAF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
      {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0x80}, {(byte) 0xFF}, {(byte) 0xFE, (byte) 0xFF},
      {(byte) 0xC3}, {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}, {0}};

  /** Apiserver-shaped reviews the mutations start from: denials, allowances, every place a pod spec lives. */
  static final List<ObjectNode> BASES = bases();

  private static List<ObjectNode> bases() {
    List<ObjectNode> bases = new ArrayList<>();
    String privileged = Reviews.pod("priv", "[" + Reviews.container("app", true) + "]", "[]");
    bases.add(Reviews.podCreate("team-a", privileged));
    bases.add(Reviews.podCreate("team-a", Reviews.pod("mounts",
        "[" + Reviews.container("app", false, "root", "sock") + "]",
        "[" + Reviews.hostPath("root", "//") + "," + Reviews.hostPath("sock", "/var/run/docker.sock") + "]")));
    bases.add(Reviews.podCreate("team-a", Reviews.pod("ok", "[" + Reviews.container("app", false, "logs") + "]",
        "[" + Reviews.hostPath("logs", "/var/log") + "]")));
    bases.add(Reviews.podCreate("kube-system", privileged));
    bases.add(Reviews.review("", "v1", "Pod", "pods", null, "team-a", "priv", "UPDATE", privileged,
        Reviews.pod("priv", "[" + Reviews.container("app", false) + "]", "[]")));
    bases.add(Reviews.review("", "v1", "Pod", "pods", null, "team-a", "priv", "DELETE", null, privileged));
    bases.add(Reviews.review("apps", "v1", "Deployment", "deployments", null, "team-a", "web", "CREATE", """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"team-a"},
         "spec":{"replicas":1,"template":{"metadata":{"labels":{"app":"web"}},
         "spec":{"initContainers":[{"name":"init","image":"busybox","securityContext":{"privileged":true}}],
         "containers":[{"name":"app","image":"nginx","volumeMounts":[{"name":"root","mountPath":"/h"}]}],
         "volumes":[{"name":"root","hostPath":{"path":"/var/run/.."}}]}}}}""", null));
    bases.add(Reviews.review("batch", "v1", "CronJob", "cronjobs", null, "team-a", "cron", "CREATE", """
        {"apiVersion":"batch/v1","kind":"CronJob","metadata":{"name":"cron","namespace":"team-a"},
         "spec":{"schedule":"* * * * *","jobTemplate":{"spec":{"template":{"spec":{
         "containers":[{"name":"c","image":"busybox","securityContext":{"privileged":true}}]}}}}}}""", null));
    bases.add(Reviews.review("", "v1", "PersistentVolume", "persistentvolumes", null, null, "pv", "CREATE", """
        {"apiVersion":"v1","kind":"PersistentVolume","metadata":{"name":"pv"},
         "spec":{"capacity":{"storage":"1Gi"},"hostPath":{"path":"/./"}}}""", null));
    String ephemeral = """
        {"kind":"EphemeralContainers","apiVersion":"v1","metadata":{"name":"web","namespace":"team-a"},
         "ephemeralContainers":[{"name":"debugger","image":"busybox","securityContext":{"privileged":true}}]}""";
    bases.add(Reviews.review("", "v1", "EphemeralContainers", "pods", "ephemeralcontainers", "team-a", "web", "UPDATE",
        ephemeral, ephemeral));
    bases.add(Reviews.review("", "v1", "PodTemplate", "podtemplates", null, "team-a", "t", "CREATE", """
        {"apiVersion":"v1","kind":"PodTemplate","metadata":{"name":"t"},
         "template":{"spec":{"containers":[{"name":"c","image":"busybox","securityContext":{"privileged":true}}]}}}""",
        null));
    for (int i = 0; i < bases.size(); i++) {
      ((ObjectNode) bases.get(i).get("request")).put("uid", "00000000-0000-0000-0000-" + String.format("%012d", i));
    }
    return List.copyOf(bases);
  }

  @FuzzTest(maxDuration = "10m")
  void arbitraryBytes(byte[] body) {
    arbitraryBody(body);
  }

  @FuzzTest(maxDuration = "10m")
  void mutatedReviews(FuzzedDataProvider data) {
    mutatedReview(data);
  }

  /** The targets themselves, also driven by {@link io.daemonguard.FuzzSmokeTest}. */
  public static void arbitraryBody(byte[] body) {
    FuzzHeap.sample("AdmissionReviewFuzzTest.arbitraryBytes");
    // the codec's UTF-8 check agrees with the JDK's strict decoder
    assertThat(Utf8Validator.firstInvalid(body, 0, body.length) < 0).as("valid UTF-8 without NUL")
        .isEqualTo(isStrictUtf8WithoutNul(body));
    judge(body);
  }

  static boolean isStrictUtf8WithoutNul(byte[] body) {
    for (byte b : body) {
      if (b == 0) {
        return false;
      }
    }
    return StrictUtf8.isValid(body);
  }

  public static void mutatedReview(FuzzedDataProvider data) {
    FuzzHeap.sample("AdmissionReviewFuzzTest.mutatedReviews");
    byte[] body = mutate(data);
    if (body != null) {
      judge(body);
    }
  }

  /** Both targets' check: one body, the only acceptable outcomes. */
  static void judge(byte[] body) {
    prunedReadsAsWhole(body);
    byte[] response;
    try {
      response = HANDLER.handle(body);
    } catch (BadRequestException e) {
      assertThat(e.getMessage()).as("a 400 says what was wrong").isNotBlank();
      return;
    }
    JsonNode review;
    try {
      review = ORACLE.readTree(response);
    } catch (Exception e) {
      throw new AssertionError("the response is not JSON: " + new String(response, StandardCharsets.UTF_8), e);
    }
    JsonNode answer = review.path("response");
    assertThat(review.path("apiVersion").asText()).isEqualTo("admission.k8s.io/v1");
    assertThat(review.path("kind").asText()).isEqualTo("AdmissionReview");
    assertThat(answer.path("allowed").isBoolean()).as("allowed is a boolean").isTrue();
    for (JsonNode warning : answer.path("warnings")) {
      assertThat(warning.asText().length()).as("a warning kubectl shows whole").isLessThan(
          AdmissionMessages.MAX_WARNING_LENGTH);
    }
    if (!answer.path("allowed").booleanValue()) {
      assertThat(answer.path("status").path("code").asInt()).isEqualTo(403);
      assertThat(answer.path("status").path("message").asText()).startsWith("daemonguard: ");
      return;
    }
    String objection = mustNotAllow(body, answer.path("uid").asText(null));
    if (objection != null) {
      throw new AssertionError("allowed, but " + objection + ": " + preview(body));
    }
  }

  /**
   * The codec builds of the object only what {@link WorkloadReader#FIELDS} selects: reading that must give the same
   * workload, or the same refusal, as reading the whole object as databind reads it.
   */
  public static void prunedReadsAsWhole(byte[] body) {
    ReviewRequest request;
    try {
      request = AdmissionReviewCodec.decode(body);
    } catch (BadRequestException e) {
      return;
    }
    if (request.object() == null) {
      return;
    }
    JsonNode whole;
    try {
      whole = ORACLE.readTree(body).path("request").path("object");
    } catch (Exception e) {
      throw new AssertionError("the codec read a body databind refuses: " + preview(body), e);
    }
    assertThat(workload(request.object(), request.kind(), request.namespace()))
        .as("the pruned object reads as the whole one, kind from the request: %s", preview(body))
        .isEqualTo(workload(whole, request.kind(), request.namespace()));
    assertThat(workload(request.object(), null, request.namespace()))
        .as("the pruned object reads as the whole one, kind from the object: %s", preview(body))
        .isEqualTo(workload(whole, null, request.namespace()));
  }

  /** A workload, or the refusal's message. A null kind is read from the object, as check reads manifests. */
  static Object workload(JsonNode object, String kind, String namespace) {
    try {
      return kind == null ? WorkloadReader.read(object, namespace) : WorkloadReader.read(object, kind, namespace);
    } catch (InvalidObjectException e) {
      return "refused: " + e.getMessage();
    }
  }

  /** Null when allowing this body is right; otherwise why it must not be allowed. Independent of the codec. */
  static String mustNotAllow(byte[] body, String answeredUid) {
    if (!isStrictUtf8WithoutNul(body)) {
      return "the body is not UTF-8 JSON text (invalid UTF-8 or a NUL byte)";
    }
    JsonNode review;
    try {
      review = ORACLE.readTree(body);
    } catch (Exception e) {
      return "the body is not one JSON value (" + e.getClass().getSimpleName() + ")";
    }
    if (review == null || !review.isObject()) {
      return "the body is not a JSON object";
    }
    if (!"AdmissionReview".equals(review.path("kind").textValue())
        || !"admission.k8s.io/v1".equals(review.path("apiVersion").textValue())) {
      return "it is not an AdmissionReview admission.k8s.io/v1";
    }
    JsonNode request = review.get("request");
    if (request == null || !request.isObject()) {
      return "request is not an object";
    }
    String uid = request.path("uid").textValue();
    if (uid == null || uid.isEmpty() || !uid.equals(answeredUid)) {
      return "the response's uid " + answeredUid + " is not request.uid " + uid;
    }
    if (!request.path("kind").isObject() || !request.path("kind").path("kind").isTextual()) {
      return "request.kind is not a kind";
    }
    String operation = request.path("operation").textValue();
    if (operation == null) {
      return "request.operation is missing";
    }
    if (!Set.of("CREATE", "UPDATE", "DELETE", "CONNECT").contains(operation)) {
      return "request.operation \"" + operation + "\" is not an admission operation";
    }
    JsonNode object = request.get("object");
    if (operation.equals("DELETE") || operation.equals("CONNECT")) {
      return null; // nothing the rules judge
    }
    if (object == null || !object.isObject()) {
      return "a " + operation + " without request.object";
    }
    String namespace = request.path("namespace").textValue();
    if (namespace == null) {
      namespace = object.path("metadata").path("namespace").textValue();
      if (namespace != null && namespace.isEmpty()) {
        namespace = null;
      }
    }
    if (namespace != null && EXEMPT.contains(namespace)) {
      return null;
    }
    String kind = request.path("kind").path("kind").textValue();
    for (JsonNode spec : podSpecs(object, kind)) {
      for (String list : new String[] {"containers", "initContainers", "ephemeralContainers"}) {
        for (JsonNode container : spec.path(list)) {
          if (container.path("securityContext").path("privileged").asBoolean(false)
              && container.path("securityContext").path("privileged").isBoolean()) {
            return "a container in " + list + " of a " + kind + " is privileged";
          }
        }
      }
      for (JsonNode volume : spec.path("volumes")) {
        if (isRoot(volume.path("hostPath").path("path"))) {
          return "a volume of a " + kind + " mounts the host root";
        }
      }
    }
    if ("PersistentVolume".equals(kind)
        && (isRoot(object.path("spec").path("hostPath").path("path"))
        || isRoot(object.path("spec").path("local").path("path")))) {
      return "a PersistentVolume mounts the host root";
    }
    return null;
  }

  /** Where the apiserver's kind puts the pod spec (README, "Where the rules look"). */
  private static List<JsonNode> podSpecs(JsonNode object, String kind) {
    List<JsonNode> specs = new ArrayList<>();
    switch (kind) {
      case "Pod" -> specs.add(object.path("spec"));
      case "EphemeralContainers" -> // only ephemeralContainers live at the top of this kind
          specs.add(NODES.objectNode().set("ephemeralContainers", object.path("ephemeralContainers")));
      case "CronJob" -> specs.add(object.path("spec").path("jobTemplate").path("spec").path("template").path("spec"));
      case "PodTemplate" -> specs.add(object.path("template").path("spec"));
      case "PersistentVolume" -> { }
      default -> {
        JsonNode spec = object.path("spec").path("template").path("spec");
        if (Set.of("Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "ReplicationController").contains(kind)
            || spec.path("containers").isArray()) {
          specs.add(spec);
        }
      }
    }
    return specs;
  }

  /** The root in any lexical spelling, {@code /var/run/..} included; written without the engine's code. */
  private static boolean isRoot(JsonNode path) {
    if (!path.isTextual()) {
      return false;
    }
    List<String> stack = new ArrayList<>();
    for (String segment : path.textValue().split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".")) {
        continue;
      }
      if (segment.equals("..")) {
        if (!stack.isEmpty()) {
          stack.remove(stack.size() - 1);
        }
      } else {
        stack.add(segment);
        if (stack.size() == 2 && stack.get(0).equals("var") && stack.get(1).equals("run")) {
          stack.remove(0);
        }
      }
    }
    return stack.isEmpty();
  }

  // --- structure-aware mutation

  /** A base review, a few tree mutations, then possibly a few byte-level ones; null when over the body limit. */
  static byte[] mutate(FuzzedDataProvider data) {
    ObjectNode review = BASES.get(data.consumeInt(0, BASES.size() - 1)).deepCopy();
    JsonNode root = review;
    int treeMutations = data.consumeInt(0, 6);
    for (int i = 0; i < treeMutations; i++) {
      root = mutateTree(data, root);
    }
    // shared subtrees make the written body grow exponentially; the server refuses anything over its body limit
    // before the handler sees it, so such bodies are not the handler's to judge
    ByteArrayOutputStream written = new ByteArrayOutputStream() {
      @Override
      public void write(byte[] b, int off, int len) {
        if (count + len > WebhookCommand.DEFAULT_MAX_BODY_BYTES) {
          throw new IllegalStateException("over the body limit");
        }
        super.write(b, off, len);
      }
    };
    try {
      Reviews.JSON.writeValue(written, root);
    } catch (Exception e) {
      return null;
    }
    byte[] body = written.toByteArray();
    int byteMutations = data.consumeInt(0, 2);
    for (int i = 0; i < byteMutations; i++) {
      body = mutateBytes(data, body);
    }
    return body;
  }

  private record Slot(ContainerNode<?> parent, String field, int index) {
    JsonNode get() {
      return field != null ? parent.get(field) : parent.get(index);
    }

    void set(JsonNode value) {
      if (field != null) {
        ((ObjectNode) parent).set(field, value);
      } else {
        ((ArrayNode) parent).set(index, value);
      }
    }

    void remove() {
      if (field != null) {
        ((ObjectNode) parent).remove(field);
      } else {
        ((ArrayNode) parent).remove(index);
      }
    }
  }

  private static void slots(JsonNode node, List<Slot> out) {
    if (out.size() > 50_000) {
      return;
    }
    if (node instanceof ObjectNode object) {
      Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
      List<String> names = new ArrayList<>();
      fields.forEachRemaining(e -> names.add(e.getKey()));
      for (String name : names) {
        out.add(new Slot(object, name, -1));
        slots(object.get(name), out);
      }
    } else if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        out.add(new Slot(array, null, i));
        slots(array.get(i), out);
      }
    }
  }

  private static JsonNode mutateTree(FuzzedDataProvider data, JsonNode root) {
    List<Slot> slots = new ArrayList<>();
    slots(root, slots);
    if (slots.isEmpty() || data.consumeInt(0, 63) == 0) {
      return data.consumeBoolean() ? scalar(data) : NODES.arrayNode().add(root); // the whole body replaced
    }
    Slot slot = slots.get(data.consumeInt(0, slots.size() - 1));
    JsonNode value = slot.get();
    switch (data.consumeInt(0, 10)) {
      case 0 -> slot.set(scalar(data));
      case 1 -> slot.set(data.consumeBoolean() ? NODES.objectNode() : NODES.arrayNode());
      case 2 -> slot.remove();
      case 3 -> {
        if (value instanceof ObjectNode object) {
          object.set(pick(data, KEYS), data.consumeBoolean() ? scalar(data) : NODES.objectNode());
        } else if (value instanceof ArrayNode array) {
          array.add(array.isEmpty() || data.consumeBoolean() ? scalar(data) : array.get(0).deepCopy());
        } else {
          slot.set(scalar(data));
        }
      }
      case 4 -> slot.set(NODES.arrayNode().add(value)); // wrong type: the value wrapped in an array (moved, not shared)
      case 5 -> slot.set(NODES.textNode(pick(data, STRINGS)));
      case 6 -> { // deep nesting
        int depth = data.consumeInt(1, 300);
        JsonNode nested = data.consumeBoolean() ? value : scalar(data);
        for (int d = 0; d < depth; d++) {
          nested = data.consumeBoolean() ? NODES.arrayNode().add(nested) : NODES.objectNode().set("a", nested);
        }
        slot.set(nested);
      }
      case 7 -> { // a long array of scalars, or a few copies of the value
        ArrayNode array = NODES.arrayNode();
        boolean copies = data.consumeBoolean();
        int n = copies ? data.consumeInt(0, 4) : data.consumeInt(0, 1000);
        JsonNode element = scalar(data);
        for (int k = 0; k < n; k++) {
          array.add(copies ? value.deepCopy() : element);
        }
        slot.set(array);
      }
      case 8 -> { // numbers where strings belong, strings where booleans belong
        if (value.isTextual()) {
          slot.set(data.consumeBoolean() ? NODES.numberNode(data.consumeLong()) : NODES.numberNode(data.consumeDouble()));
        } else if (value.isBoolean()) {
          slot.set(NODES.textNode(value.asText()));
        } else {
          slot.set(NODES.booleanNode(true));
        }
      }
      case 9 -> { // rename a field
        if (slot.field() != null) {
          ObjectNode parent = (ObjectNode) slot.parent();
          parent.remove(slot.field());
          parent.set(data.consumeBoolean() ? pick(data, KEYS) : data.consumeString(12), value);
        }
      }
      default -> slot.set(NODES.textNode("x".repeat(data.consumeInt(0, 20_000)))); // a long string (5 MB: HostileInputTest)
    }
    return root;
  }

  private static byte[] mutateBytes(FuzzedDataProvider data, byte[] body) {
    if (body.length == 0) {
      return body;
    }
    int at = data.consumeInt(0, body.length - 1);
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 64);
    switch (data.consumeInt(0, 3)) {
      case 0 -> { // a duplicate key: repeat the key that starts after the next '{' or ','
        int start = keyStart(body, at);
        int keyEnd = start < 0 ? -1 : indexOfQuote(body, start + 2);
        if (keyEnd < 0) {
          return body;
        }
        out.write(body, 0, start + 1);
        out.write(body, start + 1, keyEnd - start); // "key"
        out.writeBytes(":null,".getBytes(StandardCharsets.UTF_8));
        out.write(body, start + 1, body.length - start - 1);
      }
      case 1 -> { // bytes that are not UTF-8, inside a string or between tokens
        out.write(body, 0, at);
        out.writeBytes(NOT_UTF8[data.consumeInt(0, NOT_UTF8.length - 1)]);
        out.write(body, at, body.length - at);
      }
      case 2 -> out.write(body, 0, at); // truncated
      default -> {
        out.write(body, 0, at);
        out.writeBytes(data.consumeBytes(8));
        out.write(body, at, body.length - at);
      }
    }
    return out.toByteArray();
  }

  /** The position of the first '{' or ',' at or after {@code from} that is followed by a quote (likely a key). */
  private static int keyStart(byte[] body, int from) {
    for (int i = from; i < body.length - 1; i++) {
      if ((body[i] == '{' || body[i] == ',') && body[i + 1] == '"') {
        return i;
      }
    }
    return -1;
  }

  private static int indexOfQuote(byte[] body, int from) {
    for (int i = from; i < body.length; i++) {
      if (body[i] == '"') {
        return i;
      }
    }
    return -1;
  }

  private static String pick(FuzzedDataProvider data, String[] values) {
    return values[data.consumeInt(0, values.length - 1)];
  }

  private static JsonNode scalar(FuzzedDataProvider data) {
    return switch (data.consumeInt(0, 6)) {
      case 0 -> NODES.nullNode();
      case 1 -> NODES.booleanNode(data.consumeBoolean());
      case 2 -> NODES.numberNode(data.consumeLong());
      case 3 -> NODES.numberNode(data.consumeDouble());
      case 4 -> NODES.textNode(data.consumeString(32));
      default -> NODES.textNode(pick(data, STRINGS));
    };
  }

  static String preview(byte[] body) {
    String text = new String(body, StandardCharsets.UTF_8);
    return text.length() > 600 ? text.substring(0, 600) + "... (" + body.length + " bytes)" : text;
  }
}
