package io.daemonguard.admission;

import java.util.Locale;

/**
 * What became of an object: the one spelling of an outcome for the webhook's responses and logs, {@code check}'s
 * output and the metrics. {@link #ERROR} is a request that could not be judged at all.
 */
public enum Outcome {
  ALLOW,
  AUDIT,
  WARN,
  DENY,
  ERROR;

  /** Lower case, as in metrics labels and log messages: {@code allow}, {@code deny}... */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The outcome of a decision: the strictest action among its violations, or allow when there is none. */
  public static Outcome of(Decision decision) {
    if (decision.action() == null) {
      return ALLOW;
    }
    return switch (decision.action()) {
      case ENFORCE -> DENY;
      case WARN -> WARN;
      case AUDIT -> AUDIT;
    };
  }
}
