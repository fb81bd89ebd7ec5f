package io.daemonguard.posture.collect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.daemonguard.manifest.StrictJson;
import io.daemonguard.posture.DaemonProcess;
import io.daemonguard.posture.DockerFacts;
import io.daemonguard.posture.Endpoint;
import io.daemonguard.posture.FileFact;
import io.daemonguard.posture.ListenerFact;
import io.daemonguard.posture.Setting;
import io.daemonguard.posture.Unknown;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Docker's daemon: command line (from /proc, or docker.service's ExecStart when it is not running), daemon.json,
 * docker.socket, merged as dockerd merges them, then checked against the live sockets.
 */
final class DockerCollector {
  static final String DEFAULT_SOCKET = "/var/run/docker.sock";
  static final String DEFAULT_CONFIG = "/etc/docker/daemon.json";
  static final Set<String> VALUE_FLAGS = Set.of("host", "config-file", "tlscacert", "tlscert", "tlskey",
      "userns-remap", "group", "data-root", "graph", "exec-root", "pidfile", "log-level", "log-driver", "log-opt",
      "bip", "bridge", "add-runtime", "default-runtime", "exec-opt", "storage-driver", "storage-opt", "dns",
      "dns-opt", "dns-search", "label", "mtu", "oom-score-adjust", "cgroup-parent", "containerd", "insecure-registry",
      "registry-mirror", "default-ulimit", "fixed-cidr", "fixed-cidr-v6", "default-gateway", "ip", "seccomp-profile",
      "authorization-plugin", "max-concurrent-downloads", "max-concurrent-uploads", "shutdown-timeout",
      "default-address-pool", "default-cgroupns-mode", "default-ipc-mode", "containerd-namespace",
      "containerd-plugins-namespace", "metrics-addr", "swarm-default-advertise-addr", "userland-proxy-path",
      "cluster-store", "cluster-advertise", "cluster-store-opt", "node-generic-resource", "default-shm-size",
      "network-control-plane-mtu", "features", "http-proxy", "https-proxy", "no-proxy");
  static final Map<String, String> SHORTHANDS =
      Map.of("H", "host", "D", "debug", "G", "group", "l", "log-level", "p", "pidfile", "g", "graph", "b", "bridge");
  /** Swarm's own ports (mutual TLS, not the Engine API): a dockerd listener on them is no API endpoint. */
  private static final Set<Integer> SWARM_PORTS = Set.of(2377, 7946);
  private static final ObjectMapper JSON = new ObjectMapper(StrictJson.factory(StrictJson.MAX_NESTING_DEPTH));

  private final HostRoot host;
  private final ProcessTable processes;
  private final Listeners listeners;
  private final Accounts accounts;
  private final FileInspector files;

  DockerCollector(HostRoot host, ProcessTable processes, Listeners listeners, Accounts accounts, FileInspector files) {
    this.host = host;
    this.processes = processes;
    this.listeners = listeners;
    this.accounts = accounts;
    this.files = files;
  }

