package io.daemonguard.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.daemonguard.admission.Action;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The committed CRD (crds/, which CrdDriftTest keeps equal to the generator's output) says what design.md §4 says. */
class CrdSchemaTest {

  /** design.md §3: the posture check ids, stable. */
  static final List<String> CHECK_IDS = List.of("docker-tcp-without-tls", "docker-tcp-without-client-verify",
      "docker-socket-permissions", "docker-socket-ownership", "docker-userns-remap-disabled",
      "docker-daemon-json-permissions", "containerd-tcp-without-tls", "containerd-tcp-without-client-verify",
      "containerd-socket-permissions", "crio-socket-permissions", "kubelet-anonymous-auth", "kubelet-readonly-port");
  static final List<String> SEVERITIES = List.of("critical", "high", "medium", "low", "info");

  private static final ObjectMapper YAML = new YAMLMapper();
  private static JsonNode crd;
  private static JsonNode version;
  private static JsonNode spec;
  private static JsonNode status;

  @BeforeAll
  static void read() throws IOException {
    crd = YAML.readTree(CrdDriftTest.CRDS.resolve(CrdDriftTest.DSP_CRD).toFile());
    version = crd.at("/spec/versions/0");
    spec = version.at("/schema/openAPIV3Schema/properties/spec");
    status = version.at("/schema/openAPIV3Schema/properties/status");
  }

  /** The schema at a dotted path below spec or status, e.g. "admission.rules". */
  private static JsonNode at(JsonNode root, String path) {
    JsonNode node = root;
    for (String field : path.split("\\.")) {
      node = field.equals("[]") ? node.path("items") : node.path("properties").path(field);
    }
    assertThat(node.isMissingNode()).as("schema has %s", path).isFalse();
    return node;
  }

  private static List<String> strings(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
  }

  @Test
  void namesAreTheFixedOnes() {
    assertThat(crd.at("/metadata/name").asText()).isEqualTo("daemonsecuritypolicies.daemonguard.io");
    assertThat(crd.at("/spec/group").asText()).isEqualTo("daemonguard.io");
    assertThat(crd.at("/spec/scope").asText()).isEqualTo("Cluster");
    assertThat(crd.at("/spec/names/kind").asText()).isEqualTo("DaemonSecurityPolicy");
    assertThat(strings(crd.at("/spec/names/shortNames"))).containsExactly("dsp");
    assertThat(crd.at("/spec/versions").size()).isEqualTo(1);
    assertThat(version.path("name").asText()).isEqualTo("v1alpha1");
    assertThat(version.at("/subresources/status").isObject()).as("status subresource").isTrue();
  }

  @Test
  void actionsAreAnEnumOfTheEnginesActionsAndOnlyThePolicyLevelOneHasADefault() {
    List<String> labels = Arrays.stream(Action.values()).map(Action::label).toList();
    JsonNode action = at(spec, "admission.action");
    assertThat(strings(action.path("enum"))).containsExactlyInAnyOrderElementsOf(labels);
    assertThat(action.path("default").asText()).isEqualTo("Enforce");
    assertThat(action.has("pattern")).isFalse();
    for (String rule : List.of("hostRootMount", "privilegedContainer", "runtimeSocketMount")) {
      JsonNode ruleSchema = at(spec, "admission.rules." + rule);
      assertThat(strings(at(ruleSchema, "action").path("enum"))).containsExactlyInAnyOrderElementsOf(labels);
      // a default here would replace the policy's action for the rule; a default on the rule or on rules would turn
      // rules on that the policy left out (an absent rule is off, absent rules all on)
      assertThat(at(ruleSchema, "action").has("default")).as(rule + ".action has no default").isFalse();
      assertThat(ruleSchema.has("default")).as(rule + " has no default").isFalse();
      assertThat(at(ruleSchema, "enabled").path("default").asBoolean(false)).isTrue();
    }
    assertThat(at(spec, "admission.rules").has("default")).isFalse();
    assertThat(at(spec, "admission").has("default")).isFalse();
    assertThat(at(spec, "admission.exemptions").has("default")).isFalse();
  }

  @Test
  void nodesFailOnIsASeverityDefaultHigh() {
    JsonNode failOn = at(spec, "nodes.failOn");
    assertThat(strings(failOn.path("enum"))).containsExactlyInAnyOrderElementsOf(SEVERITIES);
    assertThat(failOn.path("default").asText()).isEqualTo("high");
    assertThat(Arrays.stream(Severity.values()).map(Severity::label)).containsExactlyElementsOf(SEVERITIES);
  }

  @Test
  void disabledChecksAreTheDesignsCheckIds() {
    JsonNode items = at(spec, "nodes.disabledChecks.[]");
    assertThat(at(spec, "nodes.disabledChecks").path("type").asText()).isEqualTo("array");
    assertThat(strings(items.path("enum"))).containsExactlyInAnyOrderElementsOf(CHECK_IDS);
    assertThat(Arrays.stream(PostureCheck.values()).map(PostureCheck::id)).containsExactlyElementsOf(CHECK_IDS);
  }

  @Test
  void scanIntervalHasAPatternAndDefault6h() {
    JsonNode interval = at(spec, "nodes.scanInterval");
    assertThat(interval.path("default").asText()).isEqualTo("6h");
    assertThat(interval.path("pattern").asText()).isEqualTo(NodePostureSpec.DURATION_PATTERN);
    assertThat(Pattern.compile(interval.path("pattern").asText()).matcher("6h").matches()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"6h", "30m", "90s", "1h30m", "1h30m15s", "2h15s", "24h", "0h5m"})
  void scanIntervalPatternAdmits(String value) {
    assertThat(Pattern.compile(at(spec, "nodes.scanInterval").path("pattern").asText()).matcher(value).matches())
        .isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "6", "h", "6d", "1.5h", "-1h", "30m6h", "6h ", " 6h", "6H", "1h1h", "P6H", "6h\n"})
  void scanIntervalPatternRefuses(String value) {
    // the apiserver matches with Go's RE2, where $ is only the end of the text; Java's $ also matches before a final
    // newline, so matches() (the whole text) stands in for RE2's search here
    assertThat(Pattern.compile(at(spec, "nodes.scanInterval").path("pattern").asText()).matcher(value).matches())
        .isFalse();
  }

  @Test
  void remediationDefaultsReachTheNestedFields() {
    JsonNode remediation = at(spec, "nodes.remediation");
    // default {} on the object, so that the apiserver also defaults labelNodes/taintNodes when remediation is absent
    assertThat(remediation.path("default").isObject()).isTrue();
    assertThat(remediation.path("default").size()).isZero();
    assertThat(at(remediation, "labelNodes").path("default").isBoolean()).isTrue();
    assertThat(at(remediation, "labelNodes").path("default").asBoolean()).isTrue();
    assertThat(at(remediation, "taintNodes").path("default").isBoolean()).isTrue();
    assertThat(at(remediation, "taintNodes").path("default").asBoolean()).isFalse();
    // absent nodes: the policy judges no node, so no default puts one there
    assertThat(at(spec, "nodes").has("default")).isFalse();
  }

  @Test
  void nodeSelectorIsALabelSelectorWithItsRequiredFields() {
    JsonNode selector = at(spec, "nodes.nodeSelector");
    assertThat(at(selector, "matchLabels").at("/additionalProperties/type").asText()).isEqualTo("string");
    JsonNode requirement = at(selector, "matchExpressions.[]");
    assertThat(strings(requirement.path("required"))).containsExactlyInAnyOrder("key", "operator");
    assertThat(strings(at(requirement, "operator").path("enum")))
        .containsExactlyInAnyOrder("In", "NotIn", "Exists", "DoesNotExist");
    assertThat(at(requirement, "values").path("type").asText()).isEqualTo("array");
    assertThat(requirement.path("properties").size()).isEqualTo(3);
  }

  @Test
  void conditionsHaveTheMetav1ConditionShape() {
    JsonNode condition = at(status, "conditions.[]");
    assertThat(strings(condition.path("required")))
        .containsExactlyInAnyOrder("type", "status", "lastTransitionTime", "reason", "message");
    assertThat(strings(at(condition, "status").path("enum"))).containsExactlyInAnyOrder("True", "False", "Unknown");
    assertThat(at(condition, "observedGeneration").path("type").asText()).isEqualTo("integer");
    assertThat(condition.path("properties").size()).isEqualTo(6);
    Pattern reason = Pattern.compile(at(condition, "reason").path("pattern").asText());
    assertThat(reason.matcher("Valid").matches()).isTrue();
    assertThat(reason.matcher("InvalidSpec").matches()).isTrue();
    assertThat(reason.matcher("not valid").matches()).isFalse();
    assertThat(Pattern.compile(at(condition, "type").path("pattern").asText()).matcher("Ready").matches()).isTrue();
  }

  @Test
  void statusHasTheSectionsTheLaterIssuesFill() {
    assertThat(at(status, "observedGeneration").path("type").asText()).isEqualTo("integer");
    JsonNode audit = at(status, "audit");
    assertThat(at(audit, "violations").path("type").asText()).isEqualTo("integer");
    assertThat(at(audit, "byRule").at("/additionalProperties/type").asText()).isEqualTo("integer");
    assertThat(at(audit, "byAction").at("/additionalProperties/type").asText()).isEqualTo("integer");
    assertThat(at(audit, "lastCompleted").path("type").asText()).isEqualTo("string");
    JsonNode examples = at(audit, "examples");
    assertThat(examples.path("maxItems").asInt()).isEqualTo(AuditStatus.MAX_EXAMPLES).isEqualTo(20);
    assertThat(examples.at("/items/properties").fieldNames()).toIterable()
        .containsExactlyInAnyOrder("kind", "namespace", "name", "rule", "path");
    assertThat(strings(examples.at("/items/required"))).containsExactlyInAnyOrder("kind", "name", "rule");
    JsonNode nodes = at(status, "nodes");
    assertThat(nodes.path("properties").fieldNames()).toIterable()
        .containsExactlyInAnyOrder("selected", "scanned", "compliant", "nonCompliant", "findings");
    assertThat(at(nodes, "findings").path("properties").fieldNames()).toIterable()
        .containsExactlyInAnyOrder("critical", "high", "medium", "low");
    assertThat(at(nodes, "nonCompliant").path("minimum").asDouble(-1)).isZero();
  }

  @Test
  void printerColumnsAreActionReadyViolationsNonCompliantAndAgeInThatOrder() {
    Map<String, List<String>> columns = new java.util.LinkedHashMap<>();
    for (JsonNode column : version.path("additionalPrinterColumns")) {
      columns.put(column.path("name").asText(), List.of(column.path("jsonPath").asText(), column.path("type").asText()));
    }
    // in the order design.md fixes (the generator sorts by JSON path; PrinterColumnOrder puts them back)
    assertThat(columns.keySet()).containsExactly("Action", "Ready", "Violations", "Non-compliant", "Age");
    assertThat(columns.get("Non-compliant")).containsExactly(".status.nodes.nonCompliant", "integer");
    assertThat(columns.get("Violations")).containsExactly(".status.audit.violations", "integer");
    assertThat(columns.get("Action")).containsExactly(".spec.admission.action", "string");
    assertThat(columns.get("Ready")).containsExactly(".status.conditions[?(@.type==\"Ready\")].status", "string");
    assertThat(columns.get("Age")).containsExactly(".metadata.creationTimestamp", "date");
  }

  @Test
  void everyFieldIsDescribedForKubectlExplain() {
    List<String> undescribed = new ArrayList<>();
    describe("spec", spec, undescribed);
    describe("status", status, undescribed);
    assertThat(undescribed).isEmpty();
  }

  private static void describe(String path, JsonNode schema, List<String> undescribed) {
    if (schema.path("description").asText("").isBlank()) {
      undescribed.add(path);
    }
    JsonNode elements = schema.has("items") ? schema.path("items") : schema.path("additionalProperties");
    JsonNode object = elements.isObject() ? elements : schema;
    for (Iterator<Map.Entry<String, JsonNode>> it = object.path("properties").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      describe(path + "." + field.getKey(), field.getValue(), undescribed);
    }
  }

  @Test
  void noCelRulesAndEveryDefaultIsValidForItsOwnSchema() {
    List<String> problems = new ArrayList<>();
    walk("", version.at("/schema/openAPIV3Schema"), problems);
    assertThat(problems).isEmpty();
  }

  private static void walk(String path, JsonNode schema, List<String> problems) {
    if (schema.has("x-kubernetes-validations")) {
      problems.add(path + ": CEL rules are ignored by Kubernetes 1.20");
    }
    JsonNode value = schema.get("default");
    if (value != null) {
      String type = schema.path("type").asText();
      boolean typed = switch (type) {
        case "string" -> value.isTextual();
        case "boolean" -> value.isBoolean();
        case "integer" -> value.isIntegralNumber();
        case "object" -> value.isObject();
        case "array" -> value.isArray();
        default -> false;
      };
      if (!typed) {
        problems.add(path + ": default " + value + " is not a " + type);
      }
      if (schema.has("enum") && !strings(schema.path("enum")).contains(value.asText())) {
        problems.add(path + ": default " + value + " is not in its enum");
      }
      if (schema.has("pattern") && !Pattern.compile(schema.path("pattern").asText()).matcher(value.asText()).find()) {
        problems.add(path + ": default " + value + " does not match its pattern");
      }
    }
    schema.path("properties").fields().forEachRemaining(f -> walk(path + "." + f.getKey(), f.getValue(), problems));
    if (schema.has("items")) {
      walk(path + "[]", schema.path("items"), problems);
    }
    if (schema.path("additionalProperties").isObject()) {
      walk(path + "{}", schema.path("additionalProperties"), problems);
    }
  }
}
