package io.daemonguard.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.daemonguard.FuzzHeap;
import io.daemonguard.report.ViolationText;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Coverage-guided fuzzing of the pure engine: {@link WorkloadReader} and {@link AdmissionEngine} on arbitrary JSON
 * trees (only {@link InvalidObjectException} may escape), and the property that every spelling of the root is refused.
 *
 * <p>Without {@code JAZZER_FUZZ} these run over the seeds in {@code EngineFuzzTestInputs/}; see docs/hardening.md for
 * the fuzzing runs.
 */
public class EngineFuzzTest {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final AdmissionPolicy DEFAULT = AdmissionPolicy.defaultPolicy("daemonguard", Set.of());
  private static final List<AdmissionPolicy> POLICY_SETS_WARN_AUDIT = List.of(
      policy("warn-all", Action.WARN, List.of("/run/my-runtime/api.sock", "/opt/*/agent.sock")),
      new AdmissionPolicy("audit-exempting", Map.of(RuleId.RUNTIME_SOCKET_MOUNT, Action.AUDIT,
          RuleId.HOST_ROOT_MOUNT, Action.AUDIT), RuntimeSockets.defaults(), Set.of("monitoring"),
          Set.of("team-a/scanner", "team-a/default"), List.of(ImagePattern.of("registry.example.com/scanner:*"),
          ImagePattern.of("*"))));

  private static final String[] KINDS = {
      "Pod", "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "CronJob", "ReplicationController",
      "PodTemplate", "PersistentVolume", "EphemeralContainers", "Rollout", "ConfigMap", "", "List"};
  private static final String[] KEYS = {
      "kind", "apiVersion", "metadata", "name", "namespace", "generateName", "spec", "template", "jobTemplate",
      "containers", "initContainers", "ephemeralContainers", "securityContext", "privileged", "volumes", "hostPath",
      "local", "path", "volumeMounts", "image", "serviceAccountName", "serviceAccount", "items", "type"};
  private static final String[] VALUES = {
      "Pod", "Deployment", "CronJob", "PersistentVolume", "EphemeralContainers", "PodTemplate", "/", "//", "/.",
      "/var/run/..", "/var/run/docker.sock", "/run/containerd", "/run/user/1000/docker.sock", "docker.sock",
      "kube-system", "daemonguard", "team-a", "monitoring", "scanner", "registry.example.com/scanner:1", "busybox",
      "..", ".", "", "\u0000", "true"};
  private static final String[] NAMESPACES = {"team-a", "kube-system", "daemonguard", "monitoring", "", "default"};

  private static AdmissionPolicy policy(String name, Action action, List<String> extraSockets) {
    Map<RuleId, Action> rules = new EnumMap<>(RuleId.class);
    for (RuleId rule : RuleId.values()) {
      rules.put(rule, action);
    }
    return new AdmissionPolicy(name, rules, RuntimeSockets.withExtraPaths(extraSockets), Set.of(), Set.of(), List.of());
  }

  /** Arbitrary trees, biased towards the fields the reader looks at: only InvalidObjectException may escape. */
  @FuzzTest(maxDuration = "10m")
  void arbitraryTrees(FuzzedDataProvider data) {
    arbitraryTree(data);
  }

