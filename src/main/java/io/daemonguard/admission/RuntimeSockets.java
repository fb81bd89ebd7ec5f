package io.daemonguard.admission;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The container runtimes' API sockets, and the question whether a hostPath reaches one of them. */
public final class RuntimeSockets {

  /**
   * Where the runtimes put their API sockets by default; {@code /var/run} spellings are covered by aliasing, and a
   * {@code *} segment stands for any one directory name.
   */
  public static final List<String> DEFAULT_PATHS = List.of(
      "/run/docker.sock",
      "/run/docker/containerd/containerd.sock",
      "/run/docker/containerd/docker-containerd.sock",
      "/run/containerd/containerd.sock",
      "/run/containerd/containerd.sock.ttrpc",
      "/run/k3s/containerd/containerd.sock",
      "/run/k0s/containerd.sock",
      "/run/crio/crio.sock",
      "/run/cri-dockerd.sock",
      "/run/dockershim.sock",
      "/run/podman/podman.sock",
      // rootless daemons keep their sockets in the user's runtime directory
      "/run/user/*/docker.sock",
      "/run/user/*/podman/podman.sock");

  /** A file with one of these names is a runtime API socket wherever it lives (rootless daemons, custom data roots). */
  public static final Set<String> SOCKET_NAMES = Set.of(
      "docker.sock", "containerd.sock", "crio.sock", "cri-dockerd.sock",
      "dockershim.sock", "podman.sock", "docker-containerd.sock", "containerd.sock.ttrpc");

  /**
   * The runtimes' named pipes on Windows nodes (Windows runtimes listen on pipes, and a hostPath can mount one):
   * Docker's engine (with Docker Desktop's and Azure IoT Edge's names for it), containerd's gRPC and ttrpc APIs,
   * cri-dockerd, the kubelet's dockershim, and Podman's machine. Matched case-insensitively, on any server
   * ({@code \\.\pipe\}, {@code \\?\pipe\}, {@code //./pipe/}...).
   */
  public static final List<String> DEFAULT_PIPES = List.of(
      "docker_engine", "docker_engine_linux", "docker_engine_windows",
      "dockerDesktopLinuxEngine", "dockerDesktopWindowsEngine", "iotedge_moby_engine",
      "containerd-containerd", "containerd-containerd.ttrpc",
      "cri-dockerd", "dockershim", "podman-machine-default");

  private static final RuntimeSockets DEFAULTS = new RuntimeSockets(List.of());

  private final List<String> canonicalSockets;
  private final List<String[]> canonicalSegments;
  /** Each socket in both spellings ({@code /run/x} and {@code /var/run/x}), for the ancestor test. */
  private final List<String[]> spelledSegments;

  /** Pipe names, lower-case, to the spelling shown in messages. */
  private final Map<String, String> pipes;
  /** Extra Windows paths that are not pipes (a runtime listening on a file under a drive). */
  private final List<WindowsPaths> windowsPaths;

  private RuntimeSockets(Collection<String> extraPaths) {
    Set<String> canonical = new LinkedHashSet<>();
    for (String path : DEFAULT_PATHS) {
      canonical.add(HostPaths.canonical(path));
    }
    Map<String, String> pipeNames = new LinkedHashMap<>();
    for (String pipe : DEFAULT_PIPES) {
      pipeNames.put(pipe.toLowerCase(Locale.ROOT), pipe);
    }
    List<WindowsPaths> windows = new ArrayList<>();
    for (String path : extraPaths) {
      if (WindowsPaths.looksWindows(path)) {
        WindowsPaths read = WindowsPaths.read(path);
        String pipe = read.pipeName();
        if (pipe != null && !pipe.isEmpty()) {
          pipeNames.putIfAbsent(pipe, pipe);
        } else {
          windows.add(read);
        }
      } else {
        canonical.add(HostPaths.canonical(path));
      }
    }
    this.pipes = Map.copyOf(pipeNames);
    this.windowsPaths = List.copyOf(windows);
    this.canonicalSockets = List.copyOf(canonical);
    List<String[]> exact = new ArrayList<>();
    List<String[]> spelled = new ArrayList<>();
    for (String socket : canonical) {
      exact.add(segments(socket));
      spelled.add(segments(socket));
      if (socket.startsWith("/run/")) {
        spelled.add(segments("/var" + socket));
      }
    }
    this.canonicalSegments = List.copyOf(exact);
    this.spelledSegments = List.copyOf(spelled);
  }

