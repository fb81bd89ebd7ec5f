package io.daemonguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LoggingTest {

  @Test
  void jsonFormatWritesOneFlatObjectPerLine() throws Exception {
    String[] lines = jsonLines(() -> {
      LoggerFactory.getLogger("io.daemonguard.test").atInfo().setMessage("admission deny")
          .addKeyValue("uid", "abc-123").addKeyValue("rules", "privileged-container").addKeyValue("count", 2).log();
      LoggerFactory.getLogger("io.netty.test").info("chatty framework line");
    });

    assertThat(lines).hasSize(1);
    JsonNode line = new ObjectMapper().readTree(lines[0]);
    assertThat(Instant.parse(line.path("time").asText())).isCloseTo(Instant.now(), within(1, ChronoUnit.MINUTES));
    assertThat(line.path("level").asText()).isEqualTo("INFO");
    assertThat(line.path("logger").asText()).isEqualTo("io.daemonguard.test");
    assertThat(line.path("msg").asText()).isEqualTo("admission deny");
    assertThat(line.path("uid").asText()).isEqualTo("abc-123");
    assertThat(line.path("rules").asText()).isEqualTo("privileged-container");
    assertThat(line.path("count").isInt()).isTrue();
    assertThat(line.has("error")).isFalse();
  }

  @Test
  void aKeyNamedLikeAFixedFieldCannotOverwriteIt() throws Exception {
    String[] lines = jsonLines(() -> LoggerFactory.getLogger("io.daemonguard.test").atWarn().setMessage("real")
        .addKeyValue("msg", "forged").addKeyValue("level", "DEBUG").log());

    JsonNode line = new ObjectMapper().readTree(lines[0]);
    assertThat(line.path("msg").asText()).isEqualTo("real");
    assertThat(line.path("level").asText()).isEqualTo("WARN");
    assertThat(line.path("kv.msg").asText()).isEqualTo("forged");
    assertThat(line.path("kv.level").asText()).isEqualTo("DEBUG");
  }

  @Test
  void anErrorCarriesItsClassMessageAndStack() throws Exception {
    String[] lines = jsonLines(() -> LoggerFactory.getLogger("io.daemonguard.test").atError()
        .setMessage("could not judge").setCause(new IllegalStateException("boom\nsecond line")).log());

    assertThat(lines).as("a multi-line stack stays on one line").hasSize(1);
    JsonNode line = new ObjectMapper().readTree(lines[0]);
    assertThat(line.path("error").asText()).isEqualTo("java.lang.IllegalStateException: boom\nsecond line");
    assertThat(line.path("stack").asText()).contains("at io.daemonguard.LoggingTest");
  }

  /** Switches to JSON on a captured stdout, runs {@code logging}, switches back; the lines written. */
  private static String[] jsonLines(Runnable logging) {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      Logging.configure("json");
      logging.run();
    } finally {
      System.setOut(original);
      // back to the default the other tests run with: warnings only, on stderr
      new Logging().configure((ch.qos.logback.classic.LoggerContext) LoggerFactory.getILoggerFactory());
    }
    return captured.toString(StandardCharsets.UTF_8).strip().split("\n");
  }

  @Test
  void anUnknownFormatIsRefusedByName() {
    assertThatThrownBy(() -> Logging.configure("xml"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--log-format").hasMessageContaining("xml");
  }
}
