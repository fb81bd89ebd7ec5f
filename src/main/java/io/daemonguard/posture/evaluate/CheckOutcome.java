package io.daemonguard.posture.evaluate;

/** How one check came out on one node. */
public enum CheckOutcome {
  /** Judged, and nothing at low or above. */
  PASS("pass"),
  /** Judged, and a finding above info. */
  FAIL("fail"),
  /** A fact it needs could not be read: neither pass nor fail. */
  UNKNOWN("unknown"),
  /** The daemon it judges is not on the node. */
  NOT_APPLICABLE("not-applicable"),
  /** The policy turned it off. */
  DISABLED("disabled");

  private final String label;

  CheckOutcome(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
