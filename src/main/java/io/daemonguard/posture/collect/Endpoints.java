package io.daemonguard.posture.collect;

import io.daemonguard.posture.Endpoint;

/** Daemon API addresses as dockerd and containerd read them. */
final class Endpoints {
  private Endpoints() {}

  /**
   * A {@code -H}/{@code hosts} value as dockerd parses it: no scheme means tcp; {@code tcp://} with no port means 2376
   * with TLS and 2375 without; {@code unix://} alone is the default socket. Null for schemes that are no listener
   * here (ssh, npipe). {@code fd://} comes back with scheme "fd".
   */
  static Endpoint docker(String value, String source, boolean tls, String defaultSocket) {
    String v = value.strip();
    if (v.startsWith("fd://")) {
      return new Endpoint(v, "fd", null, null, source, null, null);
    }
    if (v.startsWith("unix://")) {
      String path = v.substring(7);
      path = path.isEmpty() ? defaultSocket : path;
      return new Endpoint("unix://" + path, "unix", path, null, source, null, null);
    }
    if (v.contains("://") && !v.startsWith("tcp://")) {
      return null;
    }
    if (v.startsWith("/")) {
      return new Endpoint("unix://" + v, "unix", v, null, source, null, null);
    }
    return tcp(v.startsWith("tcp://") ? v.substring(6) : v, source, tls ? 2376 : 2375);
  }

  /** {@code host:port}, {@code :port}, {@code [::]:port} or {@code host} as a TCP endpoint. */
  static Endpoint tcp(String hostPort, String source, int defaultPort) {
    String rest = hostPort;
    int slash = rest.indexOf('/');
    if (slash >= 0) {
      rest = rest.substring(0, slash);
    }
    String host = rest;
    int port = defaultPort;
    int colon = rest.lastIndexOf(':');
    if (colon >= 0 && rest.indexOf(']') < colon) {
      host = rest.substring(0, colon);
      try {
        port = Integer.parseInt(rest.substring(colon + 1));
      } catch (NumberFormatException e) {
        port = defaultPort;
      }
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (host.isEmpty()) {
      host = "0.0.0.0";
    }
    String shown = host.contains(":") ? "[" + host + "]" : host;
    return new Endpoint("tcp://" + shown + ":" + port, "tcp", host, port, source, null, null);
  }

  /** A systemd ListenStream: a path is a Unix socket, anything else (a port, an address and port) TCP. */
  static Endpoint listenStream(String value, String source) {
    String v = value.strip();
    if (v.startsWith("/")) {
      return new Endpoint("unix://" + v, "unix", v, null, source, null, null);
    }
    if (v.startsWith("@")) {
      return null; // an abstract socket: not a file, no permissions to judge
    }
    return tcp(v.chars().allMatch(Character::isDigit) ? "[::]:" + v : v, source, 0);
  }
}
