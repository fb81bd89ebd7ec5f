package io.daemonguard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * AdmissionReview bodies for the benchmarks, shaped like what kube-apiserver sends for objects made by the usual
 * controllers: every field of the review (requestKind, requestResource, userInfo with groups, options, dryRun,
 * oldObject), and objects with full managedFields, ownerReferences, the injected service-account token volume,
 * probes, resources and env. Deterministic, so runs compare.
 *
 * <p>{@code java -cp ... io.daemonguard.bench.Bodies DIR} writes each body to {@code DIR/<name>.json}.
 */
public final class Bodies {

  /** An allowed pod as a ReplicaSet creates it: one app container, one sidecar, a log hostPath; about 6 KB. */
  public static final String TYPICAL_POD = "typical-pod";
  /**
   * The typical pod without {@code metadata.managedFields}, which the apiserver always sets: not a body it sends, but
   * the measure of what reading that one field costs.
   */
  public static final String TYPICAL_POD_WITHOUT_MANAGED_FIELDS = "typical-pod-without-managed-fields";
  /** The typical pod, plus a privileged container and the Docker socket mounted: denied with two violations. */
  public static final String DENIED_POD = "denied-pod";
  /** 50 containers (10 of them init containers) and 100 volumes, 20 of them benign hostPaths: allowed. */
  public static final String LARGE_POD = "large-pod";
  /** A Deployment as {@code kubectl apply} creates it (with the last-applied annotation): allowed. */
  public static final String DEPLOYMENT = "deployment";

  static final ObjectMapper JSON = new ObjectMapper();

  private Bodies() {}

  /** Every body by name, in a stable order. */
  public static Map<String, byte[]> all() {
    Map<String, byte[]> bodies = new LinkedHashMap<>();
    String[] names = {TYPICAL_POD, DENIED_POD, LARGE_POD, DEPLOYMENT, TYPICAL_POD_WITHOUT_MANAGED_FIELDS};
    for (String name : names) {
      bodies.put(name, body(name));
    }
    return bodies;
  }

  public static byte[] body(String name) {
    return bytes(tree(name));
  }

  /** The body named, without the object's {@code metadata.managedFields}: what reading that one field costs. */
  public static byte[] withoutManagedFields(String name) {
    return bytes(withoutManagedFields(tree(name)));
  }

  private static ObjectNode tree(String name) {
    return switch (name) {
      case TYPICAL_POD -> podCreate(typicalPod(false));
      case TYPICAL_POD_WITHOUT_MANAGED_FIELDS -> withoutManagedFields(tree(TYPICAL_POD));
      case DENIED_POD -> podCreate(typicalPod(true));
      case LARGE_POD -> podCreate(largePod());
      case DEPLOYMENT -> review("apps", "v1", "Deployment", "deployments", "team-a", "web", deployment());
      default -> throw new IllegalArgumentException("no body named " + name);
    };
  }

  private static ObjectNode withoutManagedFields(ObjectNode review) {
    ((ObjectNode) review.path("request").path("object").path("metadata")).remove("managedFields");
    return review;
  }

  private static byte[] bytes(ObjectNode review) {
    try {
      return JSON.writeValueAsBytes(review);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: Bodies DIR");
      System.exit(2);
    }
    Path dir = Path.of(args[0]);
    Files.createDirectories(dir);
    for (Map.Entry<String, byte[]> body : all().entrySet()) {
      Files.write(dir.resolve(body.getKey() + ".json"), body.getValue());
      System.out.println(body.getKey() + ".json " + body.getValue().length + " bytes");
    }
  }

  private static ObjectNode podCreate(ObjectNode pod) {
    // the apiserver sends no name for a generateName pod on CREATE
    return review("", "v1", "Pod", "pods", "team-a", null, pod);
  }

