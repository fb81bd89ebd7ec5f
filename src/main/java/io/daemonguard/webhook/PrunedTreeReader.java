package io.daemonguard.webhook;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.daemonguard.admission.FieldSelection;
import io.daemonguard.manifest.StrictJson;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashSet;

/**
 * Reads JSON into a tree of only what a {@link FieldSelection} selects, as strictly as {@code ObjectMapper.readTree}
 * with strict duplicate detection and no trailing tokens, with a fraction of the work: databind's node deserializer
 * and its duplicate detector (a HashSet per object) were most of a request's cost, and building the parts nothing
 * reads most of the rest. Every byte is still checked: syntax, UTF-8, nesting depth, duplicate names in every object,
 * nothing after the value. A refused body is read again by databind, so that the error says what is wrong in the same
 * words as databind's (a duplicate name followed by a syntax error is reported as the duplicate, for one).
 *
 * <p>Thread-safe: each {@link #read} has its own parser and state.
 */
final class PrunedTreeReader {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  /** An object with more names than this checks them with a set. */
  private static final int LINEAR_NAMES = 16;

  private final FieldSelection selection;
  /** Duplicate names are refused below, where the names are looked up or stored anyway, not by the parser. */
  private final JsonFactory parsers;
  /** Reads a refused body again, only to say what is wrong with it in databind's words. */
  private final ObjectMapper refusals;

  /** A reader that builds what {@code selection} selects and refuses anything nested deeper than the limit. */
  PrunedTreeReader(FieldSelection selection, int maxNestingDepth) {
    this.selection = selection;
    this.parsers = StrictJson.factoryCheckingDepthOnly(maxNestingDepth);
    this.refusals = new ObjectMapper(StrictJson.factory(maxNestingDepth))
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }

  /**
   * The selected tree of the {@code length} bytes of {@code body} from {@code offset}; null when they hold no value.
   * Throws databind's {@link JsonProcessingException} for whatever it would refuse.
   */
  JsonNode read(byte[] body, int offset, int length) throws IOException {
    try (JsonParser parser = parsers.createParser(body, offset, length)) {
      return new Reading(parser).read();
    } catch (JsonProcessingException refused) {
      refusals.readTree(body, offset, length);
      throw refused; // refused all the same, should databind ever disagree
    }
  }

  /** One read: the parser and the names of the objects now open. */
  private final class Reading {
    private final JsonParser parser;
    /** The names seen in the objects now open, innermost last. */
    private String[] names = new String[32];
    private int top;

    Reading(JsonParser parser) {
      this.parser = parser;
    }

    JsonNode read() throws IOException {
      JsonToken token = parser.nextToken();
      if (token == null) {
        return null;
      }
      JsonNode root = value(token, selection);
      JsonToken trailing = parser.nextToken();
      if (trailing != null) {
        // databind's words, for the same 400 message
        throw new JsonParseException(parser, "Trailing token (of type " + trailing + ") found after value (bound as"
            + " `com.fasterxml.jackson.databind.JsonNode`): not allowed as per"
            + " `DeserializationFeature.FAIL_ON_TRAILING_TOKENS`");
      }
      return root;
    }

    /** Builds what {@code selection} selects of the value starting at {@code token}; skips the rest. */
    private JsonNode value(JsonToken token, FieldSelection selection) throws IOException {
      if (token == null) {
        throw new JsonParseException(parser, "Unexpected end-of-input");
      }
      switch (token) {
        case START_OBJECT: {
          ObjectNode object = NODES.objectNode();
          int start = top;
          HashSet<String> many = null;
          for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
            many = remember(start, many, name);
            FieldSelection field = selection.field(name);
            if (field == null) {
              skip(parser.nextToken());
            } else {
              object.set(name, value(parser.nextToken(), field));
            }
          }
          forget(start);
          return object;
        }
        case START_ARRAY: {
          ArrayNode array = NODES.arrayNode();
          for (JsonToken next = parser.nextToken(); next != JsonToken.END_ARRAY; next = parser.nextToken()) {
            array.add(value(next, selection));
          }
          return array;
        }
        case VALUE_STRING:
          return NODES.textNode(parser.getText());
        case VALUE_NUMBER_INT:
          // the node types databind's node deserializer makes
          return switch (parser.getNumberType()) {
            case INT -> NODES.numberNode(parser.getIntValue());
            case LONG -> NODES.numberNode(parser.getLongValue());
            default -> NODES.numberNode(parser.getBigIntegerValue());
          };
        case VALUE_NUMBER_FLOAT:
          return switch (parser.getNumberType()) {
            case BIG_DECIMAL -> NODES.numberNode(parser.getDecimalValue());
            case FLOAT -> NODES.numberNode(parser.getFloatValue());
            default -> NODES.numberNode(parser.getDoubleValue());
          };
        case VALUE_TRUE:
          return NODES.booleanNode(true);
        case VALUE_FALSE:
          return NODES.booleanNode(false);
        case VALUE_NULL:
          return NODES.nullNode();
        default:
          throw new JsonParseException(parser, "Unexpected token (" + token + ")");
      }
    }

    /** Reads past a value as strictly as {@link #value}, building nothing (strings are not even decoded). */
    private void skip(JsonToken token) throws IOException {
      if (token == null) {
        throw new JsonParseException(parser, "Unexpected end-of-input");
      }
      if (token == JsonToken.START_OBJECT) {
        int start = top;
        HashSet<String> many = null;
        for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
          many = remember(start, many, name);
          skip(parser.nextToken());
        }
        forget(start);
      } else if (token == JsonToken.START_ARRAY) {
        for (JsonToken next = parser.nextToken(); next != JsonToken.END_ARRAY; next = parser.nextToken()) {
          skip(next);
        }
      }
      // a scalar: the parser has checked it, and checks a string's bytes and escapes as it moves past them
    }

    /**
     * Refuses {@code name} if the object whose names start at {@code start} has it already, and remembers it. Few
     * names are compared one by one; past {@link #LINEAR_NAMES} they go in a set, returned for the object's next
     * names, so that none costs n squared.
     */
    private HashSet<String> remember(int start, HashSet<String> many, String name) throws JsonParseException {
      if (many != null) {
        if (!many.add(name)) {
          throw duplicate(name);
        }
        return many;
      }
      for (int i = start; i < top; i++) {
        if (names[i].equals(name)) {
          throw duplicate(name);
        }
      }
      if (top - start < LINEAR_NAMES) {
        if (top == names.length) {
          names = Arrays.copyOf(names, top * 2);
        }
        names[top++] = name;
        return null;
      }
      HashSet<String> set = new HashSet<>(Arrays.asList(names).subList(start, top));
      set.add(name);
      return set;
    }

    /** Drops the names of an object just closed. */
    private void forget(int start) {
      Arrays.fill(names, start, top, null);
      top = start;
    }

    /** Jackson's words for a duplicate, for the same 400 message. */
    private JsonParseException duplicate(String name) {
      return new JsonParseException(parser, "Duplicate field '" + name + "'");
    }
  }
}
