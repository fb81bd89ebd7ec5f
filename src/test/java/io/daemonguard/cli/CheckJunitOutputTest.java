package io.daemonguard.cli;

import static io.daemonguard.cli.CheckRun.check;
import static io.daemonguard.cli.CheckRun.fixture;
import static io.daemonguard.cli.CheckRun.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * {@code -o junit}: well-formed JUnit XML, a suite per file, a case per object and rule broken (failed when enforced),
 * a passing case per clean object.
 */
class CheckJunitOutputTest {

  @TempDir Path dir;

  private static Document parse(CheckRun run) {
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newDefaultInstance();
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      return factory.newDocumentBuilder().parse(new ByteArrayInputStream(run.out().getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new AssertionError("stdout is not well-formed XML: " + e.getMessage() + "\n" + run, e);
    }
  }

  private static List<Element> elements(Element parent, String name) {
    NodeList nodes = parent.getElementsByTagName(name);
    List<Element> found = new ArrayList<>();
    for (int i = 0; i < nodes.getLength(); i++) {
      found.add((Element) nodes.item(i));
    }
    return found;
  }

  /** {@code classname | name | failure type or "pass" (+ "out" when it carries system-out)} of each case. */
  private static List<String> cases(Element parent) {
    return elements(parent, "testcase").stream().map(c -> {
      List<Element> failures = elements(c, "failure");
      String verdict = failures.isEmpty() ? "pass" : "fail " + failures.get(0).getAttribute("type");
      return Path.of(c.getAttribute("classname")).getFileName() + " | " + c.getAttribute("name") + " | " + verdict
          + (elements(c, "system-out").isEmpty() ? "" : " +out");
    }).toList();
  }

  @Test
  void aSuitePerFileACasePerObjectAndRule() {
    CheckRun run = check("-o", "junit", fixture("multi.yaml").toString(), fixture("root-deployment.yaml").toString(),
        fixture("sarif/list.yaml").toString());
    assertThat(run.exitCode()).as("%s", run).isEqualTo(1);
    Element root = parse(run).getDocumentElement();
    assertThat(root.getTagName()).isEqualTo("testsuites");
    List<Element> suites = elements(root, "testsuite");
    assertThat(suites).extracting(s -> Path.of(s.getAttribute("name")).getFileName().toString())
        .containsExactly("multi.yaml", "root-deployment.yaml", "list.yaml");
    assertThat(suites.get(0).getAttribute("name")).isEqualTo(fixture("multi.yaml").toString());
    assertThat(cases(root)).containsExactly(
        "multi.yaml | ConfigMap default/settings | pass",
        "multi.yaml | Pod team-a/first | pass",
        "multi.yaml | Pod default/second: privileged-container | fail privileged-container",
        "root-deployment.yaml | Deployment prod/rooted: host-root-mount | fail host-root-mount",
        "root-deployment.yaml | Deployment prod/rooted: runtime-socket-mount | fail runtime-socket-mount",
        "list.yaml | Pod team/fine | pass",
        "list.yaml | Pod team/listed: privileged-container | fail privileged-container");
    assertThat(root.getAttribute("tests")).isEqualTo("7");
    assertThat(root.getAttribute("failures")).isEqualTo("4");
    assertThat(suites.get(1).getAttribute("tests")).isEqualTo("2");
    assertThat(suites.get(1).getAttribute("failures")).isEqualTo("2");
  }

  @Test
  void aFailureSaysWhatWhereAndHowToFix() {
    CheckRun run = check("-o", "junit", fixture("sarif/deployments.yaml").toString());
    Element failure = elements(parse(run).getDocumentElement(), "failure").get(0);
    assertThat(failure.getAttribute("type")).isEqualTo("privileged-container");
    assertThat(failure.getAttribute("message")).isEqualTo("Deployment prod/shop:"
        + " spec.template.spec.containers[1].securityContext.privileged: container \"sidecar\" runs privileged,"
        + " with full access to the host and its container daemon (Enforce, policy daemonguard-default)");
    assertThat(failure.getTextContent())
        .contains("field: spec.template.spec.containers[1].securityContext.privileged")
        .contains("container: sidecar")
        .contains("policy: daemonguard-default")
        .contains("How to fix: Remove privileged: true")
        .contains("README.md#the-rules");
  }

  @Test
  void warnedObjectsPassWithTheViolationInSystemOut() {
    CheckRun run = check("-o", "junit", "--policy", fixture("policies/warn-all.yaml").toString(),
        fixture("root-deployment.yaml").toString());
    assertThat(run.exitCode()).as("%s", run).isEqualTo(0);
    Element root = parse(run).getDocumentElement();
    assertThat(cases(root)).containsExactly(
        "root-deployment.yaml | Deployment prod/rooted: host-root-mount | pass +out",
        "root-deployment.yaml | Deployment prod/rooted: runtime-socket-mount | pass +out");
    assertThat(root.getAttribute("failures")).isEqualTo("0");
    assertThat(elements(root, "system-out").get(0).getTextContent())
        .startsWith("Warn: volume \"host\" mounts the host's root filesystem").contains("How to fix:");
    assertThat(elements(root, "skipped")).isEmpty();
  }

  @Test
  void markupInNamesAndMessagesIsEscaped() {
    Path file = write(dir.resolve("a&b<c>.yaml"), "apiVersion: v1\nkind: Pod\nmetadata:\n"
        + "  name: 'x<y>&z\"q'\n  namespace: \"n&\\u0001\"\nspec:\n  containers:\n  - name: '<c>&\"'\n    image: i\n"
        + "    volumeMounts: [{name: s, mountPath: /s}]\n  volumes:\n"
        + "  - name: s\n    hostPath: {path: '/tmp/<&\"]]>/docker.sock'}\n");
    CheckRun run = check("-o", "junit", file.toString());
    assertThat(run.exitCode()).as("%s", run).isEqualTo(1);
    assertThat(run.out()).doesNotContain("x<y>").doesNotContain("<&\"]]>");
    Element root = parse(run).getDocumentElement();
    Element testCase = elements(root, "testcase").get(0);
    assertThat(testCase.getAttribute("classname")).isEqualTo(file.toString());
    assertThat(testCase.getAttribute("name")).isEqualTo("Pod n&\uFFFD/x<y>&z\"q: runtime-socket-mount");
    Element failure = elements(root, "failure").get(0);
    assertThat(failure.getAttribute("message")).contains("(path \"/tmp/<&\"]]>/docker.sock\")");
    assertThat(failure.getTextContent()).contains("container: <c>&\"");
  }
}