  DockerFacts collect() {
    List<DaemonProcess> running = processes.daemons("dockerd");
    DaemonProcess process = running.stream().filter(p -> Integer.valueOf(0).equals(p.uid())).findFirst()
        .orElse(running.isEmpty() ? null : running.get(0));
    SystemdUnits.Unit service = SystemdUnits.read(host, "docker.service");
    SystemdUnits.Unit socketUnit = SystemdUnits.read(host, "docker.socket");
    List<Unknown> unknown = new ArrayList<>();
    List<Setting> settings = new ArrayList<>();

    List<String> args = List.of();
    String argsSource = null;
    if (process != null) {
      args = process.commandLine();
      argsSource = "command line of " + process.describe();
    } else if (service != null && !service.values("ExecStart").isEmpty()) {
      List<String> execStarts = service.values("ExecStart");
      args = SystemdUnits.commandLine(execStarts.get(execStarts.size() - 1));
      argsSource = "ExecStart of " + service.describe() + ", dockerd not running";
    }
    Flags flags = Flags.parse(args, VALUE_FLAGS, SHORTHANDS);
    boolean rootless = process != null && process.uid() != null && process.uid() != 0;
    for (String h : flags.all("host")) {
      rootless |= h.startsWith("unix:///run/user/") || h.startsWith("/run/user/");
    }
    Integer uid = process == null ? null : process.uid();
    String defaultSocket = rootless && uid != null ? "/run/user/" + uid + "/docker.sock" : DEFAULT_SOCKET;

    String configPath = flags.last("config-file");
    String configSource = "--config-file (" + argsSource + ")";
    if (configPath == null) {
      String home = accounts.home(uid);
      configPath = rootless && home != null ? home + "/.config/docker/daemon.json" : DEFAULT_CONFIG;
      configSource = "default daemon.json";
    }
    FileFact daemonJson = files.inspect(configPath, configSource);
    JsonNode json = null;
    boolean jsonUnknown = false;
    try {
      String text = host.readIfExists(configPath);
      if (text != null) {
        json = JSON.readTree(text);
        if (json == null || !json.isObject()) {
          throw new HostRoot.Unreadable("not a JSON object");
        }
      }
    } catch (HostRoot.Unreadable e) {
      jsonUnknown = true;
      unknown.add(new Unknown("daemon.json", configPath + ": " + e.getMessage()));
    } catch (JsonProcessingException e) {
      jsonUnknown = true;
      unknown.add(new Unknown("daemon.json", configPath + ": malformed JSON: " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")")));
    }

    Map<String, String> env = environment(process);
    boolean present = process != null || service != null || socketUnit != null || json != null || jsonUnknown
        || daemonJson.exists() || files.inspect(defaultSocket, "default").exists();
    if (!present) {
      return null;
    }

    // dockerd: a --tlsverify given at all, true or false, turns TLS on; DOCKER_TLS_VERIFY in its environment is
    // --tlsverify's default
    String jsonSource = configPath;
    Boolean flagTls = flags.bool("tls");
    Boolean flagVerify = flags.bool("tlsverify");
    if (flagVerify == null && env.containsKey("DOCKER_TLS_VERIFY") && !env.get("DOCKER_TLS_VERIFY").isEmpty()) {
      flagVerify = Boolean.TRUE;
      settings.add(new Setting("tlsverify", "true", "DOCKER_TLS_VERIFY in the environment of " + process.describe()));
    }
    if (flags.has("tls")) {
      settings.add(new Setting("tls", String.valueOf(flagTls), "--tls, " + argsSource));
    }
    if (flags.has("tlsverify")) {
      settings.add(new Setting("tlsverify", String.valueOf(flagVerify), "--tlsverify, " + argsSource));
    }
    Boolean jsonTls = json != null && json.has("tls") ? json.get("tls").asBoolean() : null;
    Boolean jsonVerify = json != null && json.has("tlsverify") ? json.get("tlsverify").asBoolean() : null;
    if (jsonTls != null) {
      settings.add(new Setting("tls", jsonTls.toString(), jsonSource));
    }
    if (jsonVerify != null) {
      settings.add(new Setting("tlsverify", jsonVerify.toString(), jsonSource));
    }
    for (String key : List.of("tlscacert", "tlscert", "tlskey")) {
      if (flags.has(key)) {
        settings.add(new Setting(key, flags.last(key), "--" + key + ", " + argsSource));
      } else if (json != null && json.hasNonNull(key)) {
        settings.add(new Setting(key, json.get(key).asText(), jsonSource));
      }
    }
    Boolean tlsVerify;
    Boolean tls;
    boolean verifyGiven = flagVerify != null || jsonVerify != null;
    if (flagVerify != null) {
      tlsVerify = flagVerify;
    } else if (jsonVerify != null) {
      tlsVerify = jsonVerify;
    } else {
      tlsVerify = jsonUnknown ? null : Boolean.FALSE;
    }
    if (verifyGiven || Boolean.TRUE.equals(flagTls) || Boolean.TRUE.equals(jsonTls)) {
      tls = Boolean.TRUE;
    } else {
      tls = jsonUnknown ? null : Boolean.FALSE;
    }
    if (jsonUnknown && (tls == null || tlsVerify == null)) {
      unknown.add(new Unknown("tls", "TLS settings may be in " + configPath + ", which could not be read"));
    }

