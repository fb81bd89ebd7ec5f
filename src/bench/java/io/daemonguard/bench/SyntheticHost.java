package io.daemonguard.bench;

import java.io.IOException;
import java.io.Writer;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A large host root for {@code bench/scan-node.sh}: thousands of processes, each with open files and sockets, thousands
 * of TCP and Unix listeners, and dockerd, containerd and a kubelet among them. As on a Kubernetes node, most processes
 * are in pods' network namespaces and one in five in the host's, where all the listeners are. One listener has no holder, so that the
 * scan must read every process's fds (its worst case).
 *
 * <pre>java -cp target/test-classes io.daemonguard.bench.SyntheticHost DIR [PROCESSES] [LISTENERS]</pre>
 */
public final class SyntheticHost {
  private SyntheticHost() {}

  public static void main(String[] args) throws IOException {
    Path root = Path.of(args[0]);
    int processes = args.length > 1 ? Integer.parseInt(args[1]) : 5000;
    int listeners = args.length > 2 ? Integer.parseInt(args[2]) : 2000;
    int fdsPerProcess = 8;
    write(root.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
    write(root.resolve("etc/group"), "root:x:0:\ndocker:x:998:\n");
    write(root.resolve("etc/hostname"), "synthetic\n");
    write(root.resolve("etc/docker/daemon.json"), "{\"hosts\": [\"unix:///var/run/docker.sock\"], \"tls\": true,"
        + " \"tlsverify\": true, \"tlscacert\": \"/etc/docker/ca.pem\"}\n");
    write(root.resolve("etc/containerd/config.toml"), "version = 2\n[grpc]\n  address = \"/run/containerd/"
        + "containerd.sock\"\n  tcp_address = \"127.0.0.1:10010\"\n");
    write(root.resolve("var/lib/kubelet/config.yaml"), "apiVersion: kubelet.config.k8s.io/v1beta1\n"
        + "kind: KubeletConfiguration\nreadOnlyPort: 0\nauthentication:\n  anonymous:\n    enabled: false\n");
    socket(root.resolve("var/run/docker.sock"));
    socket(root.resolve("run/containerd/containerd.sock"));
    process(root, 1, "systemd", "/sbin/init");
    int dockerd = processes + 10;
    int containerd = processes + 11;
    int kubelet = processes + 12;
    process(root, dockerd, "dockerd", "/usr/bin/dockerd", "-H", "tcp://0.0.0.0:2376", "--containerd",
        "/run/containerd/containerd.sock");
    process(root, containerd, "containerd", "/usr/bin/containerd");
    process(root, kubelet, "kubelet", "/usr/bin/kubelet", "--config=/var/lib/kubelet/config.yaml");
    netns(root, 1, HOST_NET);
    netns(root, dockerd, HOST_NET);
    netns(root, containerd, HOST_NET);
    netns(root, kubelet, HOST_NET);
    for (int pid = 2; pid < processes; pid++) {
      process(root, pid, "worker-" + (pid % 50), "/usr/bin/worker", "--id", String.valueOf(pid));
      netns(root, pid, hostNetwork(pid) ? HOST_NET : HOST_NET + 1 + pid / 10);
      Path fd = root.resolve("proc/" + pid + "/fd");
      for (int n = 0; n < fdsPerProcess; n++) {
        String target = n < 3 ? "/dev/null" : "socket:[" + (1_000_000L + (long) pid * fdsPerProcess + n) + "]";
        Files.createSymbolicLink(fd.resolve(String.valueOf(n)), Path.of(target));
      }
    }
    String header = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";
    try (Writer tcp = Files.newBufferedWriter(root.resolve("proc/1/net/tcp"));
        Writer tcp6 = Files.newBufferedWriter(root.resolve("proc/1/net/tcp6"));
        Writer unix = Files.newBufferedWriter(root.resolve("proc/1/net/unix"))) {
      tcp.write(header);
      tcp6.write(header);
      unix.write("Num       RefCount Protocol Flags    Type St Inode Path\n");
      for (int i = 0; i < listeners; i++) {
        // spread over the processes, the last ones included, so that finding holders reads far into /proc
        int pid = 2 + (int) ((long) i * (processes - 3) / Math.max(1, listeners - 1));
        pid = Math.max(5, pid - pid % 5); // a listener of the host's network namespace is held by a process in it
        long inode = 1_000_000L + (long) pid * fdsPerProcess + 3 + (i % 5);
        Writer out = i % 2 == 0 ? tcp : tcp6;
        String address = i % 2 == 0 ? "00000000" : "00000000000000000000000000000000";
        out.write(String.format("%4d: %s:%04X 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0"
            + " %d 1 0000000000000000 100 0 0 10 0%n", i, address, 20000 + i, inode));
        // and as many established connections, which are no listeners
        out.write(String.format("%4d: %s:%04X 0100007F:9C40 01 00000000:00000000 00:00000000 00000000     0        0"
            + " %d 1 0000000000000000 20 4 30 10 -1%n", i, address, 40000 + (i % 20000), inode + 7_000_000));
        unix.write(String.format("0000000000000000: 00000002 00000000 00010000 0001 01 %d /run/app/%d.sock%n",
            inode + 9_000_000, i));
      }
      tcp.write(String.format("%4d: 00000000:0948 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0"
          + "        0 %d 1 0000000000000000 100 0 0 10 0%n", listeners, 777L));
      Files.createSymbolicLink(root.resolve("proc/" + dockerd + "/fd/3"), Path.of("socket:[777]"));
      tcp.write(String.format("%4d: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0"
          + "        0 %d 1 0000000000000000 100 0 0 10 0%n", listeners + 1, 999L)); // no holder anywhere
      unix.write("0000000000000000: 00000002 00000000 00010000 0001 01 888 /var/run/docker.sock\n");
    }
    System.out.printf("%s: %d processes, %d fd links, %d TCP listeners, %d Unix listeners%n", root, processes,
        (processes - 2) * fdsPerProcess, listeners + 2, listeners + 1);
  }

  private static final long HOST_NET = 4026531840L;

  /** One process in five shares the host's network (system daemons, hostNetwork pods); the others are in pods. */
  private static boolean hostNetwork(int pid) {
    return pid % 5 == 0;
  }

  private static void netns(Path root, int pid, long namespace) throws IOException {
    Path ns = root.resolve("proc/" + pid + "/ns");
    Files.createDirectories(ns);
    Files.createSymbolicLink(ns.resolve("net"), Path.of("net:[" + namespace + "]"));
  }

  private static void process(Path root, int pid, String comm, String... args) throws IOException {
    Path dir = root.resolve("proc/" + pid);
    Files.createDirectories(dir.resolve("fd"));
    Files.createDirectories(dir.resolve("net"));
    Files.writeString(dir.resolve("comm"), comm + "\n");
    Files.writeString(dir.resolve("cmdline"), String.join("\0", args) + "\0");
    Files.writeString(dir.resolve("status"), "Name:\t" + comm + "\nUid:\t0\t0\t0\t0\n");
  }

  private static void write(Path file, String content) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }

  private static void socket(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    try (ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      channel.bind(UnixDomainSocketAddress.of(file));
    }
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw----"));
  }
}
