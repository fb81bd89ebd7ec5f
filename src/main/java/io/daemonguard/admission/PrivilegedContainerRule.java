package io.daemonguard.admission;

import java.util.List;

/** {@code privileged-container}: any container, init or ephemeral, with {@code securityContext.privileged: true}. */
public final class PrivilegedContainerRule implements AdmissionRule {
  @Override
  public RuleId id() {
    return RuleId.PRIVILEGED_CONTAINER;
  }

  @Override
  public void check(Workload workload, AdmissionPolicy policy, List<Violation> out) {
    for (Workload.Container container : workload.containers()) {
      if (container.privileged()) {
        out.add(new Violation(id(),
            "container \"" + container.name() + "\" runs privileged, with full access to the host and its container daemon",
            container.path() + ".securityContext.privileged", container.name()));
      }
    }
  }
}