    Boolean userns;
    String flagRemap = flags.last("userns-remap");
    String jsonRemap = json != null && json.hasNonNull("userns-remap") ? json.get("userns-remap").asText() : null;
    if (flagRemap != null && !flagRemap.isEmpty()) {
      settings.add(new Setting("userns-remap", flagRemap, "--userns-remap, " + argsSource));
      userns = Boolean.TRUE;
    } else if (jsonRemap != null && !jsonRemap.isEmpty()) {
      settings.add(new Setting("userns-remap", jsonRemap, jsonSource));
      userns = Boolean.TRUE;
    } else if (jsonUnknown) {
      userns = null;
      unknown.add(new Unknown("userns-remap", "may be set in " + configPath + ", which could not be read"));
    } else {
      userns = Boolean.FALSE;
    }

    List<Endpoint> endpoints = new ArrayList<>();
    for (String h : flags.all("host")) {
      addHost(endpoints, h, "-H " + h + ", " + argsSource, Boolean.TRUE.equals(tls), defaultSocket, socketUnit);
    }
    if (json != null && json.has("hosts")) {
      JsonNode hosts = json.get("hosts");
      for (JsonNode h : hosts.isArray() ? hosts : JSON.createArrayNode().add(hosts)) {
        addHost(endpoints, h.asText(), "hosts in " + jsonSource, Boolean.TRUE.equals(tls), defaultSocket, socketUnit);
      }
    }
    if (endpoints.isEmpty() && jsonUnknown) {
      unknown.add(new Unknown("hosts", "may be set in " + configPath + ", which could not be read"));
    } else if (endpoints.isEmpty()) {
      endpoints.add(Endpoints.docker("unix://", "dockerd's default (no -H, no hosts)", false, defaultSocket));
    }
    if (argsSource == null && socketUnit != null) {
      for (String listen : socketUnit.values("ListenStream")) {
        addIfNew(endpoints, Endpoints.listenStream(listen, "ListenStream of " + socketUnit.describe()));
      }
    }
    if (argsSource != null) {
      settings.add(0, new Setting("command line", String.join(" ", args), argsSource));
    }
    endpoints = live(endpoints, process, unknown);

