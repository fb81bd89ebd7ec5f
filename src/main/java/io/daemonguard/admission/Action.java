package io.daemonguard.admission;

/** What happens to a workload that breaks a rule. Declared from least to most strict: the strictest one wins. */
public enum Action {
  AUDIT("Audit"),
  WARN("Warn"),
  ENFORCE("Enforce");

  private final String label;

  Action(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  public static Action strictest(Action a, Action b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  /** Parses the CRD's spelling; names the accepted values when the input is wrong. */
  public static Action parse(String value, String field) {
    for (Action action : values()) {
      if (action.label.equals(value)) {
        return action;
      }
    }
    throw new IllegalArgumentException(field + ": \"" + value + "\" is not one of Enforce, Warn, Audit");
  }
}
