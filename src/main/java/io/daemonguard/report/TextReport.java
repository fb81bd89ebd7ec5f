package io.daemonguard.report;

import io.daemonguard.admission.Outcome;
import io.daemonguard.admission.Violation;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/** Results for a person at a terminal: a verdict line per object, a line per violation, and a count. */
public final class TextReport {
  private TextReport() {}

  public static void write(PrintWriter out, List<ObjectResult> results) {
    int denied = 0;
    int warned = 0;
    for (ObjectResult result : results) {
      Outcome outcome = result.outcome();
      if (outcome == Outcome.DENY) {
        denied++;
      } else if (outcome == Outcome.WARN) {
        warned++;
      }
      out.println(verdict(outcome) + " " + result.source() + ": " + ViolationText.subject(result.workload()));
      for (Violation violation : result.decision().violations()) {
        String containers = ViolationText.containers(violation);
        out.println("       " + violation.action().label().toLowerCase(Locale.ROOT) + " " + ViolationText.line(violation)
            + (containers == null ? "" : " container " + containers));
      }
    }
    out.println(results.size() + (results.size() == 1 ? " object" : " objects") + " checked: "
        + denied + " denied, " + warned + " warned, " + (results.size() - denied) + " allowed");
  }

  /** Five columns wide, so that the names line up. */
  private static String verdict(Outcome outcome) {
    return switch (outcome) {
      case ALLOW -> "PASS ";
      case DENY -> "DENY ";
      case WARN -> "WARN ";
      case AUDIT -> "AUDIT";
      case ERROR -> "ERROR";
    };
  }
}
