package io.daemonguard.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads manifests as people write them: YAML or JSON, several documents in one file, {@code kind: List} with
 * {@code items}. Every error names the source and the document.
 */
public final class ManifestReader {

  private static final int MAX_DEPTH = 100;
  private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build());
  private static final YAMLMapper YAML = new YAMLMapper(YAMLFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build());

  private ManifestReader() {}

  /** One object of a manifest: where it came from ({@code document} counts from 1) and its tree. */
  public record Manifest(String source, int document, JsonNode object) {}

  /** Thrown with a message that names the source and, where known, the document. */
  public static final class ManifestException extends Exception {
    public ManifestException(String message) {
      super(message);
    }
  }

  public static List<Manifest> read(String source, byte[] content) throws ManifestException {
    ObjectMapper mapper = looksLikeJson(content) ? JSON : YAML;
    List<Manifest> manifests = new ArrayList<>();
    int document = 0;
    try (JsonParser parser = mapper.createParser(content);
        MappingIterator<JsonNode> documents = mapper.readValues(parser, JsonNode.class)) {
      while (true) {
        document++;
        JsonNode node;
        try {
          if (!documents.hasNextValue()) {
            break;
          }
          node = documents.nextValue();
        } catch (IOException | RuntimeException e) {
          throw new ManifestException(source + ": document " + document + ": " + describe(e));
        }
        if (node == null || node.isNull() || node.isMissingNode()) {
          continue; // an empty document between two '---'
        }
        add(source, document, node, manifests);
      }
    } catch (IOException e) {
      throw new ManifestException(source + ": " + describe(e));
    }
    return manifests;
  }

  private static void add(String source, int document, JsonNode node, List<Manifest> out) throws ManifestException {
    String where = source + ": document " + document;
    if (!node.isObject()) {
      throw new ManifestException(where + ": expected a Kubernetes object, found " + node.getNodeType().name().toLowerCase());
    }
    JsonNode kind = node.get("kind");
    if (kind == null || !kind.isTextual() || kind.textValue().isEmpty()) {
      throw new ManifestException(where + ": has no kind");
    }
    if (kind.textValue().equals("List") || kind.textValue().endsWith("List") && node.has("items")) {
      JsonNode items = node.get("items");
      if (items == null || items.isNull()) {
        return;
      }
      if (!items.isArray()) {
        throw new ManifestException(where + ": items is not a list");
      }
      for (int i = 0; i < items.size(); i++) {
        JsonNode item = items.get(i);
        String itemWhere = where + ": items[" + i + "]";
        if (!item.isObject() || !item.path("kind").isTextual()) {
          throw new ManifestException(itemWhere + ": expected a Kubernetes object with a kind");
        }
        out.add(new Manifest(source, document, item));
      }
      return;
    }
    out.add(new Manifest(source, document, node));
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
    String message = e instanceof com.fasterxml.jackson.core.JsonProcessingException jpe
        ? jpe.getOriginalMessage() + locationOf(jpe) : e.getMessage();
    return message == null ? e.getClass().getSimpleName() : message.replace('\n', ' ');
  }

  private static String locationOf(com.fasterxml.jackson.core.JsonProcessingException e) {
    return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
  }
}
