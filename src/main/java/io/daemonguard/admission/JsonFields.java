package io.daemonguard.admission;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Function;

/** Reading one field of a JSON object as its type, for every reader of objects; each says a wrong type its own way. */
public final class JsonFields {
  private JsonFields() {}

  /**
   * The string at {@code parent.field}, or null when it is absent or null. Anything else is thrown as
   * {@code notAString} makes it of {@code path}.
   */
  public static String text(
      JsonNode parent, String field, String path, Function<String, ? extends RuntimeException> notAString) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw notAString.apply(path);
    }
    return node.textValue();
  }
}