  /** The target itself, also driven by {@link io.daemonguard.FuzzSmokeTest}. */
  public static void arbitraryTree(FuzzedDataProvider data) {
    FuzzHeap.sample("EngineFuzzTest.arbitraryTrees");
    String kind = data.consumeBoolean() ? pick(data, KINDS) : data.consumeString(16);
    String namespace = data.consumeBoolean() ? null : pick(data, NAMESPACES);
    boolean kindFromObject = data.consumeBoolean();
    int shape = data.consumeInt(0, 3);
    JsonNode tree = switch (shape) {
      case 0 -> node(data, 0);
      case 1 -> wrap(kind, node(data, 1));                  // a random pod spec where the kind keeps it
      case 2 -> wrap(kind, podSpec(data));                   // a plausible pod spec with random values
      default -> podSpecAt(kind, objectNode(data, 1));
    };
    if (!kindFromObject) {
      prunedReadsAsWhole(tree, kind, namespace);
    }
    Workload workload;
    try {
      workload = kindFromObject ? WorkloadReader.read(tree, namespace) : WorkloadReader.read(tree, kind, namespace);
    } catch (InvalidObjectException e) {
      assertThat(e.getMessage()).as("an InvalidObjectException names the field").isNotBlank().contains(":");
      return;
    }
    assertThat(workload.kind()).isNotNull();
    for (Workload.Container container : workload.containers()) {
      assertThat(container.path()).isNotEmpty();
    }
    for (Workload.HostVolume volume : workload.hostVolumes()) {
      assertThat(volume.hostPath()).isNotNull();
      assertThat(volume.path()).endsWith(".path");
    }
    judge(workload, List.of(DEFAULT));
    judge(workload, POLICY_SETS_WARN_AUDIT);
    List<AdmissionPolicy> all = new ArrayList<>(POLICY_SETS_WARN_AUDIT);
    all.add(DEFAULT);
    Decision strictest = judge(workload, all);

    // the default policy in a namespace it does not exempt: anything privileged or mounting the root is denied
    String ns = workload.namespace();
    boolean exempt = "kube-system".equals(ns) || "daemonguard".equals(ns);
    boolean dangerous = workload.containers().stream().anyMatch(Workload.Container::privileged)
        || workload.hostVolumes().stream().anyMatch(v -> HostPaths.canonical(v.hostPath()).equals("/"));
    if (dangerous && !exempt) {
      assertThat(strictest.allowed()).as("%s", workload).isFalse();
      assertThat(AdmissionEngine.evaluate(workload, List.of(DEFAULT)).allowed()).as("%s", workload).isFalse();
    }
  }

  /**
   * A decoder may build of an object only {@link WorkloadReader#FIELDS} (the webhook's does): reading the tree pruned
   * to that selection must give the same workload, or the same refusal, as reading it whole, with the kind from the
   * request and from the object. The webhook's fuzz targets check that its decoder builds exactly this selection.
   */
  private static void prunedReadsAsWhole(JsonNode tree, String kind, String namespace) {
    JsonNode pruned = prune(tree, WorkloadReader.FIELDS);
    assertThat(workload(pruned, kind, namespace)).as("pruned reads as whole: %s", tree)
        .isEqualTo(workload(tree, kind, namespace));
    assertThat(workload(pruned, null, namespace)).as("pruned reads as whole, kind from the object: %s", tree)
        .isEqualTo(workload(tree, null, namespace));
  }

  /** What {@code selection} keeps of a tree: an array's elements with its own selection, the rest whole. */
  static JsonNode prune(JsonNode node, FieldSelection selection) {
    if (selection == FieldSelection.ALL) {
      return node;
    }
    if (node.isObject()) {
      ObjectNode kept = NODES.objectNode();
      node.fields().forEachRemaining(field -> {
        FieldSelection below = selection.field(field.getKey());
        if (below != null) {
          kept.set(field.getKey(), prune(field.getValue(), below));
        }
      });
      return kept;
    }
    if (node.isArray()) {
      com.fasterxml.jackson.databind.node.ArrayNode kept = NODES.arrayNode();
      node.forEach(element -> kept.add(prune(element, selection)));
      return kept;
    }
    return node;
  }

  /** A workload, or the refusal's message. A null kind is read from the object, as check reads manifests. */
  private static Object workload(JsonNode object, String kind, String namespace) {
    try {
      return kind == null ? WorkloadReader.read(object, namespace) : WorkloadReader.read(object, kind, namespace);
    } catch (InvalidObjectException e) {
      return "refused: " + e.getMessage();
    }
  }

  private static Decision judge(Workload workload, List<AdmissionPolicy> policies) {
    Decision decision = AdmissionEngine.evaluate(workload, policies);
    if (decision.violations().isEmpty()) {
      assertThat(decision.allowed()).isTrue();
      return decision;
    }
    assertThat(decision.allowed()).isEqualTo(decision.action() != Action.ENFORCE);
    for (Violation finding : decision.violations()) {
      assertThat(finding.rule()).isNotNull();
      assertThat(finding.path()).isNotEmpty();
      assertThat(finding.message()).isNotEmpty();
      assertThat(finding.policies()).isNotEmpty();
      assertThat(ViolationText.line(finding)).contains(finding.rule().id());
    }
    assertThat(ViolationText.subject(workload)).isNotBlank();
    return decision;
  }

  /**
   * A hostPath built from random segments ({@code name}, {@code ..}, {@code .}, empty, the {@code /var/run} alias)
   * that climbs back to the root is always denied as host-root-mount, whatever the kind that carries it.
   */
  @FuzzTest(maxDuration = "10m")
  void rootInAnySpellingIsDenied(FuzzedDataProvider data) {
    rootInAnySpelling(data);
  }