  static ObjectNode review(String group, String version, String kind, String resource, String namespace, String name,
      ObjectNode object) {
    ObjectNode review = JSON.createObjectNode();
    review.put("kind", "AdmissionReview");
    review.put("apiVersion", "admission.k8s.io/v1");
    ObjectNode request = review.putObject("request");
    request.put("uid", "705ab4f5-6393-11e8-b7cc-42010a800002");
    ObjectNode gvk = request.putObject("kind");
    gvk.put("group", group).put("version", version).put("kind", kind);
    ObjectNode gvr = request.putObject("resource");
    gvr.put("group", group).put("version", version).put("resource", resource);
    request.set("requestKind", gvk.deepCopy());
    request.set("requestResource", gvr.deepCopy());
    if (name != null) {
      request.put("name", name);
    }
    request.put("namespace", namespace);
    request.put("operation", "CREATE");
    ObjectNode userInfo = request.putObject("userInfo");
    if (kind.equals("Pod")) {
      userInfo.put("username", "system:serviceaccount:kube-system:replicaset-controller");
      userInfo.put("uid", "1c2a8f3e-5b7d-4e0a-9f61-3d2b7c9e0a14");
      userInfo.putArray("groups").add("system:serviceaccounts").add("system:serviceaccounts:kube-system")
          .add("system:authenticated");
    } else {
      userInfo.put("username", "kubernetes-admin");
      userInfo.putArray("groups").add("system:masters").add("system:authenticated");
    }
    request.set("object", object);
    request.putNull("oldObject");
    request.put("dryRun", false);
    ObjectNode options = request.putObject("options");
    options.put("kind", "CreateOptions");
    options.put("apiVersion", "meta.k8s.io/v1");
    if (!kind.equals("Pod")) {
      options.put("fieldManager", "kubectl-client-side-apply");
    }
    return review;
  }

  static ObjectNode typicalPod(boolean denied) {
    ObjectNode pod = JSON.createObjectNode();
    pod.put("kind", "Pod").put("apiVersion", "v1");
    ObjectNode metadata = pod.putObject("metadata");
    metadata.put("generateName", "web-7d4b9c8f6d-").put("namespace", "team-a").put("uid", "")
        .putNull("creationTimestamp");
    metadata.putObject("labels").put("app", "web").put("pod-template-hash", "7d4b9c8f6d");
    metadata.putObject("annotations").put("kubectl.kubernetes.io/restartedAt", "2024-05-01T10:00:00Z");
    ObjectNode owner = metadata.putArray("ownerReferences").addObject();
    owner.put("apiVersion", "apps/v1").put("kind", "ReplicaSet").put("name", "web-7d4b9c8f6d")
        .put("uid", "2f4c6e8a-0b1d-4f3a-8c5e-7a9b1c3d5e7f").put("controller", true).put("blockOwnerDeletion", true);
    ObjectNode spec = pod.putObject("spec");
    ArrayNode volumes = spec.putArray("volumes");
    volumes.add(hostPathVolume("logs", "/var/log/pods"));
    volumes.add(tokenVolume("kube-api-access-x7k2p"));
    if (denied) {
      volumes.add(hostPathVolume("docker", "/var/run/docker.sock"));
    }
    ArrayNode containers = spec.putArray("containers");
    containers.add(container("web", "registry.example.com/team-a/web:1.42.0", false, "logs"));
    containers.add(container("log-shipper", "fluent/fluent-bit:3.0", denied, denied ? "docker" : "logs"));
    podSpecTail(spec);
    pod.putObject("status");
    return managedBy(pod, "kube-controller-manager", "v1");
  }

  static ObjectNode largePod() {
    ObjectNode pod = typicalPod(false);
    ObjectNode spec = (ObjectNode) pod.get("spec");
    ArrayNode volumes = spec.putArray("volumes");
    for (int v = 0; v < 100; v++) {
      String name = "vol-" + v;
      switch (v % 5) {
        case 0 -> volumes.add(hostPathVolume(name, "/var/lib/app/data-" + v));
        case 1 -> volumes.addObject().put("name", name).putObject("configMap").put("name", "config-" + v)
            .put("defaultMode", 420);
        case 2 -> volumes.addObject().put("name", name).putObject("secret").put("secretName", "secret-" + v)
            .put("defaultMode", 420);
        case 3 -> volumes.addObject().put("name", name).putObject("emptyDir");
        default -> volumes.add(tokenVolume(name));
      }
    }
    ArrayNode init = spec.putArray("initContainers");
    ArrayNode containers = spec.putArray("containers");
    for (int c = 0; c < 50; c++) {
      String[] mounts = {"vol-" + (2 * c), "vol-" + (2 * c + 1)};
      (c < 10 ? init : containers).add(container("c-" + c, "registry.example.com/team-a/app-" + c + ":1.0", false, mounts));
    }
    return pod;
  }

