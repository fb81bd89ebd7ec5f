package io.daemonguard.admission;

import java.util.ArrayList;
import java.util.List;

/** How a decision reads to a person: the denial message, the kubectl warnings, the audit annotation. */
public final class DecisionMessages {

  /** The apiserver shows at most this many characters of a warning before it truncates. */
  public static final int MAX_WARNING_LENGTH = 120;

  private DecisionMessages() {}

  /** One line per finding: {@code [rule] field: message (policy p, q)}. */
  public static String line(Decision.Finding finding) {
    Violation v = finding.violation();
    StringBuilder line = new StringBuilder(160)
        .append('[').append(v.rule().id()).append("] ").append(v.path()).append(": ").append(v.message());
    line.append(" (policy ").append(String.join(", ", finding.policies())).append(')');
    return line.toString();
  }

  /** The denial: names each rule id and field that was enforced. */
  public static String denial(Workload workload, Decision decision) {
    List<Decision.Finding> enforced = decision.findingsWith(Action.ENFORCE);
    StringBuilder message = new StringBuilder(256)
        .append("daemonguard: ").append(subject(workload)).append(" violates ").append(enforced.size())
        .append(enforced.size() == 1 ? " rule: " : " rules: ");
    for (int i = 0; i < enforced.size(); i++) {
      if (i > 0) {
        message.append("; ");
      }
      message.append(line(enforced.get(i)));
    }
    return message.toString();
  }

  /** kubectl prints each warning on its own line; keep each under the apiserver's limit. */
  public static List<String> warnings(Decision decision) {
    List<String> warnings = new ArrayList<>();
    for (Decision.Finding finding : decision.findingsWith(Action.WARN)) {
      Violation v = finding.violation();
      String warning = "daemonguard [" + v.rule().id() + "] " + v.path() + ": " + v.message();
      if (warning.length() >= MAX_WARNING_LENGTH) {
        warning = warning.substring(0, MAX_WARNING_LENGTH - 4) + "...";
      }
      warnings.add(warning);
    }
    return warnings;
  }

  /** The audit annotation's value: the audited rules and fields, compact. */
  public static String audit(Decision decision) {
    StringBuilder value = new StringBuilder();
    for (Decision.Finding finding : decision.findingsWith(Action.AUDIT)) {
      if (value.length() > 0) {
        value.append("; ");
      }
      value.append(finding.violation().rule().id()).append(' ').append(finding.violation().path());
    }
    return value.toString();
  }

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
}
