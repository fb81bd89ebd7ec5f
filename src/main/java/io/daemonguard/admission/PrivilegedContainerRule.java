package io.daemonguard.admission;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code privileged-container}: any container, init or ephemeral, with {@code securityContext.privileged: true}, or
 * running as a Windows host process ({@code windowsOptions.hostProcess: true}, its own or the pod's), the Windows form of
 * privileged.
 */
public final class PrivilegedContainerRule implements AdmissionRule {
  @Override
  public RuleId id() {
    return RuleId.PRIVILEGED_CONTAINER;
  }

  @Override
  public void check(Workload workload, AdmissionPolicy policy, List<Violation> out) {
    Map<String, List<String>> byHostProcessField = null;
    for (Workload.Container container : workload.containers()) {
      if (container.privileged()) {
        out.add(Violation.found(id(),
            "container \"" + container.name() + "\" runs privileged, with full access to the host and its container daemon",
            container.path() + ".securityContext.privileged",
            container.name() == null ? List.of() : List.of(container.name())));
      }
      if (container.hostProcessField() != null) {
        if (byHostProcessField == null) {
          byHostProcessField = new LinkedHashMap<>();
        }
        byHostProcessField.computeIfAbsent(container.hostProcessField(), f -> new ArrayList<>())
            .add(container.displayName());
      }
    }
    if (byHostProcessField != null) {
      // one violation per field: a pod-level hostProcess is one setting, however many containers inherit it
      for (Map.Entry<String, List<String>> field : byHostProcessField.entrySet()) {
        List<String> names = field.getValue();
        String subject = names.size() == 1
            ? "container \"" + names.get(0) + "\" runs" : "containers \"" + String.join("\", \"", names) + "\" run";
        out.add(Violation.found(id(), subject + " as a Windows hostProcess, with full access to the node and its"
            + " container daemon", field.getKey(), names));
      }
    }
  }
}
