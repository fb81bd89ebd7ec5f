package io.daemonguard.posture.collect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.daemonguard.posture.DaemonProcess;
import io.daemonguard.posture.KubeletFacts;
import io.daemonguard.posture.Setting;
import io.daemonguard.posture.Unknown;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The kubelet's anonymous authentication, read-only port and authorization mode. The flags' built-in defaults are the
 * insecure ones (anonymous on, port 10255, AlwaysAllow); a --config file brings its own, safe, defaults (off, 0,
 * Webhook); an explicit flag beats the file.
 */
final class KubeletCollector {
  static final int LEGACY_READ_ONLY_PORT = 10255;
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Set<String> VALUE_FLAGS = Set.of("config", "read-only-port", "authorization-mode",
      "kubeconfig", "hostname-override", "node-ip", "root-dir", "container-runtime-endpoint", "docker-endpoint",
      "network-plugin", "cni-bin-dir", "cni-conf-dir", "pod-infra-container-image", "v", "bootstrap-kubeconfig",
      "cert-dir", "container-runtime", "address", "port", "client-ca-file", "node-labels");

  private final HostRoot host;
  private final ProcessTable processes;
  private final Listeners listeners;

  KubeletCollector(HostRoot host, ProcessTable processes, Listeners listeners) {
    this.host = host;
    this.processes = processes;
    this.listeners = listeners;
  }

  KubeletFacts collect() {
    List<DaemonProcess> running = processes.daemons("kubelet");
    if (running.isEmpty()) {
      return null;
    }
    DaemonProcess process = running.get(0);
    String where = "command line of " + process.describe();
    Flags flags = Flags.parse(process.commandLine(), VALUE_FLAGS, Map.of());
    List<Unknown> unknown = new ArrayList<>();
    String configPath = flags.last("config");
    JsonNode config = null;
    boolean configUnknown = false;
    if (configPath != null) {
      try {
        String text = host.readIfExists(configPath);
        if (text == null) {
          throw new HostRoot.Unreadable("no such file");
        }
        config = YAML.readTree(text);
        if (config == null || !config.isObject()) {
          throw new HostRoot.Unreadable("not a KubeletConfiguration (no YAML mapping)");
        }
      } catch (HostRoot.Unreadable e) {
        configUnknown = true;
        unknown.add(new Unknown("config", configPath + ": " + e.getMessage()));
      } catch (IOException e) {
        configUnknown = true;
        unknown.add(new Unknown("config", configPath + ": malformed YAML: "
            + (e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse(""))));
      }
    }
    Setting anonymous = setting("anonymous-auth", flags, where, configPath, config, configUnknown,
        config == null ? null : config.path("authentication").path("anonymous").path("enabled"),
        "authentication.anonymous.enabled", "false", "true", unknown);
    Setting port = setting("read-only-port", flags, where, configPath, config, configUnknown,
        config == null ? null : config.path("readOnlyPort"), "readOnlyPort", "0",
        String.valueOf(LEGACY_READ_ONLY_PORT), unknown);
    Setting authorization = setting("authorization-mode", flags, where, configPath, config, configUnknown,
        config == null ? null : config.path("authorization").path("mode"), "authorization.mode", "Webhook",
        "AlwaysAllow", unknown);
    if (anonymous != null && !List.of("true", "false").contains(anonymous.value())) {
      unknown.add(new Unknown("anonymous-auth", "not a boolean: " + anonymous.describe()));
      anonymous = null;
    }
    if (port != null && !port.value().matches("[0-9]{1,5}")) {
      unknown.add(new Unknown("read-only-port", "not a port number: " + port.describe()));
      port = null;
    }
    Boolean live = null;
    if (listeners.tcpUnknown() == null) {
      int p = port == null ? LEGACY_READ_ONLY_PORT : Integer.parseInt(port.value());
      live = !listeners.onPort(p == 0 ? LEGACY_READ_ONLY_PORT : p, Set.of(process.pid())).isEmpty();
    }
    return new KubeletFacts(process, configPath, anonymous, port, authorization, live, unknown);
  }

  private static Setting setting(String flag, Flags flags, String where, String configPath, JsonNode config,
      boolean configUnknown, JsonNode fileValue, String field, String fileDefault, String flagDefault,
      List<Unknown> unknown) {
    if (flags.has(flag)) {
      return new Setting(flag, flags.last(flag), "--" + flag + ", " + where);
    }
    if (configPath == null) {
      return new Setting(flag, flagDefault, "the kubelet's flag default: no --" + flag + ", no --config");
    }
    if (configUnknown) {
      unknown.add(new Unknown(flag, "set by " + configPath + ", which could not be read"));
      return null;
    }
    if (fileValue != null && !fileValue.isMissingNode() && !fileValue.isNull()) {
      return new Setting(flag, fileValue.asText(), field + " in " + configPath);
    }
    return new Setting(flag, fileDefault, "KubeletConfiguration default (" + field + " not set in " + configPath + ")");
  }
}
