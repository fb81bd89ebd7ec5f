package io.daemonguard.admission;

import java.util.List;

/**
 * The engine's verdict: every violation found, each with the strictest action of the policies that objected to it.
 * {@code action} is the strictest action overall, or null when nothing was found.
 */
public record Decision(boolean allowed, Action action, List<Finding> findings) {

  public Decision {
    findings = List.copyOf(findings);
  }

  public static final Decision CLEAN = new Decision(true, null, List.of());

  public record Finding(Violation violation, Action action, List<String> policies) {
    public Finding {
      policies = List.copyOf(policies);
    }
  }

  public List<Finding> findingsWith(Action wanted) {
    return findings.stream().filter(f -> f.action() == wanted).toList();
  }
}
