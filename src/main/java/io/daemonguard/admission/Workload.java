package io.daemonguard.admission;

import java.util.List;

/**
 * What the rules read of an object: its identity, its containers and its host volumes, each with the field path
 * where it was found. Everything else in the object is irrelevant to the mission and is never decoded.
 */
public record Workload(
    String kind,
    String namespace,
    String name,
    String serviceAccount,
    List<Container> containers,
    List<HostVolume> hostVolumes) {

  public Workload {
    containers = List.copyOf(containers);
    hostVolumes = List.copyOf(hostVolumes);
  }

  /**
   * Whether objects of this kind live outside namespaces. Of the kinds the rules read, only PersistentVolume does; a
   * manifest of it gets no default namespace, and the webhook judges it through its cluster-scoped configuration.
   */
  public static boolean isClusterScoped(String kind) {
    return "PersistentVolume".equals(kind);
  }

  /** The same workload in another namespace: the apiserver's request namespace is the one it authorized. */
  public Workload withNamespace(String otherNamespace) {
    return new Workload(kind, otherNamespace, name, serviceAccount, containers, hostVolumes);
  }

  /**
   * A container of any sort (regular, init, ephemeral). {@code path} is e.g. {@code spec.initContainers[0]}.
   * {@code hostProcessField} is the field that makes it a Windows host process (its own
   * {@code securityContext.windowsOptions.hostProcess}, or the pod's), or null when it is not one.
   */
  public record Container(
      String name, String image, String path, boolean privileged, String hostProcessField, List<String> volumeMounts) {
    public Container {
      volumeMounts = List.copyOf(volumeMounts);
    }

    public Container(String name, String image, String path, boolean privileged, List<String> volumeMounts) {
      this(name, image, path, privileged, null, volumeMounts);
    }

    /** Its name, or {@code <unnamed>} for a container without one (an invalid object, judged all the same). */
    public String displayName() {
      return name == null ? "<unnamed>" : name;
    }
  }

  /**
   * A volume backed by a host directory: a pod's {@code hostPath} volume, or a PersistentVolume's {@code hostPath}
   * or {@code local} source. {@code path} is the field holding the host path.
   */
  public record HostVolume(String name, String hostPath, String path) {}
}
