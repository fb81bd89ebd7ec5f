package io.daemonguard.operator;

import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** The one rule every condition the operator writes follows, whichever controller writes it. */
public final class Conditions {

  private Conditions() {}

  /**
   * A condition's lastTransitionTime: when its status flipped, not when it was last looked at, so the previous time is
   * kept unless {@code status} differs from the previous condition's ({@code previous} null: a new condition).
   */
  public static String transitionTime(Condition previous, String status, Instant now) {
    return previous != null && status.equals(previous.getStatus()) && previous.getLastTransitionTime() != null
        ? previous.getLastTransitionTime() : now.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
