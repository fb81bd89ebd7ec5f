package io.daemonguard.operator;

import io.daemonguard.admission.AdmissionPolicy;
import io.daemonguard.admission.RuleId;
import io.daemonguard.api.DaemonSecurityPolicy;
import io.daemonguard.policy.PolicyCompiler;
import java.util.ArrayList;
import java.util.List;

/**
 * What the compiler says of one policy, in the words its Ready condition and Event carry. The same compiler as the
 * webhook's door and {@code check --policy}, so a policy is never Ready here and refused there.
 */
record PolicyVerdict(boolean valid, String reason, String message) {

  static final String VALID = "Valid";
  static final String INVALID_SPEC = "InvalidSpec";

  static PolicyVerdict of(DaemonSecurityPolicy policy) {
    try {
      return new PolicyVerdict(true, VALID, describe(PolicyCompiler.compile(policy)));
    } catch (IllegalArgumentException e) {
      // the webhook enforces the last valid version (or the built-in default): say so where the user looks
      return new PolicyVerdict(false, INVALID_SPEC, e.getMessage()
          + ". Not in force: the last valid version of this policy, or the built-in default, applies instead.");
    }
  }

  /** One line a platform team can check against what they wrote: every rule's action, and what is exempt. */
  static String describe(AdmissionPolicy policy) {
    List<String> rules = new ArrayList<>();
    for (RuleId rule : RuleId.values()) {
      var action = policy.rules().get(rule);
      rules.add(rule.id() + " " + (action == null ? "off" : action.label()));
    }
    return "In force: " + String.join(", ", rules) + "; exempt: " + count(policy.exemptNamespaces().size(), "namespace")
        + ", " + count(policy.exemptServiceAccounts().size(), "service account") + ", "
        + count(policy.exemptImages().size(), "image pattern") + ".";
  }

  private static String count(int n, String what) {
    return n + " " + what + (n == 1 ? "" : "s");
  }
}
