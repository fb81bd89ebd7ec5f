package io.daemonguard.operator.scan;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.List;
import java.util.Map;

/** Whether a policy's {@code spec.nodes.nodeSelector} selects a node, as the apiserver matches a metav1.LabelSelector. */
public final class NodeSelection {
  private NodeSelection() {}

  /**
   * True when {@code labels} meet every matchLabels entry and every matchExpressions requirement. A null or empty
   * selector selects every node. {@code In}: the key is present with one of the values; {@code NotIn}: the key is
   * absent or its value is none of them; {@code Exists} / {@code DoesNotExist}: the key is present / absent.
   *
   * <p>An unknown operator (or In/NotIn without values, or Exists/DoesNotExist with values, which the apiserver refuses
   * too) selects nothing: a selector daemonguard cannot read must not quietly judge nodes it was not meant to; the
   * CRD's schema refuses unknown operators, so only a policy file or an older CRD can bring one.
   */
  public static boolean selects(LabelSelector selector, Map<String, String> labels) {
    if (selector == null) {
      return true;
    }
    Map<String, String> have = labels == null ? Map.of() : labels;
    if (selector.getMatchLabels() != null) {
      for (Map.Entry<String, String> wanted : selector.getMatchLabels().entrySet()) {
        if (wanted.getValue() == null || !wanted.getValue().equals(have.get(wanted.getKey()))) {
          return false;
        }
      }
    }
    if (selector.getMatchExpressions() != null) {
      for (LabelSelectorRequirement requirement : selector.getMatchExpressions()) {
        if (!meets(requirement, have)) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean meets(LabelSelectorRequirement requirement, Map<String, String> labels) {
    List<String> values = requirement.getValues() == null ? List.of() : requirement.getValues();
    String key = requirement.getKey();
    String operator = requirement.getOperator();
    if (key == null || operator == null) {
      return false;
    }
    boolean present = labels.containsKey(key);
    return switch (operator) {
      case "In" -> !values.isEmpty() && present && values.contains(labels.get(key));
      case "NotIn" -> !values.isEmpty() && (!present || !values.contains(labels.get(key)));
      case "Exists" -> values.isEmpty() && present;
      case "DoesNotExist" -> values.isEmpty() && !present;
      default -> false;
    };
  }
}
