package io.daemonguard.webhook;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.daemonguard.admission.FieldSelection;
import io.daemonguard.admission.WorkloadReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** AdmissionReview {@code admission.k8s.io/v1}: strict decoding of what the apiserver sends, and the response. */
public final class AdmissionReviewCodec {

  public static final String API_VERSION = "admission.k8s.io/v1";
  /** Kubernetes objects are shallow; anything this deep is an attack on the parser, not a workload. */
  public static final int MAX_NESTING_DEPTH = 100;
  /** The admission operations; anything else is not an AdmissionReview the apiserver sent. */
  static final List<String> OPERATIONS = List.of("CREATE", "UPDATE", "DELETE", "CONNECT");

  private static final JsonFactory FACTORY = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();
  /** Reads a refused body again, only to say what is wrong with it in databind's words (see {@link #readTree}). */
  private static final ObjectMapper MAPPER = new ObjectMapper(FACTORY)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /** Eight bytes of an array as one long, at any offset (the JIT makes it one unaligned load). */
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private AdmissionReviewCodec() {}

  public static ReviewRequest decode(byte[] body) {
    return decode(body, 0, body.length);
  }

  /** Decodes the {@code length} bytes of {@code body} from {@code offset} (a network buffer's, without a copy). */
  public static ReviewRequest decode(byte[] body, int offset, int length) {
    int invalid = firstInvalidUtf8(body, offset, length);
    if (invalid >= 0) {
      // Jackson alone would read overlong forms (C0 AF as '/'), encoded surrogates, and UTF-16 or UTF-32 bodies
      byte bad = body[offset + invalid];
      throw new BadRequestException(String.format(Locale.ROOT, "body is not valid UTF-8 JSON: %s at byte offset %d",
          bad == 0 ? "a NUL byte" : String.format(Locale.ROOT, "byte 0x%02X", bad & 0xFF), invalid));
    }
    JsonNode review;
    try {
      review = readTree(body, offset, length);
    } catch (JsonProcessingException e) {
      throw new BadRequestException("body is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new BadRequestException("body could not be read: " + e.getMessage());
    }
    if (review == null || !review.isObject()) {
      throw new BadRequestException("body is not a JSON object");
    }
    String kind = text(review, "kind", "kind");
    if (!"AdmissionReview".equals(kind)) {
      throw new BadRequestException("kind is " + quote(kind) + ", expected \"AdmissionReview\"");
    }
    String apiVersion = text(review, "apiVersion", "apiVersion");
    if (!API_VERSION.equals(apiVersion)) {
      throw new BadRequestException("apiVersion is " + quote(apiVersion) + ", expected \"" + API_VERSION + "\"");
    }
    JsonNode request = review.get("request");
    if (request == null || request.isNull()) {
      throw new BadRequestException("request is missing");
    }
    if (!request.isObject()) {
      throw new BadRequestException("request is not an object");
    }
    String uid = text(request, "uid", "request.uid");
    if (uid == null || uid.isEmpty()) {
      throw new BadRequestException("request.uid is missing");
    }
    JsonNode gvk = request.get("kind");
    if (gvk == null || !gvk.isObject()) {
      throw new BadRequestException("request.kind is missing or not an object");
    }
    String operation = text(request, "operation", "request.operation");
    if (operation == null) {
      throw new BadRequestException("request.operation is missing");
    }
    if (!OPERATIONS.contains(operation)) {
      throw new BadRequestException("request.operation is " + quote(operation) + ", expected one of " + OPERATIONS);
    }
    JsonNode object = request.get("object");
    if (object != null && object.isNull()) {
      object = null;
    }
    if (object != null && !object.isObject()) {
      throw new BadRequestException("request.object is not an object");
    }
    if (object == null && (operation.equals("CREATE") || operation.equals("UPDATE"))) {
      // the apiserver always sends the object of a CREATE or UPDATE; without it there is nothing to judge
      throw new BadRequestException("request.object is missing for " + operation);
    }
    JsonNode oldObject = request.get("oldObject");
    if (oldObject != null && oldObject.isNull()) {
      oldObject = null;
    }
    if (oldObject != null && !oldObject.isObject()) {
      throw new BadRequestException("request.oldObject is not an object");
    }
    JsonNode userInfo = request.get("userInfo");
    String username = null;
    List<String> groups = List.of();
    if (userInfo != null && !userInfo.isNull()) {
      if (!userInfo.isObject()) {
        throw new BadRequestException("request.userInfo is not an object");
      }
      username = text(userInfo, "username", "request.userInfo.username");
      groups = strings(userInfo, "groups", "request.userInfo.groups");
    }
    return new ReviewRequest(
        uid,
        text(gvk, "group", "request.kind.group"),
        text(gvk, "version", "request.kind.version"),
        requiredText(gvk, "kind", "request.kind.kind"),
        text(request, "subResource", "request.subResource"),
        operation,
        text(request, "namespace", "request.namespace"),
        text(request, "name", "request.name"),
        username,
        groups,
        object,
        oldObject);
  }

  /** The response: {@code allowed}, a 403 status with the message when denied, warnings, audit annotations. */
  public static byte[] encode(
      String uid, boolean allowed, String message, List<String> warnings, Map<String, String> auditAnnotations) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256 + (message == null ? 0 : message.length()));
    try (JsonGenerator json = FACTORY.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("apiVersion", API_VERSION);
      json.writeStringField("kind", "AdmissionReview");
      json.writeObjectFieldStart("response");
      json.writeStringField("uid", uid);
      json.writeBooleanField("allowed", allowed);
      if (!allowed) {
        json.writeObjectFieldStart("status");
        json.writeNumberField("code", 403);
        json.writeStringField("reason", "Forbidden");
        json.writeStringField("message", message);
        json.writeEndObject();
      }
      if (!warnings.isEmpty()) {
        json.writeArrayFieldStart("warnings");
        for (String warning : warnings) {
          json.writeString(warning);
        }
        json.writeEndArray();
      }
      if (!auditAnnotations.isEmpty()) {
        json.writeObjectFieldStart("auditAnnotations");
        for (Map.Entry<String, String> annotation : auditAnnotations.entrySet()) {
          json.writeStringField(annotation.getKey(), annotation.getValue());
        }
        json.writeEndObject();
      }
      json.writeEndObject();
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * The offset of the first byte that is not strict UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing beyond
   * U+10FFFF, no truncated sequence) or is a NUL (never part of JSON text); -1 when there is none.
   */
  static int firstInvalidUtf8(byte[] bytes) {
    return firstInvalidUtf8(bytes, 0, bytes.length);
  }

