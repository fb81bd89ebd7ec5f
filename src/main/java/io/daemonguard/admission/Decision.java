package io.daemonguard.admission;

import java.util.List;

/**
 * The engine's verdict: every violation found, each judged with the strictest action of the policies that objected.
 * {@code action} is the strictest action overall, or null when nothing was found; the object is allowed unless it is
 * {@link Action#ENFORCE}.
 */
public record Decision(Action action, List<Violation> violations) {

  public Decision {
    violations = List.copyOf(violations);
  }

  public static final Decision CLEAN = new Decision(null, List.of());

  public boolean allowed() {
    return action != Action.ENFORCE;
  }

  public Outcome outcome() {
    return Outcome.of(this);
  }

  public List<Violation> violationsWith(Action wanted) {
    return violations.stream().filter(v -> v.action() == wanted).toList();
  }
}
