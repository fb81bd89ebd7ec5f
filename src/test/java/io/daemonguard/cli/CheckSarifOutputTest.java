package io.daemonguard.cli;

import static io.daemonguard.cli.CheckRun.JSON;
import static io.daemonguard.cli.CheckRun.check;
import static io.daemonguard.cli.CheckRun.checkWithStdin;
import static io.daemonguard.cli.CheckRun.fixture;
import static io.daemonguard.cli.CheckRun.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.daemonguard.admission.RuleId;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code -o sarif}: valid SARIF 2.1.0 (checked against the OASIS schema, committed under src/test/resources/sarif), in
 * the shape GitHub code scanning takes, with every result pointing at the line of the offending field.
 */
class CheckSarifOutputTest {

  @TempDir Path dir;

  private static final Schema SARIF_SCHEMA = loadSchema();

  private static Schema loadSchema() {
    try (InputStream schema = CheckSarifOutputTest.class.getResourceAsStream("/sarif/sarif-schema-2.1.0.json")) {
      return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4).getSchema(schema);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> schemaErrors(JsonNode sarif) {
    return SARIF_SCHEMA.validate(sarif).stream().map(Error::toString).toList();
  }

  private static JsonNode sarif(CheckRun run) {
    try {
      return JSON.readTree(run.out());
    } catch (IOException e) {
      throw new AssertionError("stdout is not JSON:\n" + run, e);
    }
  }

  private static List<JsonNode> results(JsonNode sarif) {
    List<JsonNode> results = new ArrayList<>();
    sarif.path("runs").get(0).path("results").forEach(results::add);
    return results;
  }

  /** {@code ruleId uri line:column field} of each result, for exact comparisons. */
  private static List<String> located(JsonNode sarif) {
    return results(sarif).stream().map(r -> {
      JsonNode location = r.path("locations").get(0).path("physicalLocation");
      return r.path("ruleId").textValue() + " " + location.path("artifactLocation").path("uri").textValue() + " "
          + location.path("region").path("startLine").intValue() + ":"
          + location.path("region").path("startColumn").intValue() + " " + r.path("properties").path("field").asText();
    }).toList();
  }

  private static String cli(String name) {
    return fixture(name).toString();
  }

  @Test
  void everyInputShapeGivesALogTheSchemaAccepts() {
    CheckRun run = checkWithStdin(CheckRun.read("privileged-pod.yaml"), "-o", "sarif", cli("sarif/deployments.yaml"),
        cli("sarif/cronjob-root.yaml"), cli("sarif/daemonset.json"), cli("sarif/list.yaml"), cli("clean-pod.yaml"),
        cli("merge-key.yaml"), cli("pv-var-run.yaml"), "-");
    assertThat(run.exitCode()).as("%s", run).isEqualTo(1);
    JsonNode sarif = sarif(run);
    assertThat(schemaErrors(sarif)).as("%s", run.out()).isEmpty();
    assertThat(results(sarif)).hasSize(9);
    assertThat(run.err()).isEmpty();
  }

  @Test
  void theSchemaCheckCatchesABrokenLog() {
    JsonNode sarif = sarif(check("-o", "sarif", cli("sarif/deployments.yaml")));
    ObjectNode broken = sarif.deepCopy();
    ((ObjectNode) broken.path("runs").get(0).path("results").get(0)).put("level", "fatal");
    broken.remove("version");
    assertThat(schemaErrors(broken)).hasSizeGreaterThanOrEqualTo(2);
  }

  @Test
  void aLogWithNothingFoundIsValidAndListsTheRules() {
    CheckRun run = check("-o", "sarif", cli("clean-pod.yaml"));
    assertThat(run.exitCode()).as("%s", run).isEqualTo(0);
    JsonNode sarif = sarif(run);
    assertThat(schemaErrors(sarif)).isEmpty();
    assertThat(results(sarif)).isEmpty();
    assertThat(sarif.path("runs")).hasSize(1);
  }

  @Test
  void theDriverDescribesEveryRuleForGithub() {
    JsonNode sarif = sarif(check("-o", "sarif", cli("clean-pod.yaml")));
    assertThat(sarif.path("$schema").textValue()).isEqualTo("https://json.schemastore.org/sarif-2.1.0.json");
    assertThat(sarif.path("version").textValue()).isEqualTo("2.1.0");
    JsonNode driver = sarif.path("runs").get(0).path("tool").path("driver");
    assertThat(driver.path("name").textValue()).isEqualTo("daemonguard");
    assertThat(driver.path("version").textValue()).isNotBlank();
    assertThat(driver.path("informationUri").textValue()).startsWith("https://");
    List<String> ids = new ArrayList<>();
    for (JsonNode rule : driver.path("rules")) {
      ids.add(rule.path("id").textValue());
      assertThat(rule.path("name").textValue()).as("name of %s", rule).isNotBlank();
      assertThat(rule.path("shortDescription").path("text").textValue()).isNotBlank();
      assertThat(rule.path("fullDescription").path("text").textValue()).isNotBlank();
      assertThat(rule.path("help").path("text").textValue()).contains("How to fix");
      assertThat(rule.path("help").path("markdown").textValue()).contains("**How to fix:**");
      assertThat(rule.path("helpUri").textValue())
          .isEqualTo("https://github.com/daemonguard/daemonguard/blob/main/README.md#the-rules");
      assertThat(rule.path("defaultConfiguration").path("level").textValue()).isEqualTo("error");
      assertThat(rule.path("properties").path("security-severity").textValue()).isEqualTo("9.5");
      assertThat(rule.path("properties").path("tags")).extracting(JsonNode::textValue).contains("security");
    }
    assertThat(ids).containsExactlyElementsOf(Arrays.stream(RuleId.values()).map(RuleId::id).toList());
    assertThat(ids).contains("host-root-mount", "privileged-container", "runtime-socket-mount");
  }

  @Test
  void aPrivilegedContainerInTheSecondDocumentPointsAtItsPrivilegedLine() {
    JsonNode sarif = sarif(check("-o", "sarif", cli("sarif/deployments.yaml")));
    assertThat(located(sarif)).containsExactly("privileged-container target/test-classes/cli/sarif/deployments.yaml"
        + " 32:11 spec.template.spec.containers[1].securityContext.privileged");
    JsonNode result = results(sarif).get(0);
    assertThat(result.path("ruleIndex").intValue()).isEqualTo(RuleId.PRIVILEGED_CONTAINER.ordinal());
    assertThat(result.path("level").textValue()).isEqualTo("error");
    assertThat(result.path("message").path("text").textValue()).isEqualTo("Deployment prod/shop:"
        + " spec.template.spec.containers[1].securityContext.privileged: container \"sidecar\" runs privileged,"
        + " with full access to the host and its container daemon (Enforce, policy daemonguard-default)");
  }

  @Test
  void aHostRootInACronJobPointsAtItsPathLine() {
    JsonNode sarif = sarif(check("-o", "sarif", cli("sarif/cronjob-root.yaml")));
    String at = " target/test-classes/cli/sarif/cronjob-root.yaml 25:15"
        + " spec.jobTemplate.spec.template.spec.volumes[1].hostPath.path";
    assertThat(located(sarif)).containsExactly("host-root-mount" + at, "runtime-socket-mount" + at);
  }

  @Test
  void aJsonFilePointsAtTheFieldLine() {
    JsonNode sarif = sarif(check("-o", "sarif", cli("sarif/daemonset.json")));
    assertThat(located(sarif)).containsExactly("runtime-socket-mount target/test-classes/cli/sarif/daemonset.json"
        + " 18:14 spec.template.spec.volumes[1].hostPath.path");
  }

  @Test
  void aListItemsPathIsResolvedBelowItsItem() {
    JsonNode sarif = sarif(check("-o", "sarif", cli("sarif/list.yaml")));
    assertThat(located(sarif)).containsExactly("privileged-container target/test-classes/cli/sarif/list.yaml"
        + " 18:9 spec.containers[0].securityContext.privileged");
  }

  @Test
  void standardInputIsTheArtifactStdinWithItsLines() {
    String manifest = "---\n# from a pipe\napiVersion: v1\nkind: Pod\nmetadata: {name: piped}\nspec:\n  containers:\n"
        + "  - name: c\n    image: x\n    securityContext: {privileged: true}\n";
    JsonNode sarif = sarif(checkWithStdin(manifest, "-o", "sarif", "-"));
    assertThat(located(sarif)).containsExactly("privileged-container stdin 10:23 spec.containers[0].securityContext.privileged");
  }

  @Test
  void severalJsonDocumentsInOneFileEachResolveInTheirOwnText() {
    String pod = "{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"%s\"},\n"
        + " \"spec\": {\"containers\": [{\"name\": \"c\", \"image\": \"x\",\n"
        + "   \"securityContext\": {\"privileged\": true}}]}}\n";
    Path file = write(dir.resolve("two.json"), String.format(pod, "one") + String.format(pod, "two"));
    List<String> located = located(sarif(check("-o", "sarif", file.toString())));
    assertThat(located).hasSize(2);
    assertThat(located.get(0)).contains(" 3:24 ");
    assertThat(located.get(1)).contains(" 6:24 ");
  }

  @Test
  void aFileOutsideTheCurrentDirectoryIsAnAbsoluteFileUri() {
    Path file = write(dir.resolve("a dir/pod.yaml"), CheckRun.read("privileged-pod.yaml"));
    JsonNode result = results(sarif(check("-o", "sarif", file.toString()))).get(0);
    String uri = result.path("locations").get(0).path("physicalLocation").path("artifactLocation").path("uri").textValue();
    assertThat(uri).startsWith("file:///").endsWith("/a%20dir/pod.yaml");
  }

  @Test
  void warnIsAWarningAndAuditANote() {
    Path audit = write(dir.resolve("audit.yaml"), "apiVersion: daemonguard.io/v1alpha1\nkind: DaemonSecurityPolicy\n"
        + "metadata: {name: audit-all}\nspec:\n  admission:\n    action: Audit\n");
    CheckRun warned = check("-o", "sarif", "--policy", cli("policies/warn-all.yaml"), cli("sarif/deployments.yaml"));
    assertThat(warned.exitCode()).as("%s", warned).isEqualTo(0);
    assertThat(results(sarif(warned))).extracting(r -> r.path("level").textValue()).containsExactly("warning");
    CheckRun audited = check("-o", "sarif", "--policy", audit.toString(), cli("sarif/deployments.yaml"));
    assertThat(results(sarif(audited))).extracting(r -> r.path("level").textValue()).containsExactly("note");
    assertThat(schemaErrors(sarif(audited))).isEmpty();
  }

  @Test
  void theFingerprintFollowsTheFindingNotItsLine() throws IOException {
    Path file = dir.resolve("cron.yaml");
    Files.copy(fixture("sarif/cronjob-root.yaml"), file);
    List<JsonNode> before = results(sarif(check("-o", "sarif", file.toString())));
    Files.writeString(file, "# a comment\n# and another\n" + Files.readString(file));
    List<JsonNode> after = results(sarif(check("-o", "sarif", file.toString())));

    assertThat(lineOf(after.get(0))).isEqualTo(lineOf(before.get(0)) + 2);
    for (int i = 0; i < 2; i++) {
      assertThat(fingerprint(after.get(i))).isEqualTo(fingerprint(before.get(i))).matches("[0-9a-f]{64}");
    }
    assertThat(fingerprint(before.get(0))).as("two rules at one field are two alerts")
        .isNotEqualTo(fingerprint(before.get(1)));
  }

  private static int lineOf(JsonNode result) {
    return result.path("locations").get(0).path("physicalLocation").path("region").path("startLine").intValue();
  }

  private static String fingerprint(JsonNode result) {
    return result.path("partialFingerprints").path("daemonguard/v1").textValue();
  }
}
