package io.daemonguard.manifest;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads manifests as people write them and kubectl reads them: YAML (merge keys and anchors resolved) or JSON,
 * several documents in one file, {@code kind: List} with {@code items}. Every error names the source and the
 * document; the documents that could be read are kept beside the errors.
 */
public final class ManifestReader {

  private static final int MAX_DEPTH = StrictJson.MAX_NESTING_DEPTH;
  private static final ObjectMapper JSON = new ObjectMapper(StrictJson.factory(MAX_DEPTH));

  private ManifestReader() {}

  /**
   * One object of a manifest: where it came from ({@code document} counts from 1, {@code item} is its List index), and
   * where its fields stand in the source.
   */
  public record Manifest(String source, int document, Integer item, JsonNode object, SourcePositions positions) {
    public String where() {
      return source + ": document " + document + (item == null ? "" : ": items[" + item + "]");
    }
  }

  /** What a source held: the objects read and the errors met, each error naming the source and document. */
  public record Parsed(List<Manifest> manifests, List<String> errors) {}

  /** Thrown with a message that names the source and, where known, the document. */
  public static final class ManifestException extends Exception {
    public ManifestException(String message) {
      super(message);
    }
  }

  /** Reads everything or fails on the first error (policy files: nothing may be half-read). */
  public static List<Manifest> readStrict(String source, byte[] content) throws ManifestException {
    Parsed parsed = read(source, content);
    if (!parsed.errors().isEmpty()) {
      throw new ManifestException(parsed.errors().get(0));
    }
    return parsed.manifests();
  }

