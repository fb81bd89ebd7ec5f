package io.daemonguard;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.daemonguard.admission.EngineFuzzTest;
import io.daemonguard.manifest.ManifestReaderFuzzTest;
import io.daemonguard.webhook.AdmissionReviewFuzzTest;

/**
 * The short form of the fuzzing, for every build: Jazzer fuzzes one test per JVM, so this one drives all five targets
 * (the first byte picks one) in the {@code fuzz-smoke} surefire execution, for {@code -Dfuzz.smoke.duration} (default
 * 30s). The full runs fuzz each target on its own; see docs/hardening.md.
 */
class FuzzSmokeTest {

  @FuzzTest(maxDuration = "30s")
  void allTargets(FuzzedDataProvider data) {
    switch (data.consumeInt(0, 4)) {
      case 0 -> AdmissionReviewFuzzTest.arbitraryBody(data.consumeRemainingAsBytes());
      case 1 -> AdmissionReviewFuzzTest.mutatedReview(data);
      case 2 -> EngineFuzzTest.arbitraryTree(data);
      case 3 -> EngineFuzzTest.rootInAnySpelling(data);
      default -> ManifestReaderFuzzTest.check(data.consumeRemainingAsBytes());
    }
  }
}
