package io.daemonguard.posture.evaluate;

import io.daemonguard.api.NodePostureSpec;
import io.daemonguard.api.PostureCheck;
import io.daemonguard.api.Severity;
import java.util.EnumSet;
import java.util.Set;

/** The part of {@code spec.nodes} the evaluator needs: the least severe finding that fails, and checks turned off. */
public record PosturePolicy(Severity failOn, Set<PostureCheck> disabledChecks) {

  public static PosturePolicy defaults() {
    return new PosturePolicy(Severity.HIGH, Set.of());
  }

  /** From a policy's spec.nodes, its defaults applied; a wrong value is named by its field. */
  public static PosturePolicy of(NodePostureSpec spec) {
    if (spec == null) {
      return defaults();
    }
    Severity failOn = spec.getFailOn() == null ? Severity.HIGH : Severity.parse(spec.getFailOn(), "spec.nodes.failOn");
    Set<PostureCheck> disabled = EnumSet.noneOf(PostureCheck.class);
    if (spec.getDisabledChecks() != null) {
      for (String id : spec.getDisabledChecks()) {
        disabled.add(PostureCheck.parse(id, "spec.nodes.disabledChecks"));
      }
    }
    return new PosturePolicy(failOn, disabled);
  }
}
