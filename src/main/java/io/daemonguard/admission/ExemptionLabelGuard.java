package io.daemonguard.admission;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * No self-granted exemption. Before Kubernetes 1.21 the webhook configuration can skip a namespace only by a label,
 * and anyone who may label namespaces could then switch the webhook off for theirs: by adding
 * {@code daemonguard.io/exempt}, or by spelling another namespace's name in {@code kubernetes.io/metadata.name}, which
 * the API server sets itself only from 1.21 on. Both are refused unless the requester is on a list of administrators.
 * Pure: labels and requester in, a refusal or nothing out.
 */
public final class ExemptionLabelGuard {

  /** The id in messages and metrics. Not a policy rule: no policy can switch it off. */
  public static final String ID = "exemption-label";
  public static final String EXEMPT_LABEL = "daemonguard.io/exempt";
  public static final String NAME_LABEL = "kubernetes.io/metadata.name";
  /** The group every cluster administrator's credentials carry. */
  public static final String CLUSTER_ADMINS = "system:masters";

  private final Set<String> users;
  private final Set<String> groups;

  public ExemptionLabelGuard(Set<String> users, Set<String> groups) {
    this.users = Set.copyOf(users);
    this.groups = Set.copyOf(groups);
  }

  public static ExemptionLabelGuard defaults() {
    return new ExemptionLabelGuard(Set.of(), Set.of(CLUSTER_ADMINS));
  }

  /**
   * Judges a Namespace CREATE ({@code oldLabels} empty) or UPDATE. Returns why it is refused, naming the label and
   * how to get an exemption properly, or empty when it may go on.
   */
  public Optional<String> check(String namespace, Map<String, String> oldLabels, Map<String, String> newLabels,
      String user, List<String> userGroups) {
    if (mayManage(user, userGroups)) {
      return Optional.empty();
    }
    String exemptBefore = oldLabels.get(EXEMPT_LABEL);
    String exemptAfter = newLabels.get(EXEMPT_LABEL);
    if (!Objects.equals(exemptBefore, exemptAfter)) {
      String change = exemptBefore == null ? "add" : exemptAfter == null ? "remove" : "change";
      return Optional.of(refusal(user, "may not " + change + " the label " + EXEMPT_LABEL
          + ", which makes the API server skip daemonguard for the namespace"));
    }
    String name = newLabels.get(NAME_LABEL);
    if (name != null && !name.equals(namespace) && !name.equals(oldLabels.get(NAME_LABEL))) {
      return Optional.of(refusal(user, "may not set the label " + NAME_LABEL + " to \"" + name
          + "\": it must be the namespace's own name, \"" + namespace + "\", because daemonguard exempts namespaces"
          + " by it"));
    }
    return Optional.empty();
  }

  private boolean mayManage(String user, List<String> userGroups) {
    if (user != null && users.contains(user)) {
      return true;
    }
    for (String group : userGroups) {
      if (groups.contains(group)) {
        return true;
      }
    }
    return false;
  }

  private String refusal(String user, String what) {
    return "[" + ID + "] user \"" + user + "\" " + what + ". Only daemonguard's administrators may ("
        + (groups.isEmpty() ? "" : "groups " + String.join(", ", new java.util.TreeSet<>(groups)))
        + (groups.isEmpty() || users.isEmpty() ? "" : "; ")
        + (users.isEmpty() ? "" : "users " + String.join(", ", new java.util.TreeSet<>(users)))
        + "). To exempt a namespace, ask one to list it in a DaemonSecurityPolicy's"
        + " spec.admission.exemptions.namespaces or in the Helm value webhook.exemptNamespaces";
  }

  /** The labels of a Namespace object ({@code metadata.labels}), empty when it has none. */
  public static Map<String, String> labels(JsonNode object, String path) {
    if (object == null || object.isNull()) {
      return Map.of();
    }
    JsonNode labels = object.path("metadata").path("labels");
    if (labels.isMissingNode() || labels.isNull()) {
      return Map.of();
    }
    if (!labels.isObject()) {
      throw new InvalidObjectException(path + ".metadata.labels: expected an object");
    }
    Map<String, String> out = new TreeMap<>();
    labels.fields().forEachRemaining(e -> {
      if (!e.getValue().isTextual()) {
        throw new InvalidObjectException(path + ".metadata.labels." + e.getKey() + ": expected a string");
      }
      out.put(e.getKey(), e.getValue().textValue());
    });
    return out;
  }
}
