package io.daemonguard.policy;

import io.daemonguard.admission.AdmissionPolicy;
import java.util.List;

/** Policies that never change while the process runs: policy files, or the built-in default. */
public record FixedPolicies(List<AdmissionPolicy> current) implements PolicySource {
  public FixedPolicies {
    current = List.copyOf(current);
  }
}
