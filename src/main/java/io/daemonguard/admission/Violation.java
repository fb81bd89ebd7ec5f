package io.daemonguard.admission;

import java.util.List;

/**
 * One broken rule at one place in an object: the noun for it everywhere (engine, webhook, {@code check}, metrics, the
 * JSON {@code violations}). A rule finds it ({@link #found}); the engine then judges it ({@link #judged}) with the
 * strictest action of the policies that objected, and names them. {@code containers} lists the containers involved,
 * empty when none is.
 */
public record Violation(
    RuleId rule, String message, String path, List<String> containers, Action action, List<String> policies) {

  public Violation {
    containers = List.copyOf(containers);
    policies = List.copyOf(policies);
  }

  /** As a rule reports it, before any policy judged it: no action, no policies. */
  public static Violation found(RuleId rule, String message, String path, List<String> containers) {
    return new Violation(rule, message, path, containers, null, List.of());
  }

  public Violation judged(Action judgedAction, List<String> objectingPolicies) {
    return new Violation(rule, message, path, containers, judgedAction, objectingPolicies);
  }
}
