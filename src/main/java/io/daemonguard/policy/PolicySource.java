package io.daemonguard.policy;

import io.daemonguard.admission.AdmissionPolicy;
import java.util.List;

/**
 * Where a door reads the policies in force from, at the moment it judges. Files feed it today ({@link FixedPolicies});
 * the cluster's DaemonSecurityPolicies will, through an informer. A door that has no policy passes the built-in
 * default, so that nothing is ever judged by no policy at all. Implementations are safe to read from any thread and
 * cheap to call per request.
 */
public interface PolicySource {
  List<AdmissionPolicy> current();

  /** False until the source holds what it is meant to (an informer before its first list): not ready to judge. */
  default boolean ready() {
    return true;
  }
}
