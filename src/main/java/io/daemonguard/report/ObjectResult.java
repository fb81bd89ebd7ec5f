package io.daemonguard.report;

import io.daemonguard.admission.Decision;
import io.daemonguard.admission.Outcome;
import io.daemonguard.admission.Workload;
import io.daemonguard.manifest.SourcePositions;

/**
 * The one result model: an object, where it came from ({@code source}: a file, {@code <stdin>}, later a cluster
 * reference), where its fields stand in that source, and the engine's decision on it. Every output format is written
 * from a list of these.
 */
public record ObjectResult(String source, SourcePositions positions, Workload workload, Decision decision) {

  /** The {@code source} of whatever was read from standard input. */
  public static final String STDIN = "<stdin>";

  public Outcome outcome() {
    return decision.outcome();
  }
}