  /** As {@link #firstInvalidUtf8(byte[])} for {@code length} bytes from {@code offset}; the result counts from it. */
  static int firstInvalidUtf8(byte[] bytes, int offset, int length) {
    int i = offset;
    int end = offset + length;
    while (i < end) {
      // eight bytes at a time while they are all ASCII and none is NUL: most of any Kubernetes object
      if (i + 8 <= end) {
        long word = (long) LONGS.get(bytes, i);
        if (((word | (word - 0x0101010101010101L)) & 0x8080808080808080L) == 0) {
          i += 8;
          continue;
        }
      }
      int b = bytes[i];
      if (b > 0) {
        i++;
        continue;
      }
      if (b == 0) {
        return i - offset;
      }
      b &= 0xFF;
      int continuations;
      int low = 0x80;
      int high = 0xBF;
      if (b >= 0xC2 && b <= 0xDF) {
        continuations = 1;
      } else if (b >= 0xE0 && b <= 0xEF) {
        continuations = 2;
        low = b == 0xE0 ? 0xA0 : 0x80;
        high = b == 0xED ? 0x9F : 0xBF;
      } else if (b >= 0xF0 && b <= 0xF4) {
        continuations = 3;
        low = b == 0xF0 ? 0x90 : 0x80;
        high = b == 0xF4 ? 0x8F : 0xBF;
      } else {
        return i - offset;
      }
      if (i + continuations >= end) {
        return i - offset;
      }
      int second = bytes[i + 1] & 0xFF;
      if (second < low || second > high) {
        return i - offset;
      }
      for (int k = 2; k <= continuations; k++) {
        int next = bytes[i + k] & 0xFF;
        if (next < 0x80 || next > 0xBF) {
          return i - offset;
        }
      }
      i += continuations + 1;
    }
    return -1;
  }