  public static Parsed read(String source, byte[] content) {
    List<Manifest> manifests = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    String text;
    try {
      // strictly, for JSON too: Jackson reading bytes takes overlong forms and encoded surrogates, guesses UTF-16
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(content)).toString();
    } catch (CharacterCodingException e) {
      errors.add(source + ": not valid UTF-8");
      return new Parsed(manifests, errors);
    }
    if (looksLikeJson(content)) {
      readJson(source, text, manifests, errors);
    } else {
      readYaml(source, text, manifests, errors);
    }
    return new Parsed(manifests, errors);
  }

  private static void readJson(String source, String text, List<Manifest> manifests, List<String> errors) {
    int document = 0;
    try (JsonParser parser = JSON.createParser(text);
        MappingIterator<JsonNode> documents = JSON.readValues(parser, JsonNode.class)) {
      while (true) {
        document++;
        try {
          if (!documents.hasNextValue()) {
            return;
          }
          JsonLocation start = parser.currentTokenLocation();
          JsonNode node = documents.nextValue();
          int from = (int) start.getCharOffset();
          int to = (int) parser.currentLocation().getCharOffset();
          SourcePositions positions = SourcePositions.lazy(
              () -> from < 0 || to < from ? null : composeQuietly(text.substring(from, to)),
              new SourcePositions.Position(start.getLineNr(), start.getColumnNr()));
          add(source, document, node, positions, manifests, errors);
        } catch (IOException | RuntimeException e) {
          // a JSON syntax error leaves no place to resume from
          errors.add(source + ": document " + document + ": " + describe(e));
          return;
        }
      }
    } catch (IOException e) {
      errors.add(source + ": " + describe(e));
    }
  }

  private static LoaderOptions loaderOptions() {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setNestingDepthLimit(MAX_DEPTH);
    options.setCodePointLimit(64 * 1024 * 1024);
    options.setMaxAliasesForCollections(100);
    return options;
  }

  /**
   * SafeConstructor handed each document's node by us rather than by {@link Yaml#loadAll}, so that the node, marks and
   * all, stays for {@link SourcePositions}. Constructing flattens merge keys into the node, so a field that came
   * through {@code <<} is found where its anchor wrote it.
   */
  private static final class NodeConstructor extends SafeConstructor {
    NodeConstructor(LoaderOptions options) {
      super(options);
    }

    Object construct(Node node) {
      return constructDocument(node);
    }
  }

  private static void readYaml(String source, String text, List<Manifest> manifests, List<String> errors) {
    LoaderOptions options = loaderOptions();
    NodeConstructor constructor = new NodeConstructor(options);
    Yaml yaml = new Yaml(constructor);
    int document = 0;
    Iterator<Node> documents = yaml.composeAll(new StringReader(text)).iterator();
    while (true) {
      document++;
      Node composed;
      Object value;
      try {
        if (!documents.hasNext()) {
          return;
        }
        composed = documents.next();
        value = constructor.construct(composed);
      } catch (RuntimeException e) {
        // a YAML syntax error leaves no place to resume from
        errors.add(source + ": document " + document + ": " + describe(e));
        return;
      }
      JsonNode node;
      try {
        checkExpansion(value, 0, new IdentityHashMap<>(), text.length() / 2L + MAX_ALIAS_EXPANSION);
        node = JSON.valueToTree(value);
      } catch (IllegalArgumentException e) {
        errors.add(source + ": document " + document + ": " + describe(e));
        continue;
      }
      add(source, document, node, SourcePositions.of(composed), manifests, errors);
    }
  }

  /**
   * The node tree of one JSON document, composed by SnakeYAML (YAML reads JSON) only for its marks: Jackson has already
   * read the document strictly. Null when SnakeYAML disagrees; positions then fall back to the document's start.
   */
  private static Node composeQuietly(String json) {
    try {
      return new Yaml(new SafeConstructor(loaderOptions())).compose(new StringReader(asYaml(json)));
    } catch (RuntimeException e) {
      return null;
    }
  }

  /**
   * The two spellings of valid JSON that YAML refuses, respelled character for character so that every mark stays put:
   * a tab between tokens (tab-indented JSON is common; a tab inside a JSON string must be escaped, so every raw tab is
   * white space) becomes a space, and the escape {@code \/} (PHP writes it) becomes {@code \_}. Only marks are read
   * from the result, never values.
   */
  private static String asYaml(String json) {
    char[] chars = json.toCharArray();
    for (int i = 0; i < chars.length; i++) {
      if (chars[i] == '\t') {
        chars[i] = ' ';
      } else if (chars[i] == '\\' && i + 1 < chars.length) {
        // in valid JSON every backslash opens an escape: the character after it is its argument, skipped here
        if (chars[++i] == '/') {
          chars[i] = '_';
        }
      }
    }
    return new String(chars);
  }

  /** What aliases may add to a document, in values; an alias-free document never comes near its own limit. */
  static final long MAX_ALIAS_EXPANSION = 1_000_000;

  /**
   * Aliases share nodes, and building the tree copies each share: a few hundred bytes of nested aliases (a billion
   * laughs) would expand to billions of values, and an alias inside its own anchor to an endless tree. Both are refused
   * before the tree is built, visiting each shared node once. Returns the node's height and expanded size (capped just
   * above {@code limit}).
   */
  private static long[] checkExpansion(Object value, int depth, Map<Object, long[]> seen, long limit) {
    if (depth > MAX_DEPTH) {
      throw new IllegalArgumentException("nesting depth exceeds " + MAX_DEPTH + " once aliases are expanded"
          + " (is an alias inside its own anchor?)");
    }
    Collection<?> children;
    if (value instanceof Map<?, ?> map) {
      List<Object> both = new ArrayList<>(map.keySet());
      both.addAll(map.values());
      children = both;
    } else if (value instanceof Collection<?> collection) {
      children = collection;
    } else if (value instanceof Object[] array) {
      children = Arrays.asList(array);
    } else {
      return LEAF;
    }
    long[] known = seen.get(value);
    if (known == null) {
      long height = 0;
      long size = 1;
      for (Object child : children) {
        long[] measured = checkExpansion(child, depth + 1, seen, limit);
        height = Math.max(height, measured[0] + 1);
        size = Math.min(limit + 1, size + measured[1]);
      }
      known = new long[] {height, size};
      seen.put(value, known);
    } else if (depth + known[0] > MAX_DEPTH) {
      throw new IllegalArgumentException("nesting depth exceeds " + MAX_DEPTH + " once aliases are expanded");
    }
    if (known[1] > limit) {
      throw new IllegalArgumentException("aliases expand the document to more than " + limit + " values");
    }
    return known;
  }

  private static final long[] LEAF = {0, 1};

  private static void add(String source, int document, JsonNode node, SourcePositions positions, List<Manifest> out,
      List<String> errors) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return; // an empty document: a bare '---', a comment, a trailing separator
    }
    String where = source + ": document " + document;
    if (!node.isObject()) {
      errors.add(where + ": expected a Kubernetes object, found " + node.getNodeType().name().toLowerCase());
      return;
    }
    JsonNode kind = node.get("kind");
    if (kind == null || !kind.isTextual() || kind.textValue().isEmpty()) {
      errors.add(where + ": has no kind");
      return;
    }
    if (kind.textValue().equals("List") || kind.textValue().endsWith("List") && node.has("items")) {
      JsonNode items = node.get("items");
      if (items == null || items.isNull()) {
        return;
      }
      if (!items.isArray()) {
        errors.add(where + ": items is not a list");
        return;
      }
      for (int i = 0; i < items.size(); i++) {
        JsonNode item = items.get(i);
        if (!item.isObject() || !item.path("kind").isTextual()) {
          errors.add(where + ": items[" + i + "]: expected a Kubernetes object with a kind");
          continue;
        }
        out.add(new Manifest(source, document, i, item, positions.below("items[" + i + "]")));
      }
      return;
    }
    out.add(new Manifest(source, document, null, node, positions));
  }

  private static boolean looksLikeJson(byte[] content) {
    for (byte b : content) {
      if (b == ' ' || b == '\t' || b == '\r' || b == '\n') {
        continue;
      }
      return b == '{' || b == '[';
    }
    return false;
  }

  private static String describe(Throwable e) {
    String message = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() + locationOf(jpe) : e.getMessage();
    return message == null ? e.getClass().getSimpleName() : message.replaceAll("\\s*\\n\\s*", " ").trim();
  }

  private static String locationOf(JsonProcessingException e) {
    return e.getLocation() == null ? ""
        : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
  }
}
