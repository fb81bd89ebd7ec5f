package io.daemonguard.admission;

import java.util.List;

/**
 * {@code host-root-mount}: a host volume whose path, once normalized ({@code /var/run/..} and the links out of
 * {@code /proc} included), is {@code /}, or on a Windows node the root of a drive or volume.
 */
public final class HostRootMountRule implements AdmissionRule {
  @Override
  public RuleId id() {
    return RuleId.HOST_ROOT_MOUNT;
  }

  @Override
  public void check(Workload workload, AdmissionPolicy policy, List<Violation> out) {
    for (Workload.HostVolume volume : workload.hostVolumes()) {
      String hostPath = volume.hostPath();
      String message;
      if (HostPaths.canonical(hostPath).equals("/")) {
        message = describe(volume) + " mounts the host's root filesystem (path \"" + hostPath + "\""
            + (HostPaths.throughProcLink(hostPath)
                ? ", a link through /proc that the runtime follows to a process's root, working directory or open file)"
                : ")");
      } else if (WindowsPaths.read(hostPath).isVolumeRoot()) {
        message = describe(volume) + " mounts the root of a Windows node's drive (path \"" + hostPath + "\")";
      } else {
        continue;
      }
      out.add(Violation.found(id(), message, volume.path(), AdmissionRule.mountedBy(workload, volume.name())));
    }
  }

  static String describe(Workload.HostVolume volume) {
    return volume.name() == null ? "host volume" : "volume \"" + volume.name() + "\"";
  }
}
