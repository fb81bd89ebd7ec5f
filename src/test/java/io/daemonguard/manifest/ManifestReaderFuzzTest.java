package io.daemonguard.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.daemonguard.FuzzHeap;
import io.daemonguard.StrictUtf8;
import io.daemonguard.admission.AdmissionEngine;
import io.daemonguard.admission.AdmissionPolicy;
import io.daemonguard.admission.Decision;
import io.daemonguard.admission.InvalidObjectException;
import io.daemonguard.admission.Workload;
import io.daemonguard.admission.WorkloadReader;
import io.daemonguard.report.ViolationText;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Coverage-guided fuzzing of {@code check}'s parser: {@link ManifestReader} on arbitrary bytes (YAML and JSON), then
 * each manifest through the reader and the engine as {@code check} does. Nothing may escape {@link ManifestReader#read}
 * (its errors are values, each naming the source); {@link ManifestReader#readStrict} throws only
 * {@link ManifestReader.ManifestException}, naming the source; input that is not UTF-8 is an error, never a manifest.
 *
 * <p>Without {@code JAZZER_FUZZ} this runs over the seeds in {@code ManifestReaderFuzzTestInputs/}; see
 * docs/hardening.md for the fuzzing runs.
 */
public class ManifestReaderFuzzTest {

  static final String SOURCE = "manifests/fuzz.yaml";
  private static final List<AdmissionPolicy> POLICIES = List.of(AdmissionPolicy.defaultPolicy(null, Set.of()));

  @FuzzTest(maxDuration = "10m")
  void read(byte[] content) {
    FuzzHeap.sample("ManifestReaderFuzzTest.read");
    check(content);
  }

  /** The target itself, also driven by {@link io.daemonguard.FuzzSmokeTest}. */
  public static void check(byte[] content) {
    ManifestReader.Parsed parsed = ManifestReader.read(SOURCE, content);
    for (String error : parsed.errors()) {
      assertThat(error).as("an error names the source").startsWith(SOURCE + ": ");
      assertThat(error.length()).as("and says something").isGreaterThan(SOURCE.length() + 2);
    }
    if (!StrictUtf8.isValid(content)) {
      assertThat(parsed.errors()).as("input that is not UTF-8 is an error").isNotEmpty();
      assertThat(parsed.manifests()).as("input that is not UTF-8 yields no manifest").isEmpty();
    }
    for (ManifestReader.Manifest manifest : parsed.manifests()) {
      assertThat(manifest.source()).isEqualTo(SOURCE);
      assertThat(manifest.where()).startsWith(SOURCE + ": document " + manifest.document());
      assertThat(manifest.object().isObject()).isTrue();
      assertThat(manifest.object().path("kind").isTextual()).isTrue();
      Workload workload;
      try {
        String kind = manifest.object().path("kind").asText();
        workload = WorkloadReader.read(manifest.object(), Workload.isClusterScoped(kind) ? null : "default");
      } catch (InvalidObjectException e) {
        assertThat(e.getMessage()).isNotBlank();
        continue;
      }
      Decision decision = AdmissionEngine.evaluate(workload, POLICIES);
      decision.violations().forEach(v -> assertThat(ViolationText.line(v)).contains(v.rule().id()));
      assertThat(ViolationText.subject(workload)).isNotBlank();
    }
    try {
      List<ManifestReader.Manifest> strict = ManifestReader.readStrict(SOURCE, content);
      assertThat(parsed.errors()).as("readStrict succeeds only when read has no error").isEmpty();
      assertThat(strict).hasSameSizeAs(parsed.manifests());
    } catch (ManifestReader.ManifestException e) {
      assertThat(e.getMessage()).startsWith(SOURCE + ": ");
      assertThat(parsed.errors()).contains(e.getMessage());
    }
  }

  // --- what the fuzzer found, pinned (the inputs are also in ManifestReaderFuzzTestInputs/read)

  @Test
  void aBillionLaughsIsRefusedQuickly() {
    StringBuilder yaml = new StringBuilder("kind: Pod\nmetadata: {name: laughs}\nl0: &l0 [x,x,x,x,x,x,x,x,x,x]\n");
    for (int level = 1; level <= 9; level++) {
      yaml.append("l").append(level).append(": &l").append(level).append(" [")
          .append(String.join(",", java.util.Collections.nCopies(10, "*l" + (level - 1)))).append("]\n");
    }
    ManifestReader.Parsed parsed = assertTimeoutPreemptively(Duration.ofSeconds(10),
        () -> ManifestReader.read(SOURCE, yaml.toString().getBytes(StandardCharsets.UTF_8)));
    assertThat(parsed.manifests()).isEmpty();
    assertThat(parsed.errors()).singleElement().asString()
        .startsWith(SOURCE + ": document 1: aliases expand the document to more than");
  }

  @Test
  void anAliasInsideItsOwnAnchorIsRefused() {
    for (String yaml : List.of("kind: Pod\nx: &a [*a]\n", "&a {kind: Pod, self: *a}\n", "kind: Pod\nx: &a {b: *a}\n")) {
      ManifestReader.Parsed parsed = ManifestReader.read(SOURCE, yaml.getBytes(StandardCharsets.UTF_8));
      assertThat(parsed.manifests()).isEmpty();
      assertThat(parsed.errors()).singleElement().asString()
          .contains("document 1: nesting depth exceeds 100 once aliases are expanded");
    }
  }

  @Test
  void sharedAnchorsStillWork() {
    String yaml = """
        kind: Deployment
        metadata: {name: web}
        x-common: &common {image: busybox, securityContext: {privileged: true}}
        spec: {template: {spec: {containers: [{<<: *common, name: a}, {<<: *common, name: b}]}}}
        """;
    ManifestReader.Parsed parsed = ManifestReader.read(SOURCE, yaml.getBytes(StandardCharsets.UTF_8));
    assertThat(parsed.errors()).isEmpty();
    assertThat(parsed.manifests()).singleElement().satisfies(m -> assertThat(
        m.object().at("/spec/template/spec/containers/1/securityContext/privileged").asBoolean()).isTrue());
  }

  @Test
  void jsonThatIsNotUtf8IsRefusedAsAWhole() {
    String pod = "{\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"}}\n{\"kind\":\"Pod\",\"metadata\":{\"name\":\"q";
    ByteArrayOutputStream overlong = new ByteArrayOutputStream();
    overlong.writeBytes(pod.getBytes(StandardCharsets.UTF_8));
    overlong.writeBytes(new byte[] {(byte) 0xC0, (byte) 0xAF}); // an overlong '/', which Jackson alone would read
    overlong.writeBytes("\"}}".getBytes(StandardCharsets.UTF_8));
    ManifestReader.Parsed parsed = ManifestReader.read(SOURCE, overlong.toByteArray());
    assertThat(parsed.manifests()).isEmpty();
    assertThat(parsed.errors()).containsExactly(SOURCE + ": not valid UTF-8");
    // UTF-16 is read as the UTF-8 it is not: its NULs are refused, nothing is guessed
    ManifestReader.Parsed utf16 = ManifestReader.read(SOURCE, (pod + "\"}}").getBytes(StandardCharsets.UTF_16LE));
    assertThat(utf16.manifests()).isEmpty();
    assertThat(utf16.errors()).singleElement().asString().startsWith(SOURCE + ": document 1: ");
  }
}
