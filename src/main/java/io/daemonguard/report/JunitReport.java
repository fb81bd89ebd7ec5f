package io.daemonguard.report;

import io.daemonguard.admission.Action;
import io.daemonguard.admission.RuleId;
import io.daemonguard.admission.Violation;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Results as JUnit XML, for CI dashboards (Jenkins, GitLab): a test suite per input file, a test case per object and
 * rule broken ({@code Kind namespace/name: rule-id}), failed when the rule is enforced, and one passing case for each
 * object that broke nothing, so that the dashboard counts every object checked.
 *
 * <p>A Warn or Audit violation is a passed case carrying the violation in {@code <system-out>}, not a
 * {@code <skipped>} one: both Jenkins and GitLab read skipped as "not run" and count it apart, while the object was
 * checked and admitted; both show a case's system-out in its details.
 */
public final class JunitReport {
  private static final XMLOutputFactory XML = XMLOutputFactory.newDefaultFactory();

  private JunitReport() {}

  private record Case(String name, List<Violation> violations, ObjectResult result) {
    boolean failed() {
      return violations.stream().anyMatch(v -> v.action() == Action.ENFORCE);
    }
  }

  public static void write(PrintWriter out, List<ObjectResult> results) {
    Map<String, List<Case>> suites = new LinkedHashMap<>();
    for (ObjectResult result : results) {
      suites.computeIfAbsent(result.source(), s -> new ArrayList<>()).addAll(cases(result));
    }
    try {
      XMLStreamWriter xml = XML.createXMLStreamWriter(out);
      xml.writeStartDocument("UTF-8", "1.0");
      newline(xml, 0);
      xml.writeStartElement("testsuites");
      xml.writeAttribute("name", "daemonguard check");
      xml.writeAttribute("tests", String.valueOf(suites.values().stream().mapToInt(List::size).sum()));
      xml.writeAttribute("failures",
          String.valueOf(suites.values().stream().flatMap(List::stream).filter(Case::failed).count()));
      for (Map.Entry<String, List<Case>> suite : suites.entrySet()) {
        writeSuite(xml, suite.getKey(), suite.getValue());
      }
      newline(xml, 0);
      xml.writeEndElement();
      xml.writeEndDocument();
      xml.flush();
      out.println();
    } catch (XMLStreamException e) {
      throw new IllegalStateException("writing XML to a PrintWriter cannot fail", e);
    }
  }

  private static List<Case> cases(ObjectResult result) {
    String subject = ViolationText.subject(result.workload());
    if (result.decision().violations().isEmpty()) {
      return List.of(new Case(subject, List.of(), result));
    }
    Map<RuleId, List<Violation>> byRule = new LinkedHashMap<>();
    for (Violation violation : result.decision().violations()) {
      byRule.computeIfAbsent(violation.rule(), r -> new ArrayList<>()).add(violation);
    }
    List<Case> cases = new ArrayList<>();
    byRule.forEach((rule, violations) -> cases.add(new Case(subject + ": " + rule.id(), violations, result)));
    return cases;
  }

  private static void writeSuite(XMLStreamWriter xml, String file, List<Case> cases) throws XMLStreamException {
    newline(xml, 1);
    xml.writeStartElement("testsuite");
    xml.writeAttribute("name", clean(file));
    xml.writeAttribute("tests", String.valueOf(cases.size()));
    xml.writeAttribute("failures", String.valueOf(cases.stream().filter(Case::failed).count()));
    xml.writeAttribute("errors", "0");
    xml.writeAttribute("skipped", "0");
    for (Case testCase : cases) {
      newline(xml, 2);
      if (testCase.violations().isEmpty()) {
        xml.writeEmptyElement("testcase");
        writeCaseAttributes(xml, file, testCase);
        continue;
      }
      xml.writeStartElement("testcase");
      writeCaseAttributes(xml, file, testCase);
      newline(xml, 3);
      if (testCase.failed()) {
        List<Violation> enforced = testCase.violations().stream().filter(v -> v.action() == Action.ENFORCE).toList();
        xml.writeStartElement("failure");
        xml.writeAttribute("message", clean(String.join("; ",
            enforced.stream().map(v -> ViolationText.sentence(testCase.result().workload(), v)).toList())));
        xml.writeAttribute("type", testCase.violations().get(0).rule().id());
      } else {
        xml.writeStartElement("system-out");
      }
      xml.writeCharacters(clean(body(testCase)));
      xml.writeEndElement();
      newline(xml, 2);
      xml.writeEndElement();
    }
    newline(xml, 1);
    xml.writeEndElement();
  }

  private static void writeCaseAttributes(XMLStreamWriter xml, String file, Case testCase) throws XMLStreamException {
    xml.writeAttribute("classname", clean(file));
    xml.writeAttribute("name", clean(testCase.name()));
  }

  /** Every violation of the case, each with its field, containers, action and policies; then how to fix the rule. */
  private static String body(Case testCase) {
    StringBuilder body = new StringBuilder();
    for (Violation violation : testCase.violations()) {
      body.append(violation.action() == null ? "" : violation.action().label() + ": ")
          .append(violation.message()).append('\n')
          .append("  field: ").append(violation.path()).append('\n');
      String containers = ViolationText.containers(violation);
      if (containers != null) {
        body.append("  container: ").append(containers).append('\n');
      }
      body.append("  policy: ").append(String.join(", ", violation.policies())).append('\n');
    }
    RuleHelp help = RuleHelp.of(testCase.violations().get(0).rule());
    return body.append("How to fix: ").append(help.fix()).append('\n').append("See ").append(RuleHelp.HELP_URI)
        .toString();
  }

  private static void newline(XMLStreamWriter xml, int depth) throws XMLStreamException {
    xml.writeCharacters("\n" + "  ".repeat(depth));
  }

  /**
   * The writer escapes markup but passes through what XML 1.0 cannot hold at all (control characters, lone surrogates),
   * which a manifest's names and paths may contain: those become U+FFFD rather than a file no parser reads.
   */
  static String clean(String text) {
    StringBuilder clean = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean valid;
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        if (clean != null) {
          clean.append(c).append(text.charAt(i + 1));
        }
        i++;
        continue;
      }
      valid = c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD);
      if (!valid && clean == null) {
        clean = new StringBuilder(text.length()).append(text, 0, i);
      }
      if (clean != null) {
        clean.append(valid ? c : '\uFFFD');
      }
    }
    return clean == null ? text : clean.toString();
  }
}
