package io.daemonguard.posture.collect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import io.daemonguard.posture.ContainerdFacts;
import io.daemonguard.posture.DaemonProcess;
import io.daemonguard.posture.Endpoint;
import io.daemonguard.posture.FileFact;
import io.daemonguard.posture.ListenerFact;
import io.daemonguard.posture.Setting;
import io.daemonguard.posture.Unknown;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Each containerd: its config.toml (versions 1 to 3 keep the API in {@code [grpc]}), with its {@code imports} merged
 * after it as containerd merges them (a later file wins), and {@code --config}/{@code --address} from its command line.
 */
final class ContainerdCollector {
  static final String DEFAULT_CONFIG = "/etc/containerd/config.toml";
  static final String DEFAULT_SOCKET = "/run/containerd/containerd.sock";
  private static final Set<String> VALUE_FLAGS = Set.of("config", "address", "log-level", "root", "state");
  private static final Map<String, String> SHORTHANDS = Map.of("c", "config", "a", "address", "l", "log-level");
  private static final TomlMapper TOML = new TomlMapper();
  private static final List<String> GRPC_KEYS = List.of("address", "tcp_address", "tcp_tls_cert", "tcp_tls_key",
      "tcp_tls_ca");

  private final HostRoot host;
  private final ProcessTable processes;
  private final Listeners listeners;
  private final FileInspector files;

  ContainerdCollector(HostRoot host, ProcessTable processes, Listeners listeners, FileInspector files) {
    this.host = host;
    this.processes = processes;
    this.listeners = listeners;
    this.files = files;
  }

  List<ContainerdFacts> collect() {
    List<ContainerdFacts> found = new ArrayList<>();
    for (DaemonProcess process : processes.daemons("containerd")) {
      found.add(collect(process));
    }
    if (found.isEmpty() && (Files.exists(host.path(DEFAULT_CONFIG))
        || Files.exists(host.path(DEFAULT_SOCKET)) || Files.isSymbolicLink(host.path(DEFAULT_CONFIG)))) {
      found.add(collect(null));
    }
    return found;
  }

  private ContainerdFacts collect(DaemonProcess process) {
    List<Unknown> unknown = new ArrayList<>();
    List<Setting> settings = new ArrayList<>();
    Flags flags = Flags.parse(process == null ? List.of() : process.commandLine(), VALUE_FLAGS, SHORTHANDS);
    String where = process == null ? "containerd not running" : "command line of " + process.describe();
    String configPath = flags.last("config", DEFAULT_CONFIG);
    Integer version = null;
    ObjectNode grpc = TOML.createObjectNode();
    Map<String, String> grpcSources = new java.util.HashMap<>();
    boolean configUnknown = false;
    List<String> pending = new ArrayList<>(List.of(configPath));
    for (int i = 0; i < pending.size() && i < 64; i++) {
      String file = pending.get(i);
      JsonNode config;
      try {
        String text = host.readIfExists(file);
        if (text == null) {
          if (i > 0) {
            unknown.add(new Unknown("config", file + " (imported): no such file"));
          }
          continue;
        }
        config = TOML.readTree(text);
      } catch (HostRoot.Unreadable e) {
        configUnknown = true;
        unknown.add(new Unknown("config", file + ": " + e.getMessage()));
        continue;
      } catch (IOException e) {
        configUnknown = true;
        unknown.add(new Unknown("config", file + ": malformed TOML: " + firstLine(e.getMessage())));
        continue;
      }
      if (i == 0) {
        version = config.has("version") ? config.get("version").asInt() : 1;
      }
      JsonNode section = config.path("grpc");
      for (String key : GRPC_KEYS) {
        if (section.hasNonNull(key)) {
          grpc.set(key, section.get(key));
          grpcSources.put(key, file);
        }
      }
      for (JsonNode imported : config.path("imports")) {
        pending.addAll(expand(file, imported.asText()));
      }
    }
    String address = flags.last("address");
    String addressSource = "--address, " + where;
    if (address == null) {
      address = grpc.path("address").asText("");
      addressSource = grpcSources.getOrDefault("address", "containerd's default");
      if (address.isEmpty()) {
        address = DEFAULT_SOCKET;
      }
    }
    settings.add(new Setting("grpc.address", address, addressSource));
    for (String key : GRPC_KEYS.subList(1, GRPC_KEYS.size())) {
      String value = grpc.path(key).asText("");
      if (!value.isEmpty()) {
        settings.add(new Setting("grpc." + key, value, grpcSources.get(key)));
      }
    }
    Endpoint tcp = null;
    Boolean tcpTls = null;
    Boolean clientCa = null;
    String tcpAddress = grpc.path("tcp_address").asText("");
    if (!tcpAddress.isEmpty()) {
      tcp = live(Endpoints.tcp(tcpAddress, "[grpc] tcp_address in " + grpcSources.get("tcp_address"), 0), process);
      // containerd serves TLS only with both a certificate and a key, and checks clients only against tcp_tls_ca
      tcpTls = !grpc.path("tcp_tls_cert").asText("").isEmpty() && !grpc.path("tcp_tls_key").asText("").isEmpty();
      clientCa = !grpc.path("tcp_tls_ca").asText("").isEmpty();
    } else if (configUnknown) {
      unknown.add(new Unknown("tcp_address", "may be set in a config file that could not be read"));
    }
    List<FileFact> sockets = new ArrayList<>();
    sockets.add(files.inspect(address, addressSource));
    FileFact ttrpc = files.inspect(address + ".ttrpc", "containerd's ttrpc socket beside " + address);
    if (ttrpc.exists()) {
      sockets.add(ttrpc);
    }
    if (process != null) {
      settings.add(0, new Setting("command line", String.join(" ", process.commandLine()), where));
    }
    settings.add(new Setting("config", configPath, process != null && flags.has("config") ? "--config, " + where
        : "containerd's default"));
    return new ContainerdFacts(process, configPath, version, settings, tcp, tcpTls, clientCa, sockets, unknown);
  }

  private Endpoint live(Endpoint endpoint, DaemonProcess process) {
    if (listeners.tcpUnknown() != null) {
      return endpoint.withLive(null, "TCP listeners unknown: " + listeners.tcpUnknown());
    }
    if (process == null) {
      return endpoint.withLive(false, "containerd is not running");
    }
    List<ListenerFact> found = listeners.onPort(endpoint.port(), Set.of(process.pid()));
    return found.isEmpty()
        ? endpoint.withLive(false, "no socket listens on port " + endpoint.port() + " held by " + process.describe())
        : endpoint.withLive(true, String.join("; ", found.stream().map(ListenerFact::describe).toList()));
  }

  /** An import, relative to the importing file's directory, with a glob in its file name as containerd allows. */
  private List<String> expand(String importer, String imported) {
    String path = imported.startsWith("/") ? imported
        : Path.of(importer).getParent().resolve(imported).normalize().toString();
    int slash = path.lastIndexOf('/');
    String name = path.substring(slash + 1);
    if (!name.contains("*") && !name.contains("?") && !name.contains("[")) {
      return List.of(path);
    }
    String dir = path.substring(0, Math.max(slash, 1));
    List<String> matches = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(host.path(dir), name)) {
      entries.forEach(e -> matches.add(dir + "/" + e.getFileName()));
    } catch (IOException e) {
      return List.of();
    }
    matches.sort(null);
    return matches;
  }

  private static String firstLine(String message) {
    return message == null ? "" : message.lines().findFirst().orElse("");
  }
}
