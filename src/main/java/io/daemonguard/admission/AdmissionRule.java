package io.daemonguard.admission;

import java.util.List;

/** One admission rule: reads a workload, adds what it finds. Pure. */
public interface AdmissionRule {
  RuleId id();

  void check(Workload workload, AdmissionPolicy policy, List<Violation> out);

  /** The names of the containers that mount a volume, empty when none does. */
  static List<String> mountedBy(Workload workload, String volumeName) {
    if (volumeName == null) {
      return List.of();
    }
    List<String> names = new java.util.ArrayList<>(2);
    for (Workload.Container container : workload.containers()) {
      if (container.volumeMounts().contains(volumeName)) {
        names.add(container.displayName());
      }
    }
    return names;
  }
}
