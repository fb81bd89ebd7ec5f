package io.daemonguard.admission;

import java.util.List;

/** {@code host-root-mount}: a host volume whose path, once normalized ({@code /var/run/..} included), is {@code /}. */
public final class HostRootMountRule implements AdmissionRule {
  @Override
  public RuleId id() {
    return RuleId.HOST_ROOT_MOUNT;
  }

  @Override
  public void check(Workload workload, AdmissionPolicy policy, List<Violation> out) {
    for (Workload.HostVolume volume : workload.hostVolumes()) {
      if (HostPaths.canonical(volume.hostPath()).equals("/")) {
        out.add(new Violation(id(),
            describe(volume) + " mounts the host's root filesystem (path \"" + volume.hostPath() + "\")",
            volume.path(), AdmissionRule.mountedBy(workload, volume.name())));
      }
    }
  }

  static String describe(Workload.HostVolume volume) {
    return volume.name() == null ? "host volume" : "volume \"" + volume.name() + "\"";
  }
}
