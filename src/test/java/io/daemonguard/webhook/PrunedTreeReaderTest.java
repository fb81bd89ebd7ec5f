package io.daemonguard.webhook;

import static io.daemonguard.admission.FieldSelection.ALL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.daemonguard.admission.FieldSelection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The pruning reader on its own, with a selection of its own: it builds what is selected as databind would, nothing
 * else, and refuses what databind refuses, in databind's words, wherever in the body it is.
 */
class PrunedTreeReaderTest {

  private static final int DEPTH = 8;
  private static final FieldSelection SELECTION = FieldSelection.of(
      "keep", ALL,
      "some", FieldSelection.of("a", ALL),
      "list", FieldSelection.of("x", ALL));
  private static final PrunedTreeReader PRUNING = new PrunedTreeReader(SELECTION, DEPTH);
  private static final PrunedTreeReader WHOLE = new PrunedTreeReader(ALL, DEPTH);
  /** What the reader stands in for: databind, as strict. */
  private static final ObjectMapper DATABIND = JsonMapper.builder(com.fasterxml.jackson.core.JsonFactory.builder()
          .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(DEPTH).build())
          .build())
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  private static JsonNode read(PrunedTreeReader reader, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    return reader.read(bytes, 0, bytes.length);
  }

  @Test
  void buildsOnlyWhatItSelects() throws IOException {
    JsonNode tree = read(PRUNING, """
        {"keep":{"deep":[1,{"x":null}]},"drop":{"big":[1,2,3],"more":{"a":1}},
         "some":{"a":"yes","b":"no"},"list":[{"x":1,"y":2},{"y":3},"scalar"],"a":true}""");

    assertThat(tree.toString()).isEqualTo("""
        {"keep":{"deep":[1,{"x":null}]},"some":{"a":"yes"},"list":[{"x":1},{},"scalar"]}""");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{}", "[]", "null", "true", "false", "0", "-1", "2147483647", "2147483648", "-9223372036854775808",
      "9223372036854775808", "123456789012345678901234567890", "1.5", "-0.0", "1e10", "1E-7", "1e400",
      "\"\"", "\"a\\u00e9\\n\\\"\\\\\\/\\ud83d\\ude00\"", "\"é€😀\"",
      "{\"a\":[1,[2,[3,{}]],{\"b\":{\"c\":null}}],\"d\":\"e\",\"f\":-2.5e-3}",
      "[{\"a\":1},{\"a\":1},[{\"a\":1}]]",
      " \t\r\n{ \"a\" : [ 1 , 2 ] } \n"})
  void readsWhatItSelectsAsDatabindDoes(String json) throws IOException {
    JsonNode expected = DATABIND.readTree(json.getBytes(StandardCharsets.UTF_8));
    JsonNode actual = read(WHOLE, json);

    assertThat(actual).isEqualTo(expected);
    // JsonNode.equals compares the node types, but say it: an IntNode is not a LongNode
    assertThat(actual.getNodeType()).isEqualTo(expected.getNodeType());
    assertThat(actual.numberType()).isEqualTo(expected.numberType());
  }

  @Test
  void readsNothingAsNull() throws IOException {
    assertThat(read(PRUNING, "")).isNull();
    assertThat(read(PRUNING, " \n\t ")).isNull();
  }

  @Test
  void readsOnlyTheBytesItIsGiven() throws IOException {
    byte[] bytes = "xx{\"keep\":1,\"drop\":2}{yy".getBytes(StandardCharsets.UTF_8);

    assertThat(PRUNING.read(bytes, 2, bytes.length - 5).toString()).isEqualTo("{\"keep\":1}");
  }

  @Test
  void tellsApartTheNamesOfNestedAndSiblingObjects() throws IOException {
    String many = IntStream.range(0, 40).mapToObj(i -> "\"n" + i + "\":{\"n" + i + "\":{\"n0\":" + i + "}}")
        .collect(Collectors.joining(","));
    String json = "{\"drop\":{" + many + "},\"keep\":{" + many + ",\"x\":[{\"a\":1},{\"a\":1}]}}";

    assertThat(read(PRUNING, json)).isEqualTo(((ObjectNode) DATABIND.readTree(json)).without("drop"));
  }

  /** Bodies databind refuses, with the refusal where the reader builds and where it only skips. */
  @ParameterizedTest
  @ValueSource(strings = {
      "{\"keep\":1,\"keep\":2}",
      "{\"keep\":{\"a\":1,\"a\":2}}",
      "{\"drop\":{\"a\":1,\"a\":2}}",
      "{\"drop\":[{\"a\":1},{\"b\":1,\"b\":1}]}",
      "{\"list\":[{\"x\":1,\"y\":1,\"x\":2}]}",
      "{\"drop\":1,\"some\":{},\"drop\":2}",
      "{\"drop\":{\"a\":1,\"a\":2,}}",
      "{\"drop\":Pending}",
      "{\"keep\":Pending}",
      "{\"drop\":\"unterminated}",
      "{\"drop\":[1,2}",
      "{\"drop\":{\"a\" 1}}",
      "{\"drop\":01}",
      "{\"drop\":\"\\x\"}",
      "{\"drop\":\"a\u0001\"}",
      "{\"keep\":",
      "{\"drop\":",
      "{\"drop\":[",
      "{",
      "[1,2",
      "}",
      "]",
      ",",
      "{} {}",
      "{}x",
      "{} 1",
      "1 2",
      "{\"drop\":[[[[[[[[1]]]]]]]]}",
      "{\"keep\":[[[[[[[[1]]]]]]]]}",
      "{\"drop\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":1}}}}}}}}}"})
  void refusesWhatDatabindRefusesInItsWords(String json) {
    // from bytes, as the reader reads: databind's parser of characters words some refusals differently
    JsonProcessingException expected = catchThrowableOfType(
        () -> DATABIND.readTree(json.getBytes(StandardCharsets.UTF_8)),
        JsonProcessingException.class);
    assertThat(expected).as("databind refuses it").isNotNull();

    assertThatThrownBy(() -> read(PRUNING, json))
        .isInstanceOfSatisfying(JsonProcessingException.class,
            refused -> assertThat(refused.getOriginalMessage()).isEqualTo(expected.getOriginalMessage()));
  }

  @Test
  void refusesADuplicateAmongManyNamesWhereverItIs() {
    String names = IntStream.range(0, 40).mapToObj(i -> "\"n" + i + "\":" + i).collect(Collectors.joining(","));
    for (int duplicate : new int[] {0, 15, 16, 17, 39}) {
      for (String where : new String[] {"keep", "drop"}) {
        String json = "{\"" + where + "\":{" + names + ",\"n" + duplicate + "\":1}}";
        assertThatThrownBy(() -> read(PRUNING, json)).as("n%d in %s", duplicate, where)
            .isInstanceOf(JsonProcessingException.class)
            .hasMessageContaining("Duplicate field 'n" + duplicate + "'");
      }
    }
  }

  @Test
  void refusesNestingDeeperThanItsLimitAndNoShallower() throws IOException {
    String deepest = "[".repeat(DEPTH) + "]".repeat(DEPTH);
    assertThat(read(WHOLE, deepest).toString()).isEqualTo(deepest);
    String skipped = "{\"drop\":" + "[".repeat(DEPTH - 1) + "]".repeat(DEPTH - 1) + "}";
    assertThat(read(PRUNING, skipped).toString()).isEqualTo("{}");

    assertThatThrownBy(() -> read(WHOLE, "[" + deepest + "]")).hasMessageContaining("nesting depth");
    assertThatThrownBy(() -> read(PRUNING, "{\"drop\":" + deepest + "}")).hasMessageContaining("nesting depth");
  }
}
