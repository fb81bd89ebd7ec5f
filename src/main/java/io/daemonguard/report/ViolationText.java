package io.daemonguard.report;

import io.daemonguard.admission.Violation;
import io.daemonguard.admission.Workload;

/** How a violation and its object read to a person, the same in a denial, a warning and {@code check}'s text. */
public final class ViolationText {
  private ViolationText() {}

  /** {@code [rule] field: message (policy p, q)}. */
  public static String line(Violation violation) {
    return "[" + violation.rule().id() + "] " + violation.path() + ": " + violation.message()
        + " (policy " + String.join(", ", violation.policies()) + ")";
  }

  /**
   * {@code Kind namespace/name: field: message (Enforce, policy p, q)}: a violation that must stand alone, away from its
   * object's line (a SARIF alert, a JUnit failure).
   */
  public static String sentence(Workload workload, Violation violation) {
    return subject(workload) + ": " + violation.path() + ": " + violation.message() + " ("
        + (violation.action() == null ? "" : violation.action().label() + ", ")
        + "policy " + String.join(", ", violation.policies()) + ")";
  }

  /** {@code Kind namespace/name}, as much of it as is known. */
  public static String subject(Workload workload) {
    StringBuilder subject = new StringBuilder(workload.kind().isEmpty() ? "object" : workload.kind());
    if (workload.name() != null) {
      subject.append(' ');
      if (workload.namespace() != null) {
        subject.append(workload.namespace()).append('/');
      }
      subject.append(workload.name());
    }
    return subject.toString();
  }

  /** The containers involved, comma-separated, or null when none is: the {@code container} of the output contract. */
  public static String containers(Violation violation) {
    return violation.containers().isEmpty() ? null : String.join(",", violation.containers());
  }
}