    List<FileFact> sockets = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Endpoint e : endpoints) {
      if (e.overUnix() && seen.add(HostRoot.canonical(e.host()))) {
        sockets.add(files.inspect(e.host(), e.source()));
      }
    }
    if (seen.add(HostRoot.canonical(defaultSocket))) {
      FileFact fallback = files.inspect(defaultSocket, "default socket path");
      if (fallback.exists() || fallback.unknown() != null) {
        sockets.add(fallback);
      }
    }
    return new DockerFacts(process, rootless, settings, endpoints, tls, tlsVerify, userns, daemonJson, sockets,
        unknown);
  }

  private void addHost(List<Endpoint> endpoints, String value, String source, boolean tls, String defaultSocket,
      SystemdUnits.Unit socketUnit) {
    Endpoint endpoint = Endpoints.docker(value, source, tls, defaultSocket);
    if (endpoint == null) {
      return;
    }
    if (!endpoint.scheme().equals("fd")) {
      addIfNew(endpoints, endpoint);
      return;
    }
    if (socketUnit == null || socketUnit.values("ListenStream").isEmpty()) {
      addIfNew(endpoints, endpoint);
      return;
    }
    for (String listen : socketUnit.values("ListenStream")) {
      addIfNew(endpoints, Endpoints.listenStream(listen,
          "ListenStream of " + socketUnit.describe() + ", handed over by " + source));
    }
  }

  private static void addIfNew(List<Endpoint> endpoints, Endpoint endpoint) {
    if (endpoint == null) {
      return;
    }
    for (Endpoint e : endpoints) {
      if (e.scheme().equals(endpoint.scheme()) && (e.overUnix()
          ? HostRoot.canonical(e.host()).equals(HostRoot.canonical(endpoint.host()))
          : e.address().equals(endpoint.address()))) {
        return;
      }
    }
    endpoints.add(endpoint);
  }

  /** Each endpoint checked against the live sockets; a live TCP listener of dockerd that no configuration names too. */
  private List<Endpoint> live(List<Endpoint> endpoints, DaemonProcess process, List<Unknown> unknown) {
    Set<Integer> holders = new HashSet<>();
    holders.add(1); // systemd holds a socket-activated listener, before and after dockerd starts
    if (process != null) {
      holders.add(process.pid());
    }
    List<Endpoint> checked = new ArrayList<>();
    Set<Long> matched = new HashSet<>();
    for (Endpoint e : endpoints) {
      if (e.overTcp()) {
        if (listeners.tcpUnknown() != null) {
          checked.add(e.withLive(null, "TCP listeners unknown: " + listeners.tcpUnknown()));
          continue;
        }
        List<ListenerFact> found = listeners.onPort(e.port(), holders).stream()
            .filter(l -> coversHost(l, e.host())).toList();
        found.forEach(l -> matched.add(l.inode()));
        checked.add(found.isEmpty()
            ? e.withLive(false, "no socket listens on port " + e.port() + " held by dockerd or systemd")
            : e.withLive(true, String.join("; ", found.stream().map(ListenerFact::describe).toList())));
      } else if (e.overUnix()) {
        Boolean listening = listeners.unixListening(e.host());
        checked.add(e.withLive(listening, listening == null ? "Unix listeners unknown: " + listeners.unixUnknown()
            : listening ? "a Unix socket listens at " + e.host() : "no Unix socket listens at " + e.host()));
      } else {
        checked.add(e);
      }
    }
    if (process != null && listeners.tcpUnknown() == null && listeners.ownersUnknown() > 0) {
      unknown.add(new Unknown("listeners", "the holders of " + listeners.ownersUnknown() + " TCP listener(s) could"
          + " not be found (reading a root daemon's /proc/<pid>/fd needs CAP_SYS_PTRACE, and a holder outside this"
          + " /proc cannot be seen): a TCP listener of dockerd that no configuration names would not be seen"));
    }
    if (process != null && listeners.tcpUnknown() == null) {
      for (ListenerFact l : listeners.heldBy(process.pid())) {
        if (!matched.contains(l.inode()) && !SWARM_PORTS.contains(l.port())) {
          Endpoint extra = Endpoints.tcp((l.address().contains(":") ? "[" + l.address() + "]" : l.address())
              + ":" + l.port(), "live socket of " + process.describe() + " that no configuration read names", 0);
          checked.add(extra.withLive(true, l.describe()));
        }
      }
    }
    return checked;
  }

  /** A listener bound to the wildcard serves every address; one bound to an address serves that address. */
  private static boolean coversHost(ListenerFact listener, String host) {
    String a = listener.address();
    if (host.equals("0.0.0.0") || host.equals("::") || host.equals("localhost")) {
      return true;
    }
    return a.equals(host) || a.equals("0.0.0.0") || a.equals("::") || a.equals("::ffff:" + host);
  }

  private Map<String, String> environment(DaemonProcess process) {
    Map<String, String> env = new LinkedHashMap<>();
    if (process == null) {
      return env;
    }
    try {
      byte[] raw = Files.readAllBytes(host.proc(process.pid() + "/environ"));
      for (String entry : new String(raw, StandardCharsets.UTF_8).split("\0")) {
        int eq = entry.indexOf('=');
        if (eq > 0) {
          env.put(entry.substring(0, eq), entry.substring(eq + 1));
        }
      }
    } catch (IOException e) {
      // no environment (a fake tree, or an exited process): the flags decide alone
    }
    return env;
  }
}
