package io.daemonguard.operator.sweep;

import io.daemonguard.Sha256;
import io.daemonguard.admission.Violation;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What the engine found in one object under the policies in force: its violations, in a stable order, and a
 * fingerprint of them. Two findings with equal fingerprints are the same news: nothing is written for the second.
 */
record Findings(List<Violation> violations, String fingerprint) {

  static final Findings NONE = new Findings(List.of(), "");

  static Findings of(List<Violation> violations) {
    if (violations.isEmpty()) {
      return NONE;
    }
    List<Violation> sorted = violations.stream()
        .sorted(Comparator.comparing((Violation v) -> v.rule().id()).thenComparing(Violation::path)).toList();
    String fingerprint = sorted.stream()
        .map(v -> v.rule().id() + "|" + v.path() + "|" + v.action().label() + "|" + String.join(",", v.policies()))
        .collect(Collectors.joining(";"));
    // the first 12 bytes: enough to tell two findings apart, short enough for an annotation
    return new Findings(sorted, Sha256.hex(fingerprint).substring(0, 24));
  }

  boolean isEmpty() {
    return violations.isEmpty();
  }
}
