package io.daemonguard.report;

import io.daemonguard.admission.Decision;
import io.daemonguard.admission.Outcome;
import io.daemonguard.admission.Workload;

/**
 * The one result model: an object, where it came from ({@code source}: a file, {@code <stdin>}, later a cluster
 * reference), and the engine's decision on it. Every output format is written from a list of these.
 */
public record ObjectResult(String source, Workload workload, Decision decision) {
  public Outcome outcome() {
    return decision.outcome();
  }
}
