package io.daemonguard.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.daemonguard.api.Severity;
import io.daemonguard.posture.DaemonProcess;
import io.daemonguard.posture.NodeFacts;
import io.daemonguard.posture.Unknown;
import io.daemonguard.posture.evaluate.CheckDefinition;
import io.daemonguard.posture.evaluate.CheckOutcome;
import io.daemonguard.posture.evaluate.CheckResult;
import io.daemonguard.posture.evaluate.Evaluation;
import io.daemonguard.posture.evaluate.Finding;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/** {@code scan-node}'s reports: text for a terminal, one JSON object, JUnit XML (one test case per check). */
public final class PostureReport {
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final XMLOutputFactory XML = XMLOutputFactory.newDefaultFactory();

  private PostureReport() {}

  public static void text(PrintWriter out, NodeFacts facts, Evaluation evaluation) {
    out.println("daemonguard scan-node: node " + facts.node() + " (host root " + facts.hostRoot() + ")");
    out.println("  daemons found: " + daemons(facts));
    for (Unknown u : facts.unknown() == null ? List.<Unknown>of() : facts.unknown()) {
      out.println("  could not read " + u.fact() + ": " + u.reason());
    }
    for (Severity severity : Severity.values()) {
      List<Finding> group = evaluation.findings().stream()
          .filter(f -> f.severity() == severity && !f.unknown()).toList();
      section(out, severity.label().toUpperCase(java.util.Locale.ROOT), group);
    }
    section(out, "COULD NOT BE JUDGED", evaluation.findings().stream().filter(Finding::unknown).toList());
    out.println();
    Map<CheckOutcome, List<String>> byOutcome = new EnumMap<>(CheckOutcome.class);
    for (CheckResult result : evaluation.checks()) {
      byOutcome.computeIfAbsent(result.outcome(), o -> new ArrayList<>()).add(result.check().id());
    }
    out.println("Checks: " + String.join(", ", byOutcome.entrySet().stream()
        .map(e -> e.getValue().size() + " " + e.getKey().label()
            + (e.getKey() == CheckOutcome.FAIL || e.getKey() == CheckOutcome.UNKNOWN
                ? " (" + String.join(", ", e.getValue()) + ")" : ""))
        .toList()));
    out.println("Summary: " + evaluation.count(Severity.CRITICAL) + " critical, " + evaluation.count(Severity.HIGH)
        + " high, " + evaluation.count(Severity.MEDIUM) + " medium, " + evaluation.count(Severity.LOW) + " low, "
        + evaluation.count(Severity.INFO) + " info; " + evaluation.unknownCount() + " could not be judged; fail-on "
        + evaluation.policy().failOn().label() + ": " + (evaluation.failed() ? "FAIL" : "pass"));
    out.flush();
  }

  private static void section(PrintWriter out, String title, List<Finding> findings) {
    if (findings.isEmpty()) {
      return;
    }
    out.println();
    out.println(title + " (" + findings.size() + ")");
    for (Finding f : findings) {
      out.println("  " + f.check().id() + (f.cis() == null ? "" : "  [" + f.cis() + "]"));
      out.println("    " + f.message());
      for (String e : f.evidence()) {
        out.println("    - " + e);
      }
      out.println("    fix: " + f.remediation());
    }
  }

  private static String daemons(NodeFacts facts) {
    List<String> found = new ArrayList<>();
    if (facts.docker() != null) {
      found.add(facts.docker().process() != null ? facts.docker().process().describe()
          : "Docker (configured, not running)");
    }
    if (facts.containerd() != null) {
      facts.containerd().forEach(c -> found.add(c.process() != null ? c.process().describe()
          : "containerd (configured, not running)"));
    }
    if (facts.crio() != null) {
      found.add(facts.crio().process() != null ? facts.crio().process().describe() : "CRI-O (configured)");
    }
    if (facts.kubelet() != null) {
      DaemonProcess p = facts.kubelet().process();
      found.add(p.describe());
    }
    return found.isEmpty() ? "none" : String.join(", ", found);
  }

  /** The contract's object: node, facts, findings; then every check's outcome and a summary. */
  public static ObjectNode jsonTree(NodeFacts facts, Evaluation evaluation) {
    ObjectNode root = JSON.createObjectNode();
    root.put("node", facts.node());
    root.set("facts", JSON.valueToTree(facts));
    ArrayNode findings = root.putArray("findings");
    for (Finding f : evaluation.findings()) {
      ObjectNode node = findings.addObject();
      node.put("check", f.check().id());
      node.put("severity", f.severity().label());
      node.put("message", f.message());
      node.put("cis", f.cis());
      ArrayNode evidence = node.putArray("evidence");
      f.evidence().forEach(evidence::add);
      node.put("remediation", f.remediation());
    }
    ArrayNode checks = root.putArray("checks");
    for (CheckResult result : evaluation.checks()) {
      checks.addObject().put("check", result.check().id()).put("outcome", result.outcome().label());
    }
    ObjectNode summary = root.putObject("summary");
    summary.put("failOn", evaluation.policy().failOn().label());
    summary.put("failed", evaluation.failed());
    for (Severity severity : Severity.values()) {
      summary.put(severity.label(), evaluation.count(severity));
    }
    summary.put("unknown", evaluation.unknownCount());
    return root;
  }

