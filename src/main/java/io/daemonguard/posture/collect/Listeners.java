package io.daemonguard.posture.collect;

import io.daemonguard.posture.ListenerFact;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The sockets that listen in the host's network namespace (pid 1's {@code net/tcp}, {@code net/tcp6} and
 * {@code net/unix}): the ground truth against which configuration is checked.
 */
public final class Listeners {
  private static final String TCP_LISTEN = "0A";
  private static final int UNIX_ACCEPTING = 0x10000;

  private final List<ListenerFact> tcp;
  private final Set<String> unixPaths;
  private final String tcpUnknown;
  private final String unixUnknown;

  private Listeners(List<ListenerFact> tcp, String tcpUnknown, Set<String> unixPaths, String unixUnknown) {
    this.tcp = tcp;
    this.tcpUnknown = tcpUnknown;
    this.unixPaths = unixPaths;
    this.unixUnknown = unixUnknown;
  }

  public static Listeners read(HostRoot host, ProcessTable processes) {
    record Raw(String address, int port, long inode) {}
    List<Raw> raw = new ArrayList<>();
    String tcpUnknown = null;
    for (String file : List.of("1/net/tcp", "1/net/tcp6")) {
      String text;
      try {
        text = HostRoot.read(host.proc(file));
      } catch (HostRoot.Unreadable e) {
        if (file.endsWith("tcp6") && tcpUnknown == null && e.getMessage().equals("no such file")) {
          continue; // a kernel without IPv6
        }
        tcpUnknown = "/proc/" + file + ": " + e.getMessage();
        continue;
      }
      boolean six = file.endsWith("6");
      for (String line : text.split("\n")) {
        String[] f = fields(line);
        if (f.length < 10 || !f[0].endsWith(":") || !TCP_LISTEN.equals(f[3])) {
          continue;
        }
        try {
          String[] local = f[1].split(":");
          raw.add(new Raw(six ? ipv6(local[0]) : ipv4(local[0]), Integer.parseInt(local[1], 16),
              Long.parseLong(f[9])));
        } catch (RuntimeException e) {
          tcpUnknown = "/proc/" + file + ": a line the kernel would not write: " + line.strip();
        }
      }
    }
    Set<Long> inodes = new HashSet<>();
    raw.forEach(r -> inodes.add(r.inode()));
    Map<Long, List<Integer>> owners = processes.socketOwners(inodes);
    List<ListenerFact> tcp = new ArrayList<>();
    for (Raw r : raw) {
      List<Integer> pids = owners.getOrDefault(r.inode(), List.of());
      List<String> names = pids.stream().map(p -> processes.name(p) + " (pid " + p + ")").toList();
      tcp.add(new ListenerFact(r.address(), r.port(), r.inode(), pids, names));
    }
    Set<String> unix = new HashSet<>();
    String unixUnknown = null;
    try {
      String text = HostRoot.read(host.proc("1/net/unix"));
      for (String line : text.split("\n")) {
        String[] f = fields(line);
        if (f.length < 8 || !f[0].endsWith(":")) {
          continue;
        }
        try {
          if ((Integer.parseInt(f[3], 16) & UNIX_ACCEPTING) != 0 && f[7].startsWith("/")) {
            unix.add(HostRoot.canonical(f[7]));
          }
        } catch (NumberFormatException ignored) {
          // the header line
        }
      }
    } catch (HostRoot.Unreadable e) {
      unixUnknown = "/proc/1/net/unix: " + e.getMessage();
    }
    return new Listeners(tcp, tcpUnknown, unix, unixUnknown);
  }

  /** A line's white-space separated fields (no regular expression: thousands of lines, read once, in a cold JVM). */
  static String[] fields(String line) {
    List<String> fields = new ArrayList<>(18);
    int i = 0;
    int n = line.length();
    while (i < n) {
      while (i < n && line.charAt(i) <= ' ') {
        i++;
      }
      int start = i;
      while (i < n && line.charAt(i) > ' ') {
        i++;
      }
      if (i > start) {
        fields.add(line.substring(start, i));
      }
    }
    return fields.toArray(new String[0]);
  }

  static String ipv4(String hex) {
    long value = Long.parseLong(hex, 16);
    return (value & 0xff) + "." + ((value >> 8) & 0xff) + "." + ((value >> 16) & 0xff) + "." + ((value >> 24) & 0xff);
  }

  static String ipv6(String hex) {
    byte[] bytes = new byte[16];
    for (int word = 0; word < 4; word++) {
      long value = Long.parseLong(hex.substring(word * 8, word * 8 + 8), 16);
      for (int b = 0; b < 4; b++) {
        bytes[word * 4 + b] = (byte) (value >> (8 * b));
      }
    }
    try {
      String text = java.net.InetAddress.getByAddress(bytes).getHostAddress();
      return text.equals("0:0:0:0:0:0:0:0") ? "::" : text.equals("0:0:0:0:0:0:0:1") ? "::1" : text;
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  public List<ListenerFact> tcp() {
    return tcp;
  }

  /** Why TCP listeners are unknown, or null. */
  public String tcpUnknown() {
    return tcpUnknown;
  }

  public String unixUnknown() {
    return unixUnknown;
  }

  /** True when a Unix socket listens at that path; null when that cannot be known. */
  public Boolean unixListening(String path) {
    if (unixUnknown != null) {
      return null;
    }
    return unixPaths.contains(HostRoot.canonical(path));
  }

  /**
   * The TCP listeners on {@code port} held by one of {@code pids} (any holder when pids is null), and those whose
   * holder could not be read: a socket whose owner is unknown may be the daemon's, and counting it as absent would
   * turn an open API into "nothing listens" (the scan pod reads other processes' descriptors only with
   * CAP_SYS_PTRACE).
   */
  public List<ListenerFact> onPort(int port, Set<Integer> pids) {
    List<ListenerFact> found = new ArrayList<>();
    for (ListenerFact l : tcp) {
      if (l.port() == port && (pids == null || l.pids().isEmpty() || l.pids().stream().anyMatch(pids::contains))) {
        found.add(l);
      }
    }
    return found;
  }

  /** TCP listeners whose holding process could not be found (its descriptors unreadable), or 0. */
  public long ownersUnknown() {
    return tcp.stream().filter(l -> l.pids().isEmpty()).count();
  }

  public List<ListenerFact> heldBy(int pid) {
    return tcp.stream().filter(l -> l.pids().contains(pid)).toList();
  }
}
