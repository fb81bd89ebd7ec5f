package io.daemonguard.operator.scan;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The scan Job of one node, built from the pod template the chart renders (the chart owns the pod's shape: image, host
 * mounts, capabilities, resources), and what a Job's or its pod's state says about the scan. Pure, except reading the
 * template file.
 */
public final class ScanJobs {

  public static final String COMPONENT = "node-scan";
  public static final String NODE_ANNOTATION = "daemonguard.io/node";
  public static final String LABEL_SELECTOR =
      "app.kubernetes.io/managed-by=daemonguard,app.kubernetes.io/component=" + COMPONENT;
  /** Waiting reasons that no wait will cure: the scan is failed at once rather than at its deadline. */
  private static final Set<String> HOPELESS = Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName",
      "ErrImageNeverPull", "CreateContainerConfigError", "CreateContainerError", "CrashLoopBackOff");

  private ScanJobs() {}

  /** Reads and checks the template; the message names the file and what is wrong. */
  public static PodTemplateSpec loadTemplate(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("--scan-pod-template " + file + ": cannot read: " + e.getMessage(), e);
    }
    PodTemplateSpec template;
    try {
      template = Serialization.unmarshal(text, PodTemplateSpec.class);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("--scan-pod-template " + file + ": not a pod template: " + e.getMessage(), e);
    }
    if (template == null || template.getSpec() == null || template.getSpec().getContainers() == null
        || template.getSpec().getContainers().isEmpty()) {
      throw new IllegalArgumentException("--scan-pod-template " + file + ": spec.containers is empty; expected the"
          + " scan container (image, command daemonguard scan-node -o json)");
    }
    return template;
  }

  /** A name per node, stable (one scan per node at a time by construction) and within the 63 characters of a label. */
  public static String jobName(String node) {
    String hash = io.daemonguard.Sha256.hex(node).substring(0, 8);
    String base = node.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
    int room = 63 - "dg-scan-".length() - 1 - hash.length();
    if (base.length() > room) {
      base = base.substring(0, room);
    }
    base = base.replaceAll("-+$", "");
    return "dg-scan-" + (base.isEmpty() ? "" : base + "-") + hash;
  }

  /** The template, pinned to {@code node}, tolerating what the template tolerates, in a Job that runs once. */
  public static Job build(PodTemplateSpec template, Node node, String namespace, long deadlineSeconds) {
    String name = node.getMetadata().getName();
    PodTemplateSpec pod = Serialization.clone(template);
    Map<String, String> labels = new LinkedHashMap<>();
    if (pod.getMetadata() != null && pod.getMetadata().getLabels() != null) {
      labels.putAll(pod.getMetadata().getLabels());
    }
    labels.put("app.kubernetes.io/managed-by", "daemonguard");
    labels.put("app.kubernetes.io/component", COMPONENT);
    Map<String, String> annotations = new LinkedHashMap<>();
    if (pod.getMetadata() != null && pod.getMetadata().getAnnotations() != null) {
      annotations.putAll(pod.getMetadata().getAnnotations());
    }
    annotations.put(NODE_ANNOTATION, name);
    Container scan = pod.getSpec().getContainers().get(0);
    if (scan.getEnv() == null) {
      scan.setEnv(new java.util.ArrayList<>());
    }
    scan.getEnv().removeIf(e -> "NODE_NAME".equals(e.getName()));
    scan.getEnv().add(new EnvVar("NODE_NAME", name, null));
    OwnerReference owner = new OwnerReferenceBuilder().withApiVersion("v1").withKind("Node").withName(name)
        .withUid(node.getMetadata().getUid()).build();
    return new JobBuilder()
        .withNewMetadata()
          .withName(jobName(name)).withNamespace(namespace)
          .withLabels(labels).withAnnotations(Map.of(NODE_ANNOTATION, name))
          .withOwnerReferences(owner)
        .endMetadata()
        .withNewSpec()
          .withBackoffLimit(0)
          .withActiveDeadlineSeconds(deadlineSeconds)
          .withTemplate(pod)
          .editTemplate()
            .withNewMetadata().withLabels(labels).withAnnotations(annotations).endMetadata()
            .editSpec()
              .withRestartPolicy("Never")
              // through the scheduler, as a DaemonSet's pods: pinned by the node's name, never by nodeName
              .withNewAffinity().withNewNodeAffinity().withNewRequiredDuringSchedulingIgnoredDuringExecution()
                .addNewNodeSelectorTerm()
                  .withMatchFields(new NodeSelectorRequirement("metadata.name", "In", List.of(name)))
                .endNodeSelectorTerm()
              .endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().endAffinity()
            .endSpec()
          .endTemplate()
        .endSpec()
        .build();
  }

  /** The node a scan Job or pod is for, or null for one not ours. */
  public static String nodeOf(io.fabric8.kubernetes.api.model.HasMetadata object) {
    Map<String, String> annotations = object.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(NODE_ANNOTATION);
  }

  public static boolean succeeded(Job job) {
    return job.getStatus() != null && job.getStatus().getSucceeded() != null && job.getStatus().getSucceeded() > 0;
  }

  /** The Job controller's verdict of failure (deadline, back-off), or null while it has none. */
  public static String failed(Job job) {
    if (job.getStatus() == null || job.getStatus().getConditions() == null) {
      return null;
    }
    for (JobCondition c : job.getStatus().getConditions()) {
      if ("Failed".equals(c.getType()) && "True".equals(c.getStatus())) {
        return (c.getReason() == null ? "Failed" : c.getReason()) + (c.getMessage() == null ? "" : ": "
            + c.getMessage());
      }
    }
    return null;
  }

  /**
   * What a scan pod's state says, in a person's words: why it waits, why it failed; null when there is nothing to say
   * (running, or succeeded).
   */
  public static String podTrouble(Pod pod) {
    if (pod == null || pod.getStatus() == null) {
      return null;
    }
    StringBuilder why = new StringBuilder();
    for (ContainerStatus c : pod.getStatus().getContainerStatuses() == null ? List.<ContainerStatus>of()
        : pod.getStatus().getContainerStatuses()) {
      if (c.getState() == null) {
        continue;
      }
      if (c.getState().getWaiting() != null && c.getState().getWaiting().getReason() != null
          && !"ContainerCreating".equals(c.getState().getWaiting().getReason())) {
        why.append("container ").append(c.getName()).append(" waiting: ").append(c.getState().getWaiting().getReason())
            .append(c.getState().getWaiting().getMessage() == null ? "" : " (" + c.getState().getWaiting()
                .getMessage() + ")");
      } else if (c.getState().getTerminated() != null && c.getState().getTerminated().getExitCode() != null
          && c.getState().getTerminated().getExitCode() != 0) {
        why.append("container ").append(c.getName()).append(" exited ")
            .append(c.getState().getTerminated().getExitCode())
            .append(c.getState().getTerminated().getReason() == null ? "" : " (" + c.getState().getTerminated()
                .getReason() + ")");
      }
    }
    if (why.isEmpty() && "Pending".equals(pod.getStatus().getPhase()) && pod.getStatus().getConditions() != null) {
      pod.getStatus().getConditions().stream()
          .filter(c -> "PodScheduled".equals(c.getType()) && "False".equals(c.getStatus()))
          .findFirst().ifPresent(c -> why.append("not scheduled: ").append(c.getReason())
              .append(c.getMessage() == null ? "" : " (" + c.getMessage() + ")"));
    }
    if (why.isEmpty() && "Failed".equals(pod.getStatus().getPhase())) {
      why.append("pod failed").append(pod.getStatus().getReason() == null ? "" : ": " + pod.getStatus().getReason())
          .append(pod.getStatus().getMessage() == null ? "" : " (" + pod.getStatus().getMessage() + ")");
    }
    return why.isEmpty() ? null : why.toString();
  }

  /** True when the pod waits for something that waiting will not bring (a missing image, a broken spec). */
  public static boolean hopeless(Pod pod) {
    if (pod == null || pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
      return false;
    }
    return pod.getStatus().getContainerStatuses().stream().anyMatch(c -> c.getState() != null
        && c.getState().getWaiting() != null && HOPELESS.contains(c.getState().getWaiting().getReason()));
  }
}
