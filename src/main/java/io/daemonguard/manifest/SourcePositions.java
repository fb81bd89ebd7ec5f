package io.daemonguard.manifest;

import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Where the fields of one object stand in its source: a field path as the rules write it
 * ({@code spec.template.spec.volumes[0].hostPath.path}) resolved to a line and column, for reports that point into
 * the file (SARIF). Read from SnakeYAML's node tree of the object's document, whose marks survive construction; an
 * object inside a {@code kind: List} resolves its paths below its own item.
 */
public final class SourcePositions {

  /** A place in the source, counted from 1 as editors and SARIF count. */
  public record Position(int line, int column) {}

  private static final Pattern SEGMENT = Pattern.compile("([^.\\[\\]]+)?((?:\\[\\d+])*)");
  private static final Pattern INDEX = Pattern.compile("\\[(\\d+)]");

  private final Supplier<Node> document;
  private final String prefix;
  private final Position documentStart;
  private final int firstLine;
  private final int firstColumn;

  private SourcePositions(Supplier<Node> document, String prefix, Position documentStart, int firstLine,
      int firstColumn) {
    this.document = document;
    this.prefix = prefix;
    this.documentStart = documentStart;
    this.firstLine = firstLine;
    this.firstColumn = firstColumn;
  }

  /** A document's node tree, whose marks count from the start of the source. */
  static SourcePositions of(Node document) {
    Position start = document == null ? new Position(1, 1)
        : new Position(document.getStartMark().getLine() + 1, document.getStartMark().getColumn() + 1);
    return new SourcePositions(() -> document, "", start, 1, 1);
  }

  /**
   * A document that starts at {@code start} inside its source and whose node tree, composed from that document's text
   * alone, is only built when a position is asked for (JSON, read by Jackson: most objects are never asked).
   */
  static SourcePositions lazy(Supplier<Node> document, Position start) {
    Node[] composed = new Node[1];
    boolean[] tried = new boolean[1];
    Supplier<Node> once = () -> {
      if (!tried[0]) {
        tried[0] = true;
        composed[0] = document.get();
      }
      return composed[0];
    };
    return new SourcePositions(once, "", start, start.line(), start.column());
  }

  /** The same document, with paths resolved below {@code path} (a List's {@code items[3]}). */
  SourcePositions below(String path) {
    return new SourcePositions(document, join(prefix, path), documentStart, firstLine, firstColumn);
  }

  /** The first line of the object's document: the answer when nothing better is known. */
  public Position documentStart() {
    return documentStart;
  }

  /**
   * The position of {@code fieldPath}'s key (or list element), or of the deepest part of the path that the source
   * has when it lacks the rest (a field the reader defaulted), or the document's start; never nothing.
   */
  public Position find(String fieldPath) {
    Node node = document.get();
    if (node == null) {
      return documentStart;
    }
    Position found = position(node);
    Matcher segment = SEGMENT.matcher("");
    for (String part : join(prefix, fieldPath).split("\\.")) {
      if (!segment.reset(part).matches()) {
        return found;
      }
      if (segment.group(1) != null) {
        NodeTuple entry = entry(node, segment.group(1));
        if (entry == null) {
          return found;
        }
        found = position(entry.getKeyNode());
        node = entry.getValueNode();
      }
      Matcher index = INDEX.matcher(segment.group(2));
      while (index.find()) {
        int i = Integer.parseInt(index.group(1));
        if (!(node instanceof SequenceNode sequence) || i >= sequence.getValue().size()) {
          return found;
        }
        node = sequence.getValue().get(i);
        found = position(node);
      }
    }
    return found;
  }

  private static NodeTuple entry(Node node, String key) {
    if (node instanceof MappingNode mapping) {
      for (NodeTuple tuple : mapping.getValue()) {
        if (tuple.getKeyNode() instanceof ScalarNode scalar && scalar.getValue().equals(key)) {
          return tuple;
        }
      }
    }
    return null;
  }

  private Position position(Node node) {
    int line = node.getStartMark().getLine();
    int column = node.getStartMark().getColumn();
    return new Position(firstLine + line, (line == 0 ? firstColumn : 1) + column);
  }

  private static String join(String prefix, String path) {
    return prefix.isEmpty() ? path : path.isEmpty() ? prefix : prefix + "." + path;
  }
}
