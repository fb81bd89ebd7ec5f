package io.daemonguard.admission;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The admission half of a DaemonSecurityPolicy, validated and ready for the engine. {@code rules} holds the enabled
 * rules and the action of each; a rule absent from it is off.
 */
public record AdmissionPolicy(
    String name,
    Map<RuleId, Action> rules,
    RuntimeSockets sockets,
    Set<String> exemptNamespaces,
    Set<String> exemptServiceAccounts,
    List<ImagePattern> exemptImages) {

  public AdmissionPolicy {
    rules = rules.isEmpty() ? Map.of() : java.util.Collections.unmodifiableMap(new EnumMap<>(rules));
    exemptNamespaces = Set.copyOf(exemptNamespaces);
    exemptServiceAccounts = Set.copyOf(exemptServiceAccounts);
    exemptImages = List.copyOf(exemptImages);
  }

  /** The name the built-in policy goes by in messages. */
  public static final String DEFAULT_NAME = "daemonguard-default";

  /**
   * Secure by default: the three mission rules enforced everywhere but {@code kube-system} and daemonguard's own
   * namespace (null when unknown, as in {@code check}).
   */
  public static AdmissionPolicy defaultPolicy(String ownNamespace, Set<String> extraExemptNamespaces) {
    Map<RuleId, Action> rules = new EnumMap<>(RuleId.class);
    for (RuleId rule : RuleId.values()) {
      rules.put(rule, Action.ENFORCE);
    }
    java.util.Set<String> exempt = new java.util.TreeSet<>(extraExemptNamespaces);
    exempt.add("kube-system");
    if (ownNamespace != null && !ownNamespace.isBlank()) {
      exempt.add(ownNamespace);
    }
    return new AdmissionPolicy(DEFAULT_NAME, rules, RuntimeSockets.defaults(), exempt, Set.of(), List.of());
  }

  public boolean exemptsNamespace(String namespace) {
    return namespace != null && exemptNamespaces.contains(namespace);
  }

  /** Service accounts are written {@code namespace/name}, the account the workload's pods run as. */
  public boolean exemptsServiceAccount(String namespace, String serviceAccount) {
    String account = serviceAccount == null || serviceAccount.isEmpty() ? "default" : serviceAccount;
    return exemptServiceAccounts.contains(namespace + "/" + account);
  }

  public boolean exemptsImage(String image) {
    if (image == null) {
      return false;
    }
    for (ImagePattern pattern : exemptImages) {
      if (pattern.matches(image)) {
        return true;
      }
    }
    return false;
  }
}
