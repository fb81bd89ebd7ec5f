package io.daemonguard.manifest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;

/**
 * How strictly every door reads JSON: the webhook its AdmissionReviews, {@code check} its manifests and policy files.
 * Kubernetes objects are shallow, so anything nested deeper than {@link #MAX_NESTING_DEPTH} is an attack on the parser,
 * not a workload; and a name given twice in one object is refused, never silently resolved to one of its values.
 */
public final class StrictJson {

  public static final int MAX_NESTING_DEPTH = 100;

  private StrictJson() {}

  /** Refuses deep nesting and duplicate names. */
  public static JsonFactory factory(int maxNestingDepth) {
    return JsonFactory.builder()
        .streamReadConstraints(depth(maxNestingDepth))
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .build();
  }

  /** Refuses deep nesting only: for a reader that checks duplicate names itself, where it looks names up anyway. */
  public static JsonFactory factoryCheckingDepthOnly(int maxNestingDepth) {
    return JsonFactory.builder().streamReadConstraints(depth(maxNestingDepth)).build();
  }

  private static StreamReadConstraints depth(int maxNestingDepth) {
    return StreamReadConstraints.builder().maxNestingDepth(maxNestingDepth).build();
  }
}
