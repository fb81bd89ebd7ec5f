package io.daemonguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LoggingTest {

  @Test
  void jsonFormatWritesOneObjectPerLineWithTheKeyValues() throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      Logging.configure("json");
      LoggerFactory.getLogger("io.daemonguard.test").atInfo().setMessage("admission deny")
          .addKeyValue("uid", "abc-123").addKeyValue("rules", "privileged-container").log();
      LoggerFactory.getLogger("io.netty.test").info("chatty framework line");
    } finally {
      System.setOut(original);
      // back to the default the other tests run with: warnings only, on stderr
      new Logging().configure((ch.qos.logback.classic.LoggerContext) LoggerFactory.getILoggerFactory());
    }
    String[] lines = captured.toString(StandardCharsets.UTF_8).strip().split("\n");
    assertThat(lines).hasSize(1);
    JsonNode line = new ObjectMapper().readTree(lines[0]);
    assertThat(line.path("level").asText()).isEqualTo("INFO");
    assertThat(line.path("formattedMessage").asText()).isEqualTo("admission deny");
    assertThat(line.path("kvpList").toString()).contains("\"uid\":\"abc-123\"").contains("privileged-container");
  }

  @Test
  void anUnknownFormatIsRefusedByName() {
    assertThatThrownBy(() -> Logging.configure("xml"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--log-format").hasMessageContaining("xml");
  }
}
