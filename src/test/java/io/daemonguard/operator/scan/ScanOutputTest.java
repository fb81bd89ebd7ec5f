package io.daemonguard.operator.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.daemonguard.posture.NodeFacts;
import io.daemonguard.posture.evaluate.PostureEvaluator;
import io.daemonguard.posture.evaluate.PosturePolicy;
import io.daemonguard.report.PostureReport;
import org.junit.jupiter.api.Test;

class ScanOutputTest {
  private static final NodeFacts FACTS = ScanFixtures.openDockerContainerdAndKubelet();
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What {@code scan-node -o json} prints, pretty, as the scanner writes it. */
  private static String report() throws Exception {
    ObjectNode tree = PostureReport.jsonTree(FACTS, PostureEvaluator.evaluate(FACTS, PosturePolicy.defaults()));
    return JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(tree) + "\n";
  }

  @Test
  void theReportAloneGivesBackTheFacts() throws Exception {
    assertThat(report()).contains("\n  \"facts\" : {");

    assertThat(ScanOutput.parse(report())).isEqualTo(FACTS);
  }

  @Test
  void standardErrorBeforeTheReportAndTextAfterItAreIgnored() throws Exception {
    String log = "OpenJDK 64-Bit Server VM warning: Options -Xverify:none are deprecated {not json}\n"
        + "WARNING: sun.misc.Unsafe::objectFieldOffset\r\n" + report() + "{\"trailing\": true}\nexit 1\n";

    assertThat(ScanOutput.parse(log)).isEqualTo(FACTS);
  }

  @Test
  void compactJsonWithPropertiesOfANewerScannerIsRead() {
    String log = "{\"node\":\"n\",\"scannerVersion\":\"9.9\",\"facts\":{\"node\":\"n\",\"hostRoot\":\"/host\","
        + "\"crio\":{\"sockets\":[],\"cgroupManager\":\"systemd\"},\"ebpf\":{}},\"findings\":[]}";

    NodeFacts facts = ScanOutput.parse(log);

    assertThat(facts.node()).isEqualTo("n");
    assertThat(facts.crio()).isNotNull();
    assertThat(NodePostures.runtime(facts)).isEqualTo("cri-o");
  }

  @Test
  void aLogWithoutJsonSaysSoAndQuotesItsBeginning() {
    String log = "Error: failed to create containerd task: exec: \"daemonguard\": executable file not found"
        + " in $PATH\n" + "x".repeat(500);

    assertThatThrownBy(() -> ScanOutput.parse(log)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("no JSON object (a line starting with '{') in the scan's output; the log begins:"
            + " \"Error: failed to create containerd task")
        .hasMessageContaining("\\nxxx").hasMessageEndingWith("x...\"")
        .hasMessageNotContaining("x".repeat(200));
    assertThatThrownBy(() -> ScanOutput.parse("")).hasMessageEndingWith("the log is empty");
    assertThatThrownBy(() -> ScanOutput.parse(null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void malformedJsonIsNamed() {
    assertThatThrownBy(() -> ScanOutput.parse("WARNING\n{\"node\": \"n\", \"facts\": {\"node\": \n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("malformed JSON in the scan's output (")
        .hasMessageContaining("the log begins: \"WARNING\\n{\"node\": \"n\"");
  }

  @Test
  void jsonWithoutFactsIsNamed() {
    assertThatThrownBy(() -> ScanOutput.parse("{\"node\": \"n\", \"findings\": []}\n"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("the scan's JSON has no \"facts\" object");
    assertThatThrownBy(() -> ScanOutput.parse("{\"facts\": \"none\"}"))
        .hasMessageStartingWith("the scan's JSON has no \"facts\" object");
    assertThatThrownBy(() -> ScanOutput.parse("{\"facts\": {\"listeners\": 7}}"))
        .hasMessageStartingWith("unreadable facts in the scan's output (facts: ");
  }
}
