package io.daemonguard.posture;

import io.daemonguard.api.PostureCheck;
import io.daemonguard.api.Severity;
import io.daemonguard.posture.collect.HostRoot;
import io.daemonguard.posture.collect.NodeCollector;
import io.daemonguard.posture.evaluate.CheckOutcome;
import io.daemonguard.posture.evaluate.Evaluation;
import io.daemonguard.posture.evaluate.Finding;
import io.daemonguard.posture.evaluate.PostureEvaluator;
import io.daemonguard.posture.evaluate.PosturePolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * A host root in a temporary directory: real files, real Unix sockets with real owners and modes, and a fake /proc
 * (comm, NUL-separated cmdline, status, fd links to {@code socket:[N]}, pid 1's net/tcp, tcp6 and unix).
 */
public final class HostFixture {
  public static final String TCP_HEADER = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt"
      + "   uid  timeout inode\n";
  public static final String UNIX_HEADER = "Num       RefCount Protocol Flags    Type St Inode Path\n";

  public final Path root;
  private int nextFd = 3;
  private int lines = 0;

  public HostFixture(Path root) {
    this.root = root;
    process(1, "systemd", 0, "/sbin/init");
    write("/proc/1/net/tcp", TCP_HEADER);
    write("/proc/1/net/tcp6", TCP_HEADER);
    write("/proc/1/net/unix", UNIX_HEADER);
    write("/etc/passwd", "root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/sh\n");
    write("/etc/group", "root:x:0:\ndocker:x:998:alice\nalice:x:1000:\n");
  }

  public Path path(String hostPath) {
    return root.resolve(hostPath.substring(1));
  }

  public HostFixture write(String hostPath, String content) {
    try {
      Path file = path(hostPath);
      Files.createDirectories(file.getParent());
      Files.writeString(file, content);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void append(String hostPath, String line) {
    try {
      Files.writeString(path(hostPath), line, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public HostFixture process(int pid, String comm, int uid, String... args) {
    write("/proc/" + pid + "/comm", comm + "\n");
    write("/proc/" + pid + "/cmdline", String.join("\0", args) + "\0");
    write("/proc/" + pid + "/status", "Name:\t" + comm + "\nUid:\t" + uid + "\t" + uid + "\t" + uid + "\t" + uid
        + "\nGid:\t0\t0\t0\t0\n");
    try {
      Files.createDirectories(path("/proc/" + pid + "/fd"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** A TCP socket in LISTEN on {@code address:port} (IPv4 dotted or "::"), held open by {@code pids}. */
  public HostFixture listen(String address, int port, long inode, int... pids) {
    boolean six = address.contains(":");
    String hex = six ? ipv6Hex(address) : ipv4Hex(address);
    String line = String.format("%4d: %s:%04X 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0"
        + " %d 1 0000000000000000 100 0 0 10 0%n", lines++, hex, port, inode);
    append(six ? "/proc/1/net/tcp6" : "/proc/1/net/tcp", line);
    for (int pid : pids) {
      holds(pid, inode);
    }
    return this;
  }

  /** A connected (not listening) TCP socket: state 01, which is no listener. */
  public HostFixture established(String address, int port, long inode, int pid) {
    append("/proc/1/net/tcp", String.format("%4d: %s:%04X 0100007F:9C40 01 00000000:00000000 00:00000000 00000000"
        + "     0        0 %d 1 0000000000000000 20 4 30 10 -1%n", lines++, ipv4Hex(address), port, inode));
    return holds(pid, inode);
  }

  public HostFixture holds(int pid, long inode) {
    try {
      Files.createSymbolicLink(path("/proc/" + pid + "/fd/" + nextFd++), Path.of("socket:[" + inode + "]"));
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A real Unix socket at {@code hostPath} with that owner and mode, and listed as listening in net/unix. */
  public HostFixture socket(String hostPath, int uid, int gid, String mode) {
    try {
      Path file = path(hostPath);
      Files.createDirectories(file.getParent());
      try (ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
        channel.bind(UnixDomainSocketAddress.of(file));
      }
      Files.setAttribute(file, "unix:uid", uid);
      Files.setAttribute(file, "unix:gid", gid);
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
      append("/proc/1/net/unix", "0000000000000000: 00000002 00000000 00010000 0001 01 " + (40000 + lines++) + " "
          + hostPath + "\n");
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public HostFixture chmod(String hostPath, String mode) {
    try {
      Files.setPosixFilePermissions(path(hostPath), PosixFilePermissions.fromString(mode));
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public HostFixture chown(String hostPath, int uid, int gid) {
    try {
      Files.setAttribute(path(hostPath), "unix:uid", uid);
      Files.setAttribute(path(hostPath), "unix:gid", gid);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public HostFixture symlink(String hostPath, String target) {
    try {
      Files.createDirectories(path(hostPath).getParent());
      Files.createSymbolicLink(path(hostPath), Path.of(target));
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public HostFixture dir(String hostPath) {
    try {
      Files.createDirectories(path(hostPath));
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public HostFixture delete(String hostPath) {
    try {
      Files.delete(path(hostPath));
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A rootful dockerd (pid 100) with that command line and its default socket, root:docker 0660. */
  public HostFixture dockerd(String... flags) {
    String[] args = new String[flags.length + 1];
    args[0] = "/usr/bin/dockerd";
    System.arraycopy(flags, 0, args, 1, flags.length);
    process(100, "dockerd", 0, args);
    return socket("/var/run/docker.sock", 0, 998, "rw-rw----");
  }

  public NodeFacts facts() {
    return NodeCollector.collect(new HostRoot(root), "test-node");
  }

  public Evaluation evaluate() {
    return PostureEvaluator.evaluate(facts(), PosturePolicy.defaults());
  }

  /** Findings as "check severity" (unknown ones as "check unknown"), for exact comparisons. */
  public static List<String> summary(Evaluation evaluation) {
    return evaluation.findings().stream()
        .map(f -> f.check().id() + " " + (f.unknown() ? "unknown" : f.severity().label())).toList();
  }

  public static List<Finding> of(Evaluation evaluation, PostureCheck check) {
    return evaluation.findings().stream().filter(f -> f.check() == check).toList();
  }

  public static CheckOutcome outcome(Evaluation evaluation, PostureCheck check) {
    return evaluation.checks().stream().filter(c -> c.check() == check).findFirst().orElseThrow().outcome();
  }

  public static boolean has(Evaluation evaluation, PostureCheck check, Severity severity) {
    return of(evaluation, check).stream().anyMatch(f -> !f.unknown() && f.severity() == severity);
  }

  static String ipv4Hex(String address) {
    String[] p = address.split("\\.");
    return String.format("%02X%02X%02X%02X", Integer.parseInt(p[3]), Integer.parseInt(p[2]), Integer.parseInt(p[1]),
        Integer.parseInt(p[0]));
  }

  static String ipv6Hex(String address) {
    return switch (address) {
      case "::" -> "00000000000000000000000000000000";
      case "::1" -> "00000000000000000000000001000000";
      default -> throw new IllegalArgumentException(address);
    };
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
