package io.daemonguard.policy;

import io.daemonguard.admission.Action;
import io.daemonguard.admission.AdmissionPolicy;
import io.daemonguard.admission.HostPaths;
import io.daemonguard.admission.ImagePattern;
import io.daemonguard.admission.RuleId;
import io.daemonguard.admission.RuntimeSockets;
import io.daemonguard.admission.WindowsPaths;
import io.daemonguard.api.AdmissionRules;
import io.daemonguard.api.AdmissionSpec;
import io.daemonguard.api.DaemonSecurityPolicy;
import io.daemonguard.api.Exemptions;
import io.daemonguard.api.RuleSettings;
import io.daemonguard.api.SocketRuleSettings;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Turns a DaemonSecurityPolicy as written into the engine's form, refusing anything it would have to guess at. */
public final class PolicyCompiler {
  private PolicyCompiler() {}

  /** @throws IllegalArgumentException naming the policy and the field that is wrong */
  public static AdmissionPolicy compile(DaemonSecurityPolicy policy) {
    String name = policy.getMetadata() == null ? null : policy.getMetadata().getName();
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("DaemonSecurityPolicy: metadata.name is missing");
    }
    String where = "DaemonSecurityPolicy " + name + ": ";
    try {
      AdmissionSpec admission = policy.getSpec() == null ? null : policy.getSpec().getAdmission();
      if (admission == null) {
        admission = new AdmissionSpec();
      }
      Action action = admission.getAction() == null
          ? Action.ENFORCE : Action.parse(admission.getAction(), "spec.admission.action");
      AdmissionRules rules = admission.getRules();
      Map<RuleId, Action> enabled = new EnumMap<>(RuleId.class);
      List<String> extraPaths = List.of();
      if (rules == null) {
        for (RuleId rule : RuleId.values()) {
          enabled.put(rule, action);
        }
      } else {
        put(enabled, RuleId.HOST_ROOT_MOUNT, rules.getHostRootMount(), action);
        put(enabled, RuleId.PRIVILEGED_CONTAINER, rules.getPrivilegedContainer(), action);
        SocketRuleSettings socket = rules.getRuntimeSocketMount();
        put(enabled, RuleId.RUNTIME_SOCKET_MOUNT, socket, action);
        if (socket != null && socket.getExtraPaths() != null) {
          extraPaths = socketPaths(socket.getExtraPaths());
        }
      }
      Exemptions exemptions = admission.getExemptions();
      Set<String> namespaces = Set.of();
      Set<String> accounts = Set.of();
      List<ImagePattern> images = List.of();
      if (exemptions != null) {
        namespaces = nonBlank(exemptions.getNamespaces(), "spec.admission.exemptions.namespaces");
        accounts = nonBlank(exemptions.getServiceAccounts(), "spec.admission.exemptions.serviceAccounts");
        for (String account : accounts) {
          if (account.split("/", -1).length != 2 || account.startsWith("/") || account.endsWith("/")) {
            throw new IllegalArgumentException(
                "spec.admission.exemptions.serviceAccounts: \"" + account + "\" is not namespace/name");
          }
        }
        List<ImagePattern> patterns = new ArrayList<>();
        for (String image : nonBlank(exemptions.getImages(), "spec.admission.exemptions.images")) {
          patterns.add(ImagePattern.of(image));
        }
        images = patterns;
      }
      return new AdmissionPolicy(name, enabled, RuntimeSockets.withExtraPaths(extraPaths), namespaces, accounts, images);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + e.getMessage(), e);
    }
  }

  private static void put(Map<RuleId, Action> enabled, RuleId rule, RuleSettings settings, Action policyAction) {
    if (settings == null || Boolean.FALSE.equals(settings.getEnabled())) {
      return;
    }
    String field = "spec.admission.rules." + rule.policyField() + ".action";
    enabled.put(rule, settings.getAction() == null ? policyAction : Action.parse(settings.getAction(), field));
  }

  private static List<String> socketPaths(List<String> paths) {
    String field = "spec.admission.rules.runtimeSocketMount.extraPaths";
    for (String path : paths) {
      if (path != null && WindowsPaths.looksWindows(path)) {
        WindowsPaths read = WindowsPaths.read(path);
        if (!WindowsPaths.isAbsolute(path)) {
          throw new IllegalArgumentException(field + ": \"" + path + "\" is not an absolute Windows path"
              + " (write C:\\dir\\file or \\\\.\\pipe\\name)");
        }
        if (read.isVolumeRoot() || read.holdsPipes()) {
          throw new IllegalArgumentException(field + ": \"" + path + "\" is a root, not a socket or pipe");
        }
        continue;
      }
      if (path == null || !path.startsWith("/")) {
        throw new IllegalArgumentException(field + ": \"" + path + "\" is not an absolute path");
      }
      if (HostPaths.normalize(path).equals("/")) {
        throw new IllegalArgumentException(field + ": \"" + path + "\" is the root, not a socket");
      }
    }
    return paths;
  }

  private static Set<String> nonBlank(List<String> values, String field) {
    if (values == null) {
      return Set.of();
    }
    for (String value : values) {
      if (value == null || value.isBlank()) {
        throw new IllegalArgumentException(field + ": entries must not be empty");
      }
    }
    return Set.copyOf(values);
  }
}