  public static RuntimeSockets defaults() {
    return DEFAULTS;
  }

  public static RuntimeSockets withExtraPaths(Collection<String> extraPaths) {
    return extraPaths.isEmpty() ? DEFAULTS : new RuntimeSockets(extraPaths);
  }

  /** What a hostPath exposes, if anything: the socket itself, a directory holding one, or a file named like one. */
  public Optional<SocketExposure> exposure(String hostPath) {
    String normalized = HostPaths.normalize(hostPath);
    String[] normalizedSegments = segments(normalized);
    String[] canonicalPath = segments(HostPaths.canonical(hostPath));
    for (int i = 0; i < canonicalSegments.size(); i++) {
      String[] socket = canonicalSegments.get(i);
      if (socket.length == canonicalPath.length && matchesPrefix(canonicalPath, socket)) {
        return Optional.of(new SocketExposure(SocketExposure.Kind.SOCKET, canonicalSockets.get(i)));
      }
    }
    for (String[] socket : spelledSegments) {
      if (socket.length > normalizedSegments.length && matchesPrefix(normalizedSegments, socket)
          || socket.length > canonicalPath.length && matchesPrefix(canonicalPath, socket)) {
        return Optional.of(new SocketExposure(SocketExposure.Kind.ANCESTOR, "/" + String.join("/", socket)));
      }
    }
    if (SOCKET_NAMES.contains(HostPaths.lastSegment(normalized))) {
      return Optional.of(new SocketExposure(SocketExposure.Kind.SOCKET_NAME, normalized));
    }
    return windowsExposure(WindowsPaths.read(hostPath));
  }

  /** The same question on a Windows node: a runtime's named pipe, the pipe namespace, or an extra Windows path. */
  private Optional<SocketExposure> windowsExposure(WindowsPaths path) {
    String pipe = path.pipeName();
    if (pipe != null && pipes.containsKey(pipe)) {
      return Optional.of(new SocketExposure(SocketExposure.Kind.SOCKET, PIPE_PREFIX + pipes.get(pipe)));
    }
    if (path.holdsPipes()) {
      return Optional.of(new SocketExposure(SocketExposure.Kind.ANCESTOR, PIPE_PREFIX + DEFAULT_PIPES.get(0)));
    }
    for (WindowsPaths extra : windowsPaths) {
      if (!extra.root().equals(path.root()) && !path.root().isEmpty()) {
        continue; // another drive; a path rooted on the current drive may be on any
      }
      List<String> protectedSegments = extra.segments();
      List<String> segments = path.segments();
      if (segments.size() <= protectedSegments.size()
          && protectedSegments.subList(0, segments.size()).equals(segments)) {
        return Optional.of(new SocketExposure(segments.size() == protectedSegments.size()
            ? SocketExposure.Kind.SOCKET : SocketExposure.Kind.ANCESTOR, extra.toString()));
      }
    }
    return Optional.empty();
  }

  private static final String PIPE_PREFIX = "\\\\.\\pipe\\";

  /** True when every segment of {@code path} matches the socket's segment at the same place ({@code *}: any). */
  private static boolean matchesPrefix(String[] path, String[] socket) {
    for (int i = 0; i < path.length; i++) {
      if (!socket[i].equals("*") && !socket[i].equals(path[i])) {
        return false;
      }
    }
    return true;
  }

  private static String[] segments(String normalized) {
    return normalized.equals("/") ? new String[0] : normalized.substring(1).split("/");
  }

  /** How a hostPath reaches a runtime socket. */
  public record SocketExposure(Kind kind, String socket) {
    public enum Kind { SOCKET, ANCESTOR, SOCKET_NAME }
  }
}
