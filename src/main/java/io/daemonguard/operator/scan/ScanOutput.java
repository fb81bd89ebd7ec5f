package io.daemonguard.operator.scan;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.daemonguard.posture.NodeFacts;
import java.io.IOException;

/** The facts out of a scan pod's log: {@code daemonguard scan-node -o json}, with whatever else the log holds. */
public final class ScanOutput {
  /** How much of the log an error message quotes: it becomes a ScanFailed Event's message. */
  static final int QUOTED = 200;

  private ScanOutput() {}

  /**
   * The facts of the JSON object that starts on the log's first line beginning with <code>{</code>. The kubelet's log
   * API mixes the container's standard error in (JVM warnings before the report); what follows the object is ignored;
   * properties this version does not know are ignored (a newer scanner image).
   *
   * @throws IllegalArgumentException when there is no such line, the JSON is malformed, or it has no facts; the
   *     message says which and quotes the log's first 200 characters
   */
  public static NodeFacts parse(String podLog) {
    String log = podLog == null ? "" : podLog;
    int start = jsonStart(log);
    if (start < 0) {
      throw failure("no JSON object (a line starting with '{') in the scan's output", log);
    }
    JsonNode report;
    try (JsonParser parser = NodePostures.JSON.createParser(log.substring(start))) {
      report = NodePostures.JSON.readTree(parser);
    } catch (JsonProcessingException e) {
      throw failure("malformed JSON in the scan's output (" + e.getOriginalMessage() + ")", log);
    } catch (IOException e) {
      throw new IllegalStateException("reading a string cannot fail", e);
    }
    JsonNode facts = report == null ? null : report.get("facts");
    if (facts == null || !facts.isObject()) {
      throw failure("the scan's JSON has no \"facts\" object", log);
    }
    try {
      return NodePostures.facts(facts);
    } catch (IllegalArgumentException e) {
      throw failure("unreadable facts in the scan's output (" + e.getMessage() + ")", log);
    }
  }

  private static int jsonStart(String log) {
    int line = 0;
    while (line < log.length()) {
      if (log.charAt(line) == '{') {
        return line;
      }
      int next = log.indexOf('\n', line);
      if (next < 0) {
        return -1;
      }
      line = next + 1;
    }
    return -1;
  }

  private static IllegalArgumentException failure(String what, String log) {
    String quoted = log.length() <= QUOTED ? log : log.substring(0, QUOTED) + "...";
    return new IllegalArgumentException(what + "; the log " + (log.isEmpty() ? "is empty"
        : "begins: \"" + quoted.replace("\r", "\\r").replace("\n", "\\n") + "\""));
  }
}
