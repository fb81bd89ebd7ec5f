package io.daemonguard.admission;

import java.util.List;

/** One admission rule: reads a workload, adds what it finds. Pure. */
public interface AdmissionRule {
  RuleId id();

  void check(Workload workload, AdmissionPolicy policy, List<Violation> out);

  /** The names of the containers that mount a volume, joined, or null when none does. */
  static String mountedBy(Workload workload, String volumeName) {
    if (volumeName == null) {
      return null;
    }
    StringBuilder names = null;
    for (Workload.Container container : workload.containers()) {
      if (container.volumeMounts().contains(volumeName)) {
        String name = container.name() == null ? "<unnamed>" : container.name();
        if (names == null) {
          names = new StringBuilder(name);
        } else {
          names.append(',').append(name);
        }
      }
    }
    return names == null ? null : names.toString();
  }
}
