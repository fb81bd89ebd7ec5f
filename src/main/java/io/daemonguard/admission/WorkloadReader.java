package io.daemonguard.admission;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Finds every place a container or a host volume can hide in a Kubernetes object, and reads only those fields. */
public final class WorkloadReader {

  private static final Set<String> TEMPLATE_KINDS = Set.of(
      "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "ReplicationController");
  private static final String[] CONTAINER_LISTS = {"containers", "initContainers", "ephemeralContainers"};

  private static final FieldSelection WINDOWS_OPTIONS =
      FieldSelection.of("windowsOptions", FieldSelection.of("hostProcess", FieldSelection.ALL));
  private static final FieldSelection CONTAINER = FieldSelection.of(
      "name", FieldSelection.ALL, "image", FieldSelection.ALL,
      "securityContext", WINDOWS_OPTIONS.plus("privileged", FieldSelection.ALL),
      "volumeMounts", FieldSelection.of("name", FieldSelection.ALL));
  private static final FieldSelection POD_SPEC = FieldSelection.of(
      "containers", CONTAINER, "initContainers", CONTAINER, "ephemeralContainers", CONTAINER,
      "volumes", FieldSelection.of("name", FieldSelection.ALL, "hostPath", FieldSelection.of("path", FieldSelection.ALL)),
      "serviceAccountName", FieldSelection.ALL, "serviceAccount", FieldSelection.ALL,
      "securityContext", WINDOWS_OPTIONS);
  private static final FieldSelection TEMPLATE = FieldSelection.of("spec", POD_SPEC);

  /**
   * Every field of an object that {@link #read} looks at, whatever the kind; a decoder may leave the rest unbuilt
   * (the webhook's does: most of a pod is env, probes, resources and managedFields, none of it judged). Reading a tree
   * pruned to this selection gives the same workload, or the same error, as reading the whole object: the
   * AdmissionReview fuzz targets check it on every body they try. A field read below must be added here.
   */
  public static final FieldSelection FIELDS = FieldSelection.of(
      "kind", FieldSelection.ALL,
      "metadata", FieldSelection.of(
          "namespace", FieldSelection.ALL, "name", FieldSelection.ALL, "generateName", FieldSelection.ALL,
          // read of Namespaces only, by ExemptionLabelGuard; a handful of short strings on anything else
          "labels", FieldSelection.ALL,
          // read of Pods by the webhook, to know a static pod's mirror (MirrorPods)
          "annotations", FieldSelection.of("kubernetes.io/config.mirror", FieldSelection.ALL)),
      // a Pod's spec, a controller's, a CronJob's and a PersistentVolume's, in one
      "spec", POD_SPEC.plus(
          // a mirror pod's node (MirrorPods)
          "nodeName", FieldSelection.ALL,
          "template", TEMPLATE,
          "jobTemplate", FieldSelection.of("spec", FieldSelection.of("template", TEMPLATE)),
          "hostPath", FieldSelection.of("path", FieldSelection.ALL),
          "local", FieldSelection.of("path", FieldSelection.ALL)),
      "template", TEMPLATE,
      "ephemeralContainers", CONTAINER);

  private WorkloadReader() {}

  /**
   * Reads an object. {@code defaultNamespace} applies when the object names none (the apiserver fills it from the
   * request URL, a manifest leaves it to kubectl).
   */
  public static Workload read(JsonNode object, String defaultNamespace) {
    if (object == null || !object.isObject()) {
      throw new InvalidObjectException("object: expected a JSON object");
    }
    return read(object, text(object, "kind", "kind"), defaultNamespace);
  }

  /** Reads an object whose kind is known from elsewhere (the AdmissionReview's {@code request.kind}). */
  public static Workload read(JsonNode object, String kind, String defaultNamespace) {
    if (object == null || !object.isObject()) {
      throw new InvalidObjectException("object: expected a JSON object");
    }
    JsonNode metadata = optionalObject(object, "metadata", "metadata");
    String namespace = metadata == null ? null : text(metadata, "namespace", "metadata.namespace");
    if (namespace == null || namespace.isEmpty()) {
      namespace = defaultNamespace;
    }
    String name = metadata == null ? null : text(metadata, "name", "metadata.name");
    if ((name == null || name.isEmpty()) && metadata != null) {
      name = text(metadata, "generateName", "metadata.generateName");
    }
    List<Workload.Container> containers = new ArrayList<>();
    List<Workload.HostVolume> volumes = new ArrayList<>();
    String serviceAccount = null;
    if (kind == null) {
      kind = "";
    }
    switch (kind) {
      case "Pod" -> serviceAccount = readPodSpec(object, "spec", containers, volumes);
      case "EphemeralContainers" -> readContainers(object, "ephemeralContainers", "", null, containers);
      case "CronJob" -> serviceAccount = readPodSpec(object, "spec.jobTemplate.spec.template.spec", containers, volumes);
      case "PodTemplate" -> serviceAccount = readPodSpec(object, "template.spec", containers, volumes);
      case "PersistentVolume" -> readPersistentVolume(object, volumes);
      default -> {
        if (TEMPLATE_KINDS.contains(kind) || hasPodTemplate(object)) {
          serviceAccount = readPodSpec(object, "spec.template.spec", containers, volumes);
        }
      }
    }
    return new Workload(kind, namespace, name, serviceAccount, containers, volumes);
  }

  /** Custom workload kinds (Argo Rollouts, OpenKruise, ...) follow the Deployment shape; read them the same way. */
  private static boolean hasPodTemplate(JsonNode object) {
    JsonNode spec = object.path("spec").path("template").path("spec");
    return spec.isObject() && spec.path("containers").isArray();
  }

  private static String readPodSpec(
      JsonNode object, String dottedPath, List<Workload.Container> containers, List<Workload.HostVolume> volumes) {
    JsonNode spec = object;
    StringBuilder reached = new StringBuilder();
    for (String field : dottedPath.split("\\.")) {
      reached.append(reached.length() == 0 ? "" : ".").append(field);
      JsonNode next = spec.get(field);
      if (next == null || next.isNull()) {
        return null;
      }
      if (!next.isObject()) {
        throw new InvalidObjectException(reached + ": expected an object");
      }
      spec = next;
    }
    String prefix = dottedPath + ".";
    String podHostProcess = null;
    JsonNode podSecurityContext = optionalObject(spec, "securityContext", prefix + "securityContext");
    if (podSecurityContext != null && hostProcess(podSecurityContext, prefix + "securityContext")) {
      podHostProcess = prefix + HOST_PROCESS;
    }
    for (String list : CONTAINER_LISTS) {
      readContainers(spec, list, prefix, podHostProcess, containers);
    }
    JsonNode volumeList = array(spec, "volumes", prefix + "volumes");
    if (volumeList != null) {
      for (int i = 0; i < volumeList.size(); i++) {
        String volumePath = prefix + "volumes[" + i + "]";
        JsonNode volume = element(volumeList, i, volumePath);
        JsonNode hostPath = optionalObject(volume, "hostPath", volumePath + ".hostPath");
        if (hostPath != null) {
          String path = requiredText(hostPath, "path", volumePath + ".hostPath.path");
          volumes.add(new Workload.HostVolume(text(volume, "name", volumePath + ".name"), path, volumePath + ".hostPath.path"));
        }
      }
    }
    String serviceAccount = text(spec, "serviceAccountName", prefix + "serviceAccountName");
    if (serviceAccount == null) {
      serviceAccount = text(spec, "serviceAccount", prefix + "serviceAccount");
    }
    return serviceAccount;
  }

  /**
   * Reads the containers of one list. {@code podHostProcess} is the pod's {@code hostProcess} field when it is true:
   * Kubernetes refuses a pod whose containers disagree with it, so every container is then a host process.
   */
  private static void readContainers(
      JsonNode spec, String list, String prefix, String podHostProcess, List<Workload.Container> out) {
    JsonNode items = array(spec, list, prefix + list);
    if (items == null) {
      return;
    }
    for (int i = 0; i < items.size(); i++) {
      String path = prefix + list + "[" + i + "]";
      JsonNode container = element(items, i, path);
      boolean privileged = false;
      String hostProcessField = podHostProcess;
      JsonNode securityContext = optionalObject(container, "securityContext", path + ".securityContext");
      if (securityContext != null) {
        if (hostProcess(securityContext, path + ".securityContext")) {
          hostProcessField = path + "." + HOST_PROCESS;
        }
        JsonNode flag = securityContext.get("privileged");
        if (flag != null && !flag.isNull()) {
          if (!flag.isBoolean()) {
            throw new InvalidObjectException(path + ".securityContext.privileged: expected a boolean");
          }
          privileged = flag.booleanValue();
        }
      }
      List<String> mounts = new ArrayList<>();
      JsonNode mountList = array(container, "volumeMounts", path + ".volumeMounts");
      if (mountList != null) {
        for (int m = 0; m < mountList.size(); m++) {
          String mountPath = path + ".volumeMounts[" + m + "]";
          String mounted = text(element(mountList, m, mountPath), "name", mountPath + ".name");
          if (mounted != null) {
            mounts.add(mounted);
          }
        }
      }
      out.add(new Workload.Container(text(container, "name", path + ".name"), text(container, "image", path + ".image"),
          path, privileged, hostProcessField, mounts));
    }
  }

  private static final String HOST_PROCESS = "securityContext.windowsOptions.hostProcess";

  /** {@code windowsOptions.hostProcess} of a pod's or container's security context. */
  private static boolean hostProcess(JsonNode securityContext, String path) {
    JsonNode windowsOptions = optionalObject(securityContext, "windowsOptions", path + ".windowsOptions");
    if (windowsOptions == null) {
      return false;
    }
    JsonNode flag = windowsOptions.get("hostProcess");
    if (flag == null || flag.isNull()) {
      return false;
    }
    if (!flag.isBoolean()) {
      throw new InvalidObjectException(path + ".windowsOptions.hostProcess: expected a boolean");
    }
    return flag.booleanValue();
  }

  private static void readPersistentVolume(JsonNode object, List<Workload.HostVolume> volumes) {
    JsonNode spec = optionalObject(object, "spec", "spec");
    if (spec == null) {
      return;
    }
    JsonNode metadata = object.get("metadata");
    String name = metadata == null ? null : metadata.path("name").asText(null);
    for (String source : new String[] {"hostPath", "local"}) {
      JsonNode volume = optionalObject(spec, source, "spec." + source);
      if (volume != null) {
        String fieldPath = "spec." + source + ".path";
        volumes.add(new Workload.HostVolume(name, requiredText(volume, "path", fieldPath), fieldPath));
      }
    }
  }

  private static JsonNode optionalObject(JsonNode parent, String field, String path) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isObject()) {
      throw new InvalidObjectException(path + ": expected an object");
    }
    return node;
  }

  private static JsonNode array(JsonNode parent, String field, String path) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isArray()) {
      throw new InvalidObjectException(path + ": expected an array");
    }
    return node;
  }

  private static JsonNode element(JsonNode array, int index, String path) {
    JsonNode node = array.get(index);
    if (!node.isObject()) {
      throw new InvalidObjectException(path + ": expected an object");
    }
    return node;
  }

  private static String text(JsonNode parent, String field, String path) {
    return JsonFields.text(parent, field, path, p -> new InvalidObjectException(p + ": expected a string"));
  }

  private static String requiredText(JsonNode parent, String field, String path) {
    String value = text(parent, field, path);
    if (value == null) {
      throw new InvalidObjectException(path + ": missing");
    }
    return value;
  }
}