  static ObjectNode deployment() {
    ObjectNode deployment = JSON.createObjectNode();
    deployment.put("apiVersion", "apps/v1").put("kind", "Deployment");
    ObjectNode metadata = deployment.putObject("metadata");
    metadata.put("name", "web").put("namespace", "team-a");
    metadata.putObject("labels").put("app", "web");
    ObjectNode pod = typicalPod(false);
    ObjectNode spec = deployment.putObject("spec");
    spec.put("replicas", 3).put("revisionHistoryLimit", 10).put("progressDeadlineSeconds", 600);
    spec.putObject("selector").putObject("matchLabels").put("app", "web");
    ObjectNode strategy = spec.putObject("strategy").put("type", "RollingUpdate");
    strategy.putObject("rollingUpdate").put("maxUnavailable", "25%").put("maxSurge", "25%");
    ObjectNode template = spec.putObject("template");
    template.putObject("metadata").putNull("creationTimestamp").putObject("labels").put("app", "web");
    ObjectNode podSpec = (ObjectNode) pod.get("spec");
    ((ArrayNode) podSpec.get("volumes")).remove(1); // the token volume is injected into pods, not templates
    template.set("spec", podSpec);
    metadata.putObject("annotations").put("kubectl.kubernetes.io/last-applied-configuration",
        deployment.toString());
    deployment.putObject("status");
    return managedBy(deployment, "kubectl-client-side-apply", "apps/v1");
  }

  /**
   * Sets {@code metadata.managedFields} as the apiserver does before admission: one entry for the manager, whose
   * {@code fieldsV1} names every field it set (lists of objects keyed by name, mountPath or port). Often as large as
   * the spec itself.
   */
  static ObjectNode managedBy(ObjectNode object, String manager, String apiVersion) {
    ObjectNode metadata = (ObjectNode) object.get("metadata");
    metadata.remove("managedFields");
    ObjectNode entry = JSON.createObjectNode();
    entry.put("manager", manager).put("operation", "Update").put("apiVersion", apiVersion)
        .put("time", "2024-05-01T10:00:00Z").put("fieldsType", "FieldsV1");
    ObjectNode fields = entry.putObject("fieldsV1");
    fields.set("f:metadata", fieldSet((ObjectNode) metadata.deepCopy().without(List.of("namespace", "uid",
        "creationTimestamp")), false));
    fields.set("f:spec", fieldSet((ObjectNode) object.get("spec"), false));
    metadata.putArray("managedFields").add(entry);
    return object;
  }

  private static ObjectNode fieldSet(ObjectNode object, boolean withDot) {
    ObjectNode set = JSON.createObjectNode();
    if (withDot) {
      set.putObject(".");
    }
    object.fields().forEachRemaining(field -> {
      JsonNode value = field.getValue();
      if (value.isObject() && !value.isEmpty()) {
        set.set("f:" + field.getKey(), fieldSet((ObjectNode) value, true));
      } else if (value.isArray() && !value.isEmpty() && keyOf(value.get(0)) != null) {
        ObjectNode list = set.putObject("f:" + field.getKey());
        list.putObject(".");
        for (JsonNode element : value) {
          list.set("k:" + keyOf(element), fieldSet((ObjectNode) element, true));
        }
      } else {
        set.putObject("f:" + field.getKey());
      }
    });
    return set;
  }

