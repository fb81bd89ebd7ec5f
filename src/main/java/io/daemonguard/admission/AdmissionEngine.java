package io.daemonguard.admission;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one admission engine behind the webhook, the background audit and {@code check}: a pure function from a
 * workload and the policies in force to a decision that lists every violation.
 */
public final class AdmissionEngine {

  private static final List<AdmissionRule> RULES =
      List.of(new HostRootMountRule(), new PrivilegedContainerRule(), new RuntimeSocketMountRule());

  private AdmissionEngine() {}

  public static Decision evaluate(Workload workload, List<AdmissionPolicy> policies) {
    if (workload.containers().isEmpty() && workload.hostVolumes().isEmpty()) {
      return Decision.CLEAN;
    }
    Map<String, Merged> merged = null;
    List<Violation> found = new ArrayList<>();
    for (AdmissionPolicy policy : policies) {
      if (policy.exemptsNamespace(workload.namespace())
          || policy.exemptsServiceAccount(workload.namespace(), workload.serviceAccount())) {
        continue;
      }
      for (AdmissionRule rule : RULES) {
        Action action = policy.rules().get(rule.id());
        if (action == null) {
          continue;
        }
        found.clear();
        rule.check(workload, policy, found);
        for (Violation violation : found) {
          if (exemptByImage(workload, policy, violation)) {
            continue;
          }
          if (merged == null) {
            merged = new LinkedHashMap<>();
          }
          String key = violation.rule().id() + '\u0000' + violation.path();
          Merged entry = merged.get(key);
          if (entry == null) {
            merged.put(key, new Merged(violation, action, policy.name()));
          } else {
            entry.add(action, policy.name());
          }
        }
      }
    }
    if (merged == null) {
      return Decision.CLEAN;
    }
    List<Violation> judged = new ArrayList<>(merged.size());
    Action strictest = Action.AUDIT;
    for (Merged entry : merged.values()) {
      judged.add(entry.violation.judged(entry.action, entry.policies));
      strictest = Action.strictest(strictest, entry.action);
    }
    return new Decision(strictest, judged);
  }

  /** A violation is exempt by image when every container it involves runs an exempt image. */
  private static boolean exemptByImage(Workload workload, AdmissionPolicy policy, Violation violation) {
    if (policy.exemptImages().isEmpty() || violation.containers().isEmpty()) {
      return false;
    }
    for (String name : violation.containers()) {
      boolean exempt = false;
      for (Workload.Container container : workload.containers()) {
        if (name.equals(container.name()) && policy.exemptsImage(container.image())) {
          exempt = true;
          break;
        }
      }
      if (!exempt) {
        return false;
      }
    }
    return true;
  }

  private static final class Merged {
    final Violation violation;
    Action action;
    final List<String> policies = new ArrayList<>(2);

    Merged(Violation violation, Action action, String policy) {
      this.violation = violation;
      this.action = action;
      policies.add(policy);
    }

    void add(Action other, String policy) {
      action = Action.strictest(action, other);
      if (!policies.contains(policy)) {
        policies.add(policy);
      }
    }
  }
}
