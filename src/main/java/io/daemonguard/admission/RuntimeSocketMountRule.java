package io.daemonguard.admission;

import java.util.List;
import java.util.Optional;

/** {@code runtime-socket-mount}: a host volume that is, holds, or is named like a container runtime's API socket. */
public final class RuntimeSocketMountRule implements AdmissionRule {
  @Override
  public RuleId id() {
    return RuleId.RUNTIME_SOCKET_MOUNT;
  }

  @Override
  public void check(Workload workload, AdmissionPolicy policy, List<Violation> out) {
    for (Workload.HostVolume volume : workload.hostVolumes()) {
      Optional<RuntimeSockets.SocketExposure> exposure = policy.sockets().exposure(volume.hostPath());
      if (exposure.isEmpty()) {
        continue;
      }
      String subject = HostRootMountRule.describe(volume) + " (path \"" + volume.hostPath() + "\")";
      String message = switch (exposure.get().kind()) {
        case SOCKET -> subject + " mounts the container runtime socket " + exposure.get().socket();
        case ANCESTOR -> subject + " mounts a directory holding the container runtime socket " + exposure.get().socket();
        case SOCKET_NAME -> subject + " mounts a container runtime socket";
      };
      out.add(Violation.found(id(), message, volume.path(), AdmissionRule.mountedBy(workload, volume.name())));
    }
  }
}