  /** The merge key of a list element, as server-side apply writes it; null for an atomic list. */
  private static String keyOf(JsonNode element) {
    if (!element.isObject()) {
      return null;
    }
    for (String key : new String[] {"name", "mountPath", "containerPort"}) {
      if (element.has(key)) {
        return "{\"" + key + "\":" + element.get(key) + "}";
      }
    }
    return null;
  }

  private static ObjectNode hostPathVolume(String name, String path) {
    ObjectNode volume = JSON.createObjectNode().put("name", name);
    volume.putObject("hostPath").put("path", path).put("type", "");
    return volume;
  }

  private static ObjectNode tokenVolume(String name) {
    ObjectNode volume = JSON.createObjectNode().put("name", name);
    ObjectNode projected = volume.putObject("projected");
    ArrayNode sources = projected.putArray("sources");
    sources.addObject().putObject("serviceAccountToken").put("expirationSeconds", 3607).put("path", "token");
    ObjectNode ca = sources.addObject().putObject("configMap").put("name", "kube-root-ca.crt");
    ca.putArray("items").addObject().put("key", "ca.crt").put("path", "ca.crt");
    ObjectNode field = sources.addObject().putObject("downwardAPI").putArray("items").addObject();
    field.put("path", "namespace").putObject("fieldRef").put("apiVersion", "v1").put("fieldPath", "metadata.namespace");
    projected.put("defaultMode", 420);
    return volume;
  }

  private static ObjectNode container(String name, String image, boolean privileged, String... mounts) {
    ObjectNode c = JSON.createObjectNode().put("name", name).put("image", image);
    c.putArray("args").add("--port=8080").add("--log-level=info");
    c.putArray("ports").addObject().put("name", "http").put("containerPort", 8080).put("protocol", "TCP");
    ArrayNode env = c.putArray("env");
    env.addObject().put("name", "LOG_FORMAT").put("value", "json");
    env.addObject().put("name", "POD_NAME").putObject("valueFrom").putObject("fieldRef").put("apiVersion", "v1")
        .put("fieldPath", "metadata.name");
    ObjectNode resources = c.putObject("resources");
    resources.putObject("limits").put("memory", "256Mi");
    resources.putObject("requests").put("cpu", "100m").put("memory", "128Mi");
    ArrayNode volumeMounts = c.putArray("volumeMounts");
    for (String mount : mounts) {
      volumeMounts.addObject().put("name", mount).put("mountPath", "/mnt/" + mount);
    }
    volumeMounts.addObject().put("name", "kube-api-access-x7k2p").put("readOnly", true)
        .put("mountPath", "/var/run/secrets/kubernetes.io/serviceaccount");
    ObjectNode probe = c.putObject("readinessProbe");
    probe.putObject("httpGet").put("path", "/ready").put("port", 8080).put("scheme", "HTTP");
    probe.put("timeoutSeconds", 1).put("periodSeconds", 10).put("successThreshold", 1).put("failureThreshold", 3);
    c.put("terminationMessagePath", "/dev/termination-log").put("terminationMessagePolicy", "File")
        .put("imagePullPolicy", "IfNotPresent");
    ObjectNode securityContext = c.putObject("securityContext");
    if (privileged) {
      securityContext.put("privileged", true);
    } else {
      securityContext.put("allowPrivilegeEscalation", false).put("readOnlyRootFilesystem", true);
    }
    return c;
  }

  private static void podSpecTail(ObjectNode spec) {
    spec.put("restartPolicy", "Always").put("terminationGracePeriodSeconds", 30).put("dnsPolicy", "ClusterFirst")
        .put("serviceAccountName", "web").put("serviceAccount", "web");
    spec.putObject("securityContext").put("runAsNonRoot", true).put("fsGroup", 2000);
    spec.put("schedulerName", "default-scheduler");
    ArrayNode tolerations = spec.putArray("tolerations");
    for (String key : new String[] {"node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"}) {
      tolerations.addObject().put("key", key).put("operator", "Exists").put("effect", "NoExecute")
          .put("tolerationSeconds", 300);
    }
    spec.put("priority", 0).put("enableServiceLinks", true).put("preemptionPolicy", "PreemptLowerPriority");
  }
}
