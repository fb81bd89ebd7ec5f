package io.daemonguard.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The chart as {@code helm template} renders it for Kubernetes 1.20, offline (the Helm binary of
 * {@code e2e/tools/helm.sh}; helm-java's template asks a cluster for its {@code lookup}s): what the node scan pods may do, and what the operator
 * may do for them. The scan pod runs as root with the node's /proc mounted, so the properties that bound it are checked
 * on the rendered objects, not on values.
 */
class ChartRenderTest {
  static final Path CHART = Path.of("charts/daemonguard");
  static final String RELEASE = "dg";
  static final String NAMESPACE = "daemonguard-system";
  static final String OPERATOR = "dg-daemonguard-operator";
  static final String SCAN_ACCOUNT = OPERATOR + "-scan";
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  record Rendered(List<JsonNode> objects) {
    List<JsonNode> kind(String kind) {
      return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
    }

    JsonNode one(String kind, String name) {
      List<JsonNode> found = kind(kind).stream().filter(o -> name.equals(o.path("metadata").path("name").asText()))
          .toList();
      assertThat(found).as("%s %s", kind, name).hasSize(1);
      return found.get(0);
    }

    JsonNode find(String kind, String name) {
      return kind(kind).stream().filter(o -> name.equals(o.path("metadata").path("name").asText())).findFirst()
          .orElse(MissingNode.getInstance());
    }

    JsonNode scanPod() throws IOException {
      return YAML.readTree(one("ConfigMap", SCAN_ACCOUNT).path("data").path("pod.yaml").asText());
    }

    List<String> operatorArgs() {
      List<String> args = new ArrayList<>();
      one("Deployment", OPERATOR).at("/spec/template/spec/containers/0/args").forEach(a -> args.add(a.asText()));
      return args;
    }
  }

  private static String helm;

  static synchronized String helm() throws IOException {
    if (helm == null) {
      helm = run(List.of("e2e/tools/helm.sh")).strip();
    }
    return helm;
  }

  static String run(List<String> command) throws IOException {
    Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
    process.getOutputStream().close();
    var err = process.getErrorStream();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String error = new String(err.readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed: " + error.strip());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    return out;
  }

  static Rendered render(Map<String, Object> values) throws IOException {
    List<String> command = new ArrayList<>(List.of(helm(), "template", RELEASE, CHART.toString(), "--namespace",
        NAMESPACE, "--kube-version", "1.20.2"));
    values.forEach((k, v) -> command.addAll(List.of(v instanceof String ? "--set-string" : "--set", k + "=" + v)));
    List<JsonNode> objects = new ArrayList<>();
    try (YAMLParser parser = new YAMLFactory().createParser(run(command))) {
      for (JsonNode doc : YAML.readValues(parser, JsonNode.class).readAll()) {
        if (doc != null && doc.has("kind")) {
          objects.add(doc);
        }
      }
    }
    return new Rendered(objects);
  }

  static Rendered render() throws IOException {
    return render(Map.of());
  }

  static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  /** The rules of a (Cluster)Role granting {@code resource} in {@code group}. */
  static List<JsonNode> rules(JsonNode role, String group, String resource) {
    List<JsonNode> found = new ArrayList<>();
    for (JsonNode rule : role.path("rules")) {
      if (texts(rule.path("apiGroups")).contains(group) && texts(rule.path("resources")).contains(resource)) {
        found.add(rule);
      }
    }
    return found;
  }

  static List<String> verbs(JsonNode role, String group, String resource) {
    List<String> verbs = new ArrayList<>();
    rules(role, group, resource).forEach(r -> verbs.addAll(texts(r.path("verbs"))));
    return verbs;
  }

  @Test
  void theScanAccountHasNoTokenAndNoBindingAnywhere() throws IOException {
    for (Map<String, Object> values : List.<Map<String, Object>>of(Map.of(),
        Map.of("operator.audit.enabled", false), Map.of("webhook.policiesFromCluster", false))) {
      Rendered r = render(values);
      assertThat(r.one("ServiceAccount", SCAN_ACCOUNT).path("automountServiceAccountToken").asBoolean(true))
          .as("the scan account's automountServiceAccountToken").isFalse();
      JsonNode spec = r.scanPod().path("spec");
      assertThat(spec.path("serviceAccountName").asText()).isEqualTo(SCAN_ACCOUNT);
      assertThat(spec.path("automountServiceAccountToken").asBoolean(true)).isFalse();
      assertThat(spec.path("enableServiceLinks").asBoolean(true)).isFalse();
      // neither by name nor through a group that holds every ServiceAccount (of the namespace)
      Predicate<JsonNode> namesScan = s -> ("ServiceAccount".equals(s.path("kind").asText())
          && SCAN_ACCOUNT.equals(s.path("name").asText()))
          || ("Group".equals(s.path("kind").asText()) && s.path("name").asText().startsWith("system:serviceaccounts"));
      for (String kind : List.of("RoleBinding", "ClusterRoleBinding")) {
        for (JsonNode binding : r.kind(kind)) {
          for (JsonNode subject : binding.path("subjects")) {
            assertThat(namesScan.test(subject)).as("%s %s binds %s", kind, binding.at("/metadata/name").asText(),
                subject).isFalse();
          }
        }
      }
      // no Secret of type service-account-token for it either (a pre-1.24 way to hand out a token anyway)
      for (JsonNode secret : r.kind("Secret")) {
        assertThat(secret.at("/metadata/annotations/kubernetes.io~1service-account.name").asText())
            .isNotEqualTo(SCAN_ACCOUNT);
      }
    }
  }

  @Test
  void theScanPodDropsEveryCapabilityAndMountsEveryHostPathReadOnly() throws IOException {
    JsonNode spec = render().scanPod().path("spec");
    for (String hostNamespace : List.of("hostNetwork", "hostPID", "hostIPC")) {
      assertThat(spec.path(hostNamespace).asBoolean(false)).as(hostNamespace).isFalse();
    }
    assertThat(spec.path("restartPolicy").asText()).isEqualTo("Never");
    assertThat(spec.at("/securityContext/seccompProfile/type").asText()).isEqualTo("RuntimeDefault");
    assertThat(spec.at("/tolerations/0/operator").asText()).as("tolerates every taint").isEqualTo("Exists");
    assertThat(spec.path("containers")).hasSize(1);
    JsonNode container = spec.path("containers").get(0);
    JsonNode security = container.path("securityContext");
    assertThat(texts(security.at("/capabilities/drop"))).containsExactly("ALL");
    // SYS_PTRACE would open the node's root filesystem through /proc/<pid>/root: off unless asked for
    assertThat(security.at("/capabilities/add").isMissingNode()).isTrue();
    assertThat(security.path("allowPrivilegeEscalation").asBoolean(true)).isFalse();
    assertThat(security.path("privileged").asBoolean(true)).isFalse();
    assertThat(security.path("readOnlyRootFilesystem").asBoolean(false)).isTrue();
    assertThat(security.at("/seccompProfile/type").asText()).isEqualTo("RuntimeDefault");
    assertThat(texts(container.path("args"))).containsExactly("scan-node", "--host-root=/host", "-o", "json",
        "--exit-zero");
    assertThat(texts(container.path("command"))).contains("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx96m",
        "-XX:+ExitOnOutOfMemoryError", "-Djava.io.tmpdir=/tmp");

    Map<String, JsonNode> mounts = new LinkedHashMap<>();
    container.path("volumeMounts").forEach(m -> mounts.put(m.path("name").asText(), m));
    List<String> hostPaths = new ArrayList<>();
    for (JsonNode volume : spec.path("volumes")) {
      String name = volume.path("name").asText();
      if (!volume.has("hostPath")) {
        assertThat(volume.has("emptyDir")).as("volume %s: only hostPaths and the /tmp emptyDir", name).isTrue();
        continue;
      }
      String path = volume.at("/hostPath/path").asText();
      hostPaths.add(path);
      JsonNode mount = mounts.get(name);
      assertThat(mount).as("the mount of %s", path).isNotNull();
      assertThat(mount.path("readOnly").asBoolean(false)).as("%s mounted read-only", path).isTrue();
      assertThat(mount.path("mountPath").asText()).isEqualTo("/host" + path);
    }
    assertThat(hostPaths).contains("/proc", "/etc/docker", "/etc/containerd", "/run", "/var/lib/kubelet/config.yaml")
        .doesNotContain("/", "/etc", "/var", "/var/lib", "/var/lib/kubelet", "/etc/kubernetes", "/var/lib/docker",
            "/root", "/home");
    assertThat(spec.at("/volumes").findValues("hostPath").stream()
        .filter(h -> h.path("path").asText().endsWith(".yaml")).map(h -> h.path("type").asText()))
        .as("a file is never mounted with type \"\", which would create a directory in its place")
        .doesNotContain("");
  }

  @Test
  void sysPtraceIsAddedOnlyWhenAskedFor() throws IOException {
    JsonNode security = render(Map.of("operator.nodeScan.sysPtrace", true)).scanPod()
        .at("/spec/containers/0/securityContext");
    assertThat(texts(security.at("/capabilities/drop"))).containsExactly("ALL");
    assertThat(texts(security.at("/capabilities/add"))).containsExactly("SYS_PTRACE");
  }

  @Test
  void extraHostPathsAndTheKubeletConfigAreMountedAloneAndReadOnly() throws IOException {
    JsonNode spec = render(Map.of(
        "operator.nodeScan.kubeletConfig.path", "/srv/state/kubelet-config.yaml",
        "operator.nodeScan.kubeletConfig.type", "File",
        "operator.nodeScan.extraHostPaths[0].path", "/etc/kubernetes/kubelet/kubelet-config.json",
        "operator.nodeScan.extraHostPaths[0].type", "File")).scanPod().path("spec");
    Map<String, String> types = new LinkedHashMap<>();
    spec.path("volumes").forEach(v -> {
      if (v.has("hostPath")) {
        types.put(v.at("/hostPath/path").asText(), v.at("/hostPath/type").asText());
      }
    });
    assertThat(types).containsEntry("/srv/state/kubelet-config.yaml", "File")
        .containsEntry("/etc/kubernetes/kubelet/kubelet-config.json", "File")
        .doesNotContainKey("/var/lib/kubelet/config.yaml");
    spec.at("/containers/0/volumeMounts").forEach(m -> assertThat(m.path("readOnly").asBoolean(false)
        || m.path("mountPath").asText().equals("/tmp")).as("%s", m).isTrue());

    assertThatThrownBy(() -> render(Map.of("operator.nodeScan.extraHostPaths[0].path", "/proc")))
        .hasMessageContaining("listed twice");
    assertThatThrownBy(() -> render(Map.of("operator.nodeScan.extraHostPaths[0].path", "/etc/../")))
        .hasMessageContaining("absolute, normalised");
  }

  @Test
  void theOperatorGetsThePodTemplateAndTheScanFlags() throws IOException {
    Rendered r = render(Map.of("operator.nodeScan.concurrency", 3, "operator.nodeScan.deadline", "90s",
        "operator.nodeScan.retryAfter", "1m"));
    assertThat(String.join(" ", r.operatorArgs())).contains("--node-scan --scan-pod-template "
        + "/etc/daemonguard/scan/pod.yaml --scan-namespace " + NAMESPACE
        + " --scan-concurrency 3 --scan-deadline 90s --scan-retry 1m");
    JsonNode pod = r.one("Deployment", OPERATOR).at("/spec/template");
    assertThat(pod.at("/metadata/annotations/checksum~1scan-pod-template").asText()).isNotEmpty();
    assertThat(pod.at("/spec/volumes").findValues("configMap").stream().map(c -> c.path("name").asText()))
        .contains(SCAN_ACCOUNT);
    assertThat(pod.at("/spec/containers/0/volumeMounts").findValuesAsText("mountPath"))
        .contains("/etc/daemonguard/scan");
  }

  @Test
  void theOperatorMayRunScansAndWritePosturesWithTheAuditOnOrOff() throws IOException {
    for (boolean audit : List.of(true, false)) {
      Rendered r = render(Map.of("operator.audit.enabled", audit));
      JsonNode cluster = r.one("ClusterRole", OPERATOR);
      assertThat(verbs(cluster, "", "nodes")).containsExactlyInAnyOrder("get", "list", "watch", "patch");
      assertThat(verbs(cluster, "daemonguard.io", "nodedaemonpostures"))
          .containsExactlyInAnyOrder("get", "list", "watch", "create", "update", "patch", "delete");
      assertThat(verbs(cluster, "daemonguard.io", "nodedaemonpostures/status"))
          .containsExactlyInAnyOrder("get", "update", "patch");
      assertThat(verbs(cluster, "daemonguard.io", "daemonsecuritypolicies/status"))
          .containsExactlyInAnyOrder("update", "patch");
      assertThat(verbs(cluster, "wgpolicyk8s.io", "clusterpolicyreports")).contains("create", "update", "delete");
      assertThat(verbs(cluster, "wgpolicyk8s.io", "policyreports")).as("namespaced reports: the audit's only")
          .isEqualTo(audit ? List.of("get", "list", "watch", "create", "update", "patch", "delete") : List.of());
      assertThat(verbs(cluster, "batch", "jobs")).as("Jobs cluster-wide: the audit's reads only")
          .doesNotContain("create", "delete");
      // node Events go to the events namespace: the audit's cluster-wide grant, or the Role there
      List<String> eventVerbs = new ArrayList<>(verbs(cluster, "", "events"));
      eventVerbs.addAll(verbs(r.find("Role", OPERATOR + "-events"), "", "events"));
      assertThat(eventVerbs).contains("create", "patch");
      if (!audit) {
        assertThat(r.one("Role", OPERATOR + "-events").at("/metadata/namespace").asText()).isEqualTo("default");
      }

      JsonNode role = r.one("Role", OPERATOR);
      assertThat(role.at("/metadata/namespace").asText()).isEqualTo(NAMESPACE);
      assertThat(verbs(role, "batch", "jobs")).containsExactlyInAnyOrder("get", "list", "watch", "create", "delete");
      assertThat(verbs(role, "", "pods")).containsExactlyInAnyOrder("get", "list", "watch");
      assertThat(verbs(role, "", "pods/log")).containsExactly("get");
    }
    JsonNode openreports = render(Map.of("operator.audit.enabled", false, "reports.format", "openreports"))
        .one("ClusterRole", OPERATOR);
    assertThat(verbs(openreports, "openreports.io", "clusterreports")).contains("create", "delete");
    assertThat(verbs(openreports, "openreports.io", "reports")).isEmpty();
  }

  @Test
  void theBaselinePolicySelectsEveryNodeSoThatTheScansHaveSomethingToDo() throws IOException {
    JsonNode nodes = render().one("DaemonSecurityPolicy", "baseline").at("/spec/nodes");
    assertThat(nodes.path("nodeSelector").isObject() && nodes.path("nodeSelector").isEmpty()).as("%s", nodes)
        .isTrue();
    assertThat(nodes.path("failOn").asText()).isEqualTo("high");
    assertThat(nodes.at("/remediation/taintNodes").asBoolean(true)).isFalse();
    JsonNode strict = render(Map.of("defaultPolicy.nodes.failOn", "critical",
        "defaultPolicy.nodes.remediation.taintNodes", true)).one("DaemonSecurityPolicy", "baseline").at("/spec/nodes");
    assertThat(strict.path("failOn").asText()).isEqualTo("critical");
    assertThat(strict.at("/remediation/taintNodes").asBoolean(false)).isTrue();
    assertThat(strict.at("/remediation/labelNodes").asBoolean(false)).isTrue();
  }

  @Test
  void withNodeScansOffNothingOfThemIsRendered() throws IOException {
    Rendered r = render(Map.of("operator.nodeScan.enabled", false));
    assertThat(r.find("ServiceAccount", SCAN_ACCOUNT).isMissingNode()).isTrue();
    assertThat(r.find("ConfigMap", SCAN_ACCOUNT).isMissingNode()).isTrue();
    assertThat(r.operatorArgs()).contains("--no-node-scan")
        .noneMatch(a -> a.startsWith("--scan-") || a.equals("--node-scan"));
    JsonNode pod = r.one("Deployment", OPERATOR).at("/spec/template");
    assertThat(pod.at("/metadata/annotations/checksum~1scan-pod-template").isMissingNode()).isTrue();
    assertThat(pod.at("/spec/volumes").findValues("configMap")).isEmpty();
    JsonNode cluster = r.one("ClusterRole", OPERATOR);
    assertThat(verbs(cluster, "", "nodes")).isEmpty();
    assertThat(verbs(cluster, "daemonguard.io", "nodedaemonpostures")).isEmpty();
    assertThat(verbs(r.one("Role", OPERATOR), "batch", "jobs")).isEmpty();
    assertThat(verbs(r.one("Role", OPERATOR), "", "pods/log")).isEmpty();
    assertThat(r.objects()).noneMatch(o -> "node-scan".equals(o.at("/metadata/labels/app.kubernetes.io~1component")
        .asText()));
    assertThat(r.one("DaemonSecurityPolicy", "baseline").at("/spec/nodes").isMissingNode()).isTrue();
    // and with the audit off too, no reports at all
    JsonNode neither = render(Map.of("operator.nodeScan.enabled", false, "operator.audit.enabled", false))
        .one("ClusterRole", OPERATOR);
    assertThat(verbs(neither, "wgpolicyk8s.io", "clusterpolicyreports")).isEmpty();
  }
}