  /** The target itself, also driven by {@link io.daemonguard.FuzzSmokeTest}. */
  public static void rootInAnySpelling(FuzzedDataProvider data) {
    FuzzHeap.sample("EngineFuzzTest.rootInAnySpellingIsDenied");
    List<String> segments = new ArrayList<>();
    int depth = 0;
    int steps = data.consumeInt(0, 24);
    for (int i = 0; i < steps; i++) {
      switch (data.consumeInt(0, 5)) {
        case 0, 1 -> {
          segments.add(segmentName(data));
          depth++;
        }
        case 2 -> {
          segments.add("..");
          depth = Math.max(0, depth - 1);
        }
        case 3 -> segments.add(".");
        case 4 -> segments.add("");
        default -> {
          if (depth == 0) {
            // /var/run is a symlink to /run: one level below the root, whatever its spelling says
            segments.add("var");
            segments.add("run");
            depth = 1;
          }
        }
      }
    }
    for (; depth > 0; depth--) { // climb back to the root, with a no-op segment now and then
      int filler = data.consumeInt(0, 2);
      if (filler > 0) {
        segments.add(filler == 1 ? "." : "");
      }
      segments.add("..");
    }
    StringBuilder path = new StringBuilder(data.consumeBoolean() ? "/" : "");
    path.append(String.join("/", segments));
    if (data.consumeBoolean()) {
      path.append('/');
    }
    String hostPath = path.toString();
    assertThat(HostPaths.canonical(hostPath)).as("canonical(%s)", hostPath).isEqualTo("/");

    String kind = pick(data, new String[] {"Pod", "Deployment", "CronJob", "PodTemplate", "PersistentVolume", "Job"});
    ObjectNode volume = NODES.objectNode().put("name", "root");
    volume.putObject("hostPath").put("path", hostPath);
    ObjectNode spec = NODES.objectNode();
    spec.putArray("volumes").add(volume);
    ObjectNode container = spec.putArray("containers").addObject().put("name", "app").put("image", "busybox");
    container.putArray("volumeMounts").addObject().put("name", "root").put("mountPath", "/host");
    JsonNode object;
    String field;
    if (kind.equals("PersistentVolume")) {
      ObjectNode pv = NODES.objectNode().put("kind", kind);
      pv.putObject("metadata").put("name", "pv");
      pv.putObject("spec").putObject(data.consumeBoolean() ? "hostPath" : "local").put("path", hostPath);
      object = pv;
      field = "spec." + pv.get("spec").fieldNames().next() + ".path";
    } else {
      object = podSpecAt(kind, spec);
      field = prefix(kind) + "volumes[0].hostPath.path";
    }
    String namespace = pick(data, new String[] {"team-a", "default", "monitoring"});
    Workload workload = WorkloadReader.read(object, namespace);
    Decision decision = AdmissionEngine.evaluate(workload, List.of(DEFAULT));
    assertThat(decision.allowed()).as("%s in %s", hostPath, kind).isFalse();
    assertThat(decision.violations()).as("%s in %s", hostPath, kind)
        .anyMatch(f -> f.rule() == RuleId.HOST_ROOT_MOUNT && f.path().equals(field)
            && f.action() == Action.ENFORCE);
  }

  private static String segmentName(FuzzedDataProvider data) {
    String name = data.consumeBoolean() ? pick(data, new String[] {"var", "run", "tmp", "etc", "...", " ", "docker.sock"})
        : data.consumeString(8);
    name = name.replace('/', '_');
    if (name.isEmpty() || name.equals(".") || name.equals("..")) {
      name = "d";
    }
    return name;
  }

  // --- tree generation

  private static String pick(FuzzedDataProvider data, String[] values) {
    return values[data.consumeInt(0, values.length - 1)];
  }

  private static String prefix(String kind) {
    return switch (kind) {
      case "Pod" -> "spec.";
      case "CronJob" -> "spec.jobTemplate.spec.template.spec.";
      case "PodTemplate" -> "template.spec.";
      default -> "spec.template.spec.";
    };
  }