  public static void json(PrintWriter out, NodeFacts facts, Evaluation evaluation) {
    try {
      out.println(JSON.writeValueAsString(jsonTree(facts, evaluation)));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("facts are plain records", e);
    }
    out.flush();
  }

  /** One test case per check: failed with its findings and remediation, skipped when unknown or not applicable. */
  public static void junit(PrintWriter out, NodeFacts facts, Evaluation evaluation) {
    try {
      XMLStreamWriter xml = XML.createXMLStreamWriter(out);
      List<CheckResult> checks = evaluation.checks();
      long failures = checks.stream().filter(c -> c.outcome() == CheckOutcome.FAIL).count();
      long skipped = checks.stream().filter(c -> c.outcome() != CheckOutcome.FAIL && c.outcome() != CheckOutcome.PASS)
          .count();
      String suite = "daemonguard scan-node " + facts.node();
      xml.writeStartDocument("UTF-8", "1.0");
      xml.writeCharacters("\n");
      xml.writeStartElement("testsuites");
      xml.writeAttribute("name", JunitReport.clean(suite));
      xml.writeAttribute("tests", String.valueOf(checks.size()));
      xml.writeAttribute("failures", String.valueOf(failures));
      xml.writeCharacters("\n  ");
      xml.writeStartElement("testsuite");
      xml.writeAttribute("name", JunitReport.clean(suite));
      xml.writeAttribute("tests", String.valueOf(checks.size()));
      xml.writeAttribute("failures", String.valueOf(failures));
      xml.writeAttribute("errors", "0");
      xml.writeAttribute("skipped", String.valueOf(skipped));
      for (CheckResult result : checks) {
        List<Finding> mine = evaluation.findings().stream().filter(f -> f.check() == result.check()).toList();
        xml.writeCharacters("\n    ");
        xml.writeStartElement("testcase");
        xml.writeAttribute("classname", JunitReport.clean(facts.node()));
        xml.writeAttribute("name", result.check().id());
        CheckDefinition definition = CheckDefinition.of(result.check());
        switch (result.outcome()) {
          case FAIL -> {
            List<Finding> failing = mine.stream().filter(f -> !f.unknown() && f.severity() != Severity.INFO).toList();
            xml.writeCharacters("\n      ");
            xml.writeStartElement("failure");
            xml.writeAttribute("type", failing.get(0).severity().label());
            xml.writeAttribute("message", JunitReport.clean(String.join("; ",
                failing.stream().map(Finding::message).toList())));
            xml.writeCharacters(JunitReport.clean(body(failing) + "How to fix: " + definition.remediation()));
            xml.writeEndElement();
            xml.writeCharacters("\n    ");
          }
          case UNKNOWN -> skipped(xml, String.join("; ", mine.stream().filter(Finding::unknown)
              .map(Finding::message).toList()));
          case NOT_APPLICABLE -> skipped(xml, "not applicable: the daemon it judges is not on this node");
          case DISABLED -> skipped(xml, "disabled by the policy");
          default -> {
            if (!mine.isEmpty()) {
              xml.writeCharacters("\n      ");
              xml.writeStartElement("system-out");
              xml.writeCharacters(JunitReport.clean(body(mine)));
              xml.writeEndElement();
              xml.writeCharacters("\n    ");
            }
          }
        }
        xml.writeEndElement();
      }
      xml.writeCharacters("\n  ");
      xml.writeEndElement();
      xml.writeCharacters("\n");
      xml.writeEndElement();
      xml.writeEndDocument();
      xml.flush();
      out.println();
      out.flush();
    } catch (XMLStreamException e) {
      throw new IllegalStateException("writing XML to a PrintWriter cannot fail", e);
    }
  }

  private static void skipped(XMLStreamWriter xml, String message) throws XMLStreamException {
    xml.writeCharacters("\n      ");
    xml.writeEmptyElement("skipped");
    xml.writeAttribute("message", JunitReport.clean(message));
    xml.writeCharacters("\n    ");
  }

  private static String body(List<Finding> findings) {
    StringBuilder body = new StringBuilder();
    for (Finding f : findings) {
      body.append(f.severity().label()).append(": ").append(f.message()).append('\n');
      f.evidence().forEach(e -> body.append("  ").append(e).append('\n'));
    }
    return body.toString();
  }
}
