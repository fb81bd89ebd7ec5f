package io.daemonguard.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.UUID;

/** AdmissionReview bodies shaped exactly like the ones kube-apiserver sends (all fields, as 1.20 and 1.28 do). */
final class Reviews {
  static final ObjectMapper JSON = new ObjectMapper();

  private Reviews() {}

  static ObjectNode review(String group, String version, String kind, String resource, String subResource,
      String namespace, String name, String operation, String objectJson, String oldObjectJson) {
    try {
      ObjectNode review = JSON.createObjectNode();
      review.put("kind", "AdmissionReview");
      review.put("apiVersion", "admission.k8s.io/v1");
      ObjectNode request = review.putObject("request");
      request.put("uid", UUID.randomUUID().toString());
      ObjectNode gvk = request.putObject("kind");
      gvk.put("group", group).put("version", version).put("kind", kind);
      ObjectNode gvr = request.putObject("resource");
      gvr.put("group", group).put("version", version).put("resource", resource);
      if (subResource != null) {
        request.put("subResource", subResource);
      }
      request.set("requestKind", gvk.deepCopy());
      request.set("requestResource", gvr.deepCopy());
      if (subResource != null) {
        request.put("requestSubResource", subResource);
      }
      if (name != null) {
        request.put("name", name);
      }
      if (namespace != null) {
        request.put("namespace", namespace);
      }
      request.put("operation", operation);
      ObjectNode userInfo = request.putObject("userInfo");
      userInfo.put("username", "kubernetes-admin");
      userInfo.putArray("groups").add("system:masters").add("system:authenticated");
      request.set("object", objectJson == null ? JSON.nullNode() : JSON.readTree(objectJson));
      request.set("oldObject", oldObjectJson == null ? JSON.nullNode() : JSON.readTree(oldObjectJson));
      request.put("dryRun", false);
      ObjectNode options = request.putObject("options");
      options.put("kind", operation.equals("CREATE") ? "CreateOptions" : "UpdateOptions");
      options.put("apiVersion", "meta.k8s.io/v1");
      options.put("fieldManager", "kubectl-client-side-apply");
      return review;
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  static ObjectNode podCreate(String namespace, String podJson) {
    return review("", "v1", "Pod", "pods", null, namespace, null, "CREATE", podJson, null);
  }

  static String uid(JsonNode review) {
    return review.path("request").path("uid").asText();
  }

  static String pod(String name, String containersJson, String volumesJson) {
    return """
        {"kind":"Pod","apiVersion":"v1","metadata":{"name":"%s","namespace":"team-a","uid":"","creationTimestamp":null,
         "labels":{"app":"%s"},"managedFields":[{"manager":"kubectl","operation":"Update","apiVersion":"v1"}]},
         "spec":{"volumes":%s,"containers":%s,"restartPolicy":"Always","terminationGracePeriodSeconds":30,
         "dnsPolicy":"ClusterFirst","serviceAccountName":"default","serviceAccount":"default",
         "securityContext":{},"schedulerName":"default-scheduler",
         "tolerations":[{"key":"node.kubernetes.io/not-ready","operator":"Exists","effect":"NoExecute","tolerationSeconds":300}],
         "priority":0,"enableServiceLinks":true,"preemptionPolicy":"PreemptLowerPriority"},"status":{}}
        """.formatted(name, name, volumesJson, containersJson);
  }

  static String container(String name, boolean privileged, String... mounts) {
    StringBuilder volumeMounts = new StringBuilder("[");
    for (int i = 0; i < mounts.length; i++) {
      volumeMounts.append(i == 0 ? "" : ",").append("{\"name\":\"").append(mounts[i]).append("\",\"mountPath\":\"/m")
          .append(i).append("\"}");
    }
    volumeMounts.append(']');
    return """
        {"name":"%s","image":"busybox:1.36","command":["sleep","3600"],"resources":{},"volumeMounts":%s,
         "terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File",
         "imagePullPolicy":"IfNotPresent"%s}
        """.formatted(name, volumeMounts, privileged ? ",\"securityContext\":{\"privileged\":true}" : "");
  }

  static String hostPath(String name, String path) {
    return "{\"name\":\"" + name + "\",\"hostPath\":{\"path\":\"" + path + "\",\"type\":\"\"}}";
  }
}