  /** The object of that kind with {@code spec} as its pod spec, where the reader looks for it. */
  private static ObjectNode podSpecAt(String kind, JsonNode spec) {
    ObjectNode object = NODES.objectNode().put("kind", kind);
    object.putObject("metadata").put("name", "x");
    ObjectNode at = object;
    String[] path = prefix(kind).split("\\.");
    for (int i = 0; i < path.length - 1; i++) {
      at = at.putObject(path[i]);
    }
    at.set(path[path.length - 1], spec);
    return object;
  }

  private static JsonNode wrap(String kind, JsonNode spec) {
    if (kind.equals("EphemeralContainers")) {
      ObjectNode object = NODES.objectNode().put("kind", kind);
      object.set("ephemeralContainers", spec.isObject() && spec.has("containers") ? spec.get("containers") : spec);
      return object;
    }
    if (kind.equals("PersistentVolume")) {
      ObjectNode object = NODES.objectNode().put("kind", kind);
      object.set("spec", spec);
      return object;
    }
    return podSpecAt(kind, spec);
  }

  /** A pod spec with the right field names and random contents. */
  private static JsonNode podSpec(FuzzedDataProvider data) {
    ObjectNode spec = NODES.objectNode();
    for (String list : new String[] {"containers", "initContainers", "ephemeralContainers"}) {
      if (data.consumeBoolean()) {
        ArrayNode containers = spec.putArray(list);
        int n = data.consumeInt(0, 3);
        for (int i = 0; i < n; i++) {
          ObjectNode c = containers.addObject();
          if (data.consumeBoolean()) {
            c.set("name", scalar(data));
          }
          if (data.consumeBoolean()) {
            c.set("image", scalar(data));
          }
          if (data.consumeBoolean()) {
            ObjectNode sc = c.putObject("securityContext");
            sc.set("privileged", data.consumeBoolean() ? NODES.booleanNode(data.consumeBoolean()) : scalar(data));
          }
          if (data.consumeBoolean()) {
            ArrayNode mounts = c.putArray("volumeMounts");
            int m = data.consumeInt(0, 3);
            for (int j = 0; j < m; j++) {
              mounts.add(data.consumeBoolean() ? NODES.objectNode().set("name", scalar(data)) : node(data, 3));
            }
          }
        }
      }
    }
    if (data.consumeBoolean()) {
      ArrayNode volumes = spec.putArray("volumes");
      int n = data.consumeInt(0, 3);
      for (int i = 0; i < n; i++) {
        ObjectNode v = volumes.addObject();
        v.set("name", scalar(data));
        if (data.consumeBoolean()) {
          v.putObject("hostPath").set("path", scalar(data));
        } else if (data.consumeBoolean()) {
          v.set("hostPath", node(data, 3));
        }
      }
    }
    if (data.consumeBoolean()) {
      spec.set(data.consumeBoolean() ? "serviceAccountName" : "serviceAccount", scalar(data));
    }
    if (data.consumeBoolean()) {
      spec.set(pick(data, KEYS), node(data, 2));
    }
    return spec;
  }

  private static JsonNode node(FuzzedDataProvider data, int depth) {
    int type = data.consumeInt(0, depth >= 8 ? 5 : 7);
    return switch (type) {
      case 6 -> objectNode(data, depth);
      case 7 -> {
        ArrayNode array = NODES.arrayNode();
        int n = data.consumeInt(0, 4);
        for (int i = 0; i < n; i++) {
          array.add(node(data, depth + 1));
        }
        yield array;
      }
      default -> scalar(data);
    };
  }

  private static ObjectNode objectNode(FuzzedDataProvider data, int depth) {
    ObjectNode object = NODES.objectNode();
    int n = data.consumeInt(0, 5);
    for (int i = 0; i < n; i++) {
      String key = data.consumeInt(0, 4) == 0 ? data.consumeString(10) : pick(data, KEYS);
      object.set(key, node(data, depth + 1));
    }
    return object;
  }

  private static JsonNode scalar(FuzzedDataProvider data) {
    return switch (data.consumeInt(0, 7)) {
      case 0 -> NODES.nullNode();
      case 1 -> NODES.booleanNode(data.consumeBoolean());
      case 2 -> NODES.numberNode(data.consumeLong());
      case 3 -> NODES.numberNode(data.consumeDouble());
      case 4 -> NODES.numberNode(new BigDecimal(BigInteger.valueOf(data.consumeLong()), data.consumeInt(-20, 20)));
      case 5 -> NODES.textNode(data.consumeString(40));
      default -> NODES.textNode(pick(data, VALUES));
    };
  }
}
