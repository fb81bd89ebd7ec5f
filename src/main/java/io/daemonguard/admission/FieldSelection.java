package io.daemonguard.admission;

import java.util.HashMap;
import java.util.Map;

/**
 * Which fields of a JSON value a reader looks at, so that a decoder can leave the rest unbuilt: per object field, what
 * is read below it. An array's elements are read with its field's selection. {@link #ALL} reads a value whole.
 */
public final class FieldSelection {

  /** The whole value, whatever it is (for the scalars a reader type-checks, and anything not pruned). */
  public static final FieldSelection ALL = new FieldSelection(null);

  /** Null for {@link #ALL}. */
  private final Map<String, FieldSelection> fields;

  private FieldSelection(Map<String, FieldSelection> fields) {
    this.fields = fields;
  }

  /** From pairs of a field name and its selection: {@code of("name", ALL, "securityContext", of("privileged", ALL))}. */
  public static FieldSelection of(Object... namesAndSelections) {
    return new FieldSelection(Map.of()).plus(namesAndSelections);
  }

  /** This selection with more fields. */
  public FieldSelection plus(Object... namesAndSelections) {
    if (fields == null) {
      return this;
    }
    if (namesAndSelections.length % 2 != 0) {
      throw new IllegalArgumentException("expected pairs of a name and a selection");
    }
    Map<String, FieldSelection> merged = new HashMap<>(fields);
    for (int i = 0; i < namesAndSelections.length; i += 2) {
      String name = (String) namesAndSelections[i];
      FieldSelection selection = (FieldSelection) namesAndSelections[i + 1];
      if (merged.putIfAbsent(name, selection) != null) {
        throw new IllegalArgumentException("field " + name + " selected twice");
      }
    }
    return new FieldSelection(Map.copyOf(merged));
  }

  /** What is read of the field {@code name} of an object this selects from; null when none of it is. */
  public FieldSelection field(String name) {
    return fields == null ? ALL : fields.get(name);
  }
}
