package io.daemonguard.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@code crds/} and {@code charts/daemonguard/crds/} are the generator's output (pom.xml: crd-generator-maven-plugin,
 * then copy-crds and copy-crds-to-chart, at process-classes), and must be committed as such. The build rewrites both
 * directories in the work tree, so the copies there always match after a build; what can drift is the committed
 * version, the one a clean clone, {@code kubectl apply -f crds/} and {@code helm install} get. So this test compares
 * the generator's output of this build with the work tree and with what git holds for commit (the index).
 */
class CrdDriftTest {

  static final Path CRDS = Path.of("crds");
  static final Path CHART_CRDS = Path.of("charts/daemonguard/crds");
  static final String DSP_CRD = "daemonsecuritypolicies.daemonguard.io-v1.yml";
  private static final String HOW_TO_FIX = "; run ./mvnw process-classes and commit crds/ and charts/daemonguard/crds/";

  /** Where the crd-generator-maven-plugin wrote this build's CRDs (target/classes/META-INF/fabric8). */
  static Path generatedDir() throws URISyntaxException {
    URL url = CrdDriftTest.class.getClassLoader().getResource("META-INF/fabric8/" + DSP_CRD);
    assertThat(url).as("the generator's output on the class path (build with Maven, which runs the generator)")
        .isNotNull();
    return Path.of(url.toURI()).getParent();
  }

  static List<String> crdFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(f -> f.getFileName().toString())
          .filter(n -> n.endsWith(".yml") || n.endsWith(".yaml"))
          .filter(n -> !n.endsWith("-v1beta1.yml"))
          .sorted().toList();
    }
  }

  @Test
  void theWorkTreeHoldsExactlyTheGeneratedCrds() throws Exception {
    Path generated = generatedDir();
    List<String> names = crdFiles(generated).stream().filter(n -> n.endsWith("-v1.yml")).toList();
    assertThat(names).contains(DSP_CRD);
    for (Path dir : List.of(CRDS, CHART_CRDS)) {
      assertThat(crdFiles(dir)).as("CRD files in %s (a stale one is drift too)", dir).isEqualTo(names);
      for (String name : names) {
        assertThat(firstDifference(Files.readString(dir.resolve(name)), Files.readString(generated.resolve(name))))
            .as("%s/%s is not what the generator makes" + HOW_TO_FIX, dir, name)
            .isNull();
      }
    }
  }

  @Test
  void theCommittedCrdsAreTheGeneratedOnes() throws Exception {
    Path generated = generatedDir();
    Assumptions.assumeTrue(git("rev-parse", "--is-inside-work-tree") != null,
        "not a git work tree (a source archive?): nothing committed to compare");
    for (String name : crdFiles(generated).stream().filter(n -> n.endsWith("-v1.yml")).toList()) {
      String expected = Files.readString(generated.resolve(name));
      for (Path dir : List.of(CRDS, CHART_CRDS)) {
        String path = dir.resolve(name).toString().replace('\\', '/');
        String staged = git("show", ":" + path);
        assertThat(staged).as("%s is not in git" + HOW_TO_FIX, path).isNotNull();
        assertThat(firstDifference(staged, expected)).as("the committed (staged) %s is not what the generator makes"
            + " from the classes in src/main/java/io/daemonguard/api" + HOW_TO_FIX, path).isNull();
      }
    }
  }

  /** Null when equal, else the first line that differs, as "line N: committed ... / generated ...". */
  static String firstDifference(String committed, String generated) {
    if (committed.equals(generated)) {
      return null;
    }
    String[] a = committed.split("\n", -1);
    String[] b = generated.split("\n", -1);
    for (int i = 0; i < Math.max(a.length, b.length); i++) {
      String left = i < a.length ? a[i] : "(end of file)";
      String right = i < b.length ? b[i] : "(end of file)";
      if (!left.equals(right)) {
        return "line " + (i + 1) + ": committed \"" + left + "\" / generated \"" + right + "\"";
      }
    }
    return "line endings differ";
  }

  /** stdout of a git command run in the project directory, or null when git fails or is missing. */
  static String git(String... args) throws InterruptedException {
    String[] command = Stream.concat(Stream.of("git"), Stream.of(args)).toArray(String[]::new);
    try {
      Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (InputStream in = process.getInputStream()) {
        in.transferTo(out);
      }
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return null;
      }
      return process.exitValue() == 0 ? out.toString(StandardCharsets.UTF_8) : null;
    } catch (IOException e) {
      return null;
    }
  }
}
