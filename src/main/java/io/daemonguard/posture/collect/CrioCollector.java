package io.daemonguard.posture.collect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import io.daemonguard.posture.CrioFacts;
import io.daemonguard.posture.DaemonProcess;
import io.daemonguard.posture.FileFact;
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

/** CRI-O: crio.conf, then crio.conf.d/* in name order (a later file wins), then --listen; its API socket. */
final class CrioCollector {
  static final String DEFAULT_SOCKET = "/var/run/crio/crio.sock";
  private static final TomlMapper TOML = new TomlMapper();

  private final HostRoot host;
  private final ProcessTable processes;
  private final FileInspector files;

  CrioCollector(HostRoot host, ProcessTable processes, FileInspector files) {
    this.host = host;
    this.processes = processes;
    this.files = files;
  }

  CrioFacts collect() {
    List<DaemonProcess> running = processes.daemons("crio");
    DaemonProcess process = running.isEmpty() ? null : running.get(0);
    Flags flags = Flags.parse(process == null ? List.of() : process.commandLine(),
        Set.of("config", "config-dir", "listen", "log-level"), Map.of("c", "config"));
    String config = flags.last("config", "/etc/crio/crio.conf");
    String configDir = flags.last("config-dir", "/etc/crio/crio.conf.d");
    boolean configured = Files.exists(host.path(config)) || Files.isDirectory(host.path(configDir));
    if (process == null && !configured && !Files.exists(host.path(DEFAULT_SOCKET))) {
      return null;
    }
    List<Unknown> unknown = new ArrayList<>();
    List<Setting> settings = new ArrayList<>();
    List<String> order = new ArrayList<>(List.of(config));
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(host.path(configDir))) {
      List<String> names = new ArrayList<>();
      entries.forEach(e -> names.add(e.getFileName().toString()));
      names.sort(null);
      names.forEach(n -> order.add(configDir + "/" + n));
    } catch (IOException ignored) {
      // no drop-in directory
    }
    String listen = DEFAULT_SOCKET;
    String source = "CRI-O's default";
    for (String file : order) {
      try {
        String text = host.readIfExists(file);
        if (text == null) {
          continue;
        }
        JsonNode node = TOML.readTree(text).path("crio").path("api").path("listen");
        if (node.isTextual() && !node.asText().isEmpty()) {
          listen = node.asText();
          source = "[crio.api] listen in " + file;
        }
      } catch (HostRoot.Unreadable e) {
        unknown.add(new Unknown("config", file + ": " + e.getMessage()));
      } catch (IOException e) {
        unknown.add(new Unknown("config", file + ": malformed TOML: "
            + (e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse(""))));
      }
    }
    if (flags.has("listen")) {
      listen = flags.last("listen");
      source = "--listen, command line of " + process.describe();
    }
    settings.add(new Setting("listen", listen, source));
    List<FileFact> sockets = new ArrayList<>();
    sockets.add(files.inspect(listen, source));
    return new CrioFacts(process, settings, sockets, unknown);
  }
}
