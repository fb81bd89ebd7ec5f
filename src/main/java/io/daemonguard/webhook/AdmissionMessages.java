package io.daemonguard.webhook;

import io.daemonguard.admission.Action;
import io.daemonguard.admission.Decision;
import io.daemonguard.admission.Violation;
import io.daemonguard.admission.Workload;
import io.daemonguard.report.ViolationText;
import java.util.ArrayList;
import java.util.List;

/** What the webhook tells the apiserver about a decision: the denial message, the kubectl warnings, the audit annotation. */
public final class AdmissionMessages {

  /** The apiserver shows at most this many characters of a warning before it truncates. */
  public static final int MAX_WARNING_LENGTH = 120;

  private AdmissionMessages() {}

  /** The denial: names each rule id and field that was enforced. */
  public static String denial(Workload workload, Decision decision) {
    List<Violation> enforced = decision.violationsWith(Action.ENFORCE);
    StringBuilder message = new StringBuilder(256)
        .append("daemonguard: ").append(ViolationText.subject(workload)).append(" violates ").append(enforced.size())
        .append(enforced.size() == 1 ? " rule: " : " rules: ");
    for (int i = 0; i < enforced.size(); i++) {
      if (i > 0) {
        message.append("; ");
      }
      message.append(ViolationText.line(enforced.get(i)));
    }
    return message.toString();
  }

  /** kubectl prints each warning on its own line; keep each under the apiserver's limit. */
  public static List<String> warnings(Decision decision) {
    List<String> warnings = new ArrayList<>();
    for (Violation v : decision.violationsWith(Action.WARN)) {
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
    for (Violation v : decision.violationsWith(Action.AUDIT)) {
      if (value.length() > 0) {
        value.append("; ");
      }
      value.append(v.rule().id()).append(' ').append(v.path());
    }
    return value.toString();
  }
}