  private static String text(JsonNode parent, String field, String path) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw new BadRequestException(path + " is not a string");
    }
    return node.textValue();
  }

  private static List<String> strings(JsonNode parent, String field, String path) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw new BadRequestException(path + " is not an array");
    }
    String[] values = new String[node.size()];
    for (int i = 0; i < values.length; i++) {
      if (!node.get(i).isTextual()) {
        throw new BadRequestException(path + "[" + i + "] is not a string");
      }
      values[i] = node.get(i).textValue();
    }
    return List.of(values);
  }

  private static String requiredText(JsonNode parent, String field, String path) {
    String value = text(parent, field, path);
    if (value == null || value.isEmpty()) {
      throw new BadRequestException(path + " is missing");
    }
    return value;
  }

  private static String quote(String value) {
    if (value == null) {
      return "missing";
    }
    // a 400 echoes what it refuses, but not a multi-megabyte string
    return "\"" + (value.length() > 64 ? value.substring(0, 64) + "...\" (" + value.length() + " characters)" : value + "\"");
  }

  /**
   * What the webhook reads of a review: the fields {@link #decode} checks and returns, and of the object what
   * {@link WorkloadReader} reads, and the labels of {@code request.oldObject}. Everything else ({@code options},
   * and most of the object: env, probes, resources, annotations, {@code managedFields}, {@code status}) is checked as
   * strictly but never built.
   */
  private static final FieldSelection READ = FieldSelection.of(
      "kind", FieldSelection.ALL,
      "apiVersion", FieldSelection.ALL,
      "request", FieldSelection.of(
          "uid", FieldSelection.ALL, "kind", FieldSelection.ALL, "operation", FieldSelection.ALL,
          "subResource", FieldSelection.ALL, "namespace", FieldSelection.ALL, "name", FieldSelection.ALL,
          "userInfo", FieldSelection.of("username", FieldSelection.ALL, "groups", FieldSelection.ALL),
          "object", WorkloadReader.FIELDS,
          // a Namespace UPDATE's labels before, for ExemptionLabelGuard
          "oldObject", FieldSelection.of("metadata", FieldSelection.of("labels", FieldSelection.ALL))));

  /**
   * The body as a tree of what {@link #READ} selects, read as strictly as {@code ObjectMapper.readTree} with strict
   * duplicate detection and no trailing tokens, with a fraction of the work: databind's node deserializer and its
   * duplicate detector (a HashSet per object) were most of a request's cost, and building the parts nothing reads
   * most of the rest. Every byte is still checked: syntax, UTF-8, nesting depth, duplicate names in every object,
   * nothing after the value. A refused body is read again by databind, so that the 400 says what is wrong in the same
   * words as before (a duplicate name followed by a syntax error is reported as the duplicate, for one).
   */
  static JsonNode readTree(byte[] body, int offset, int length) throws IOException {
    try (JsonParser parser = TreeReader.PARSERS.createParser(body, offset, length)) {
      return new TreeReader(parser).read();
    } catch (JsonProcessingException refused) {
      MAPPER.readTree(body, offset, length);
      throw refused; // refused all the same, should databind ever disagree
    }
  }

  private static final class TreeReader {
    /** Duplicate names are refused below, where the names are looked up or stored anyway, not by the parser. */
    static final JsonFactory PARSERS = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
        .build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** An object with more names than this checks them with a set. */
    private static final int LINEAR_NAMES = 16;

    private final JsonParser parser;
    /** The names seen in the objects now open, innermost last. */
    private String[] names = new String[32];
    private int top;

    TreeReader(JsonParser parser) {
      this.parser = parser;
    }

    JsonNode read() throws IOException {
      JsonToken token = parser.nextToken();
      if (token == null) {
        return null;
      }
      JsonNode root = value(token, READ);
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
