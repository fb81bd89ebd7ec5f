package io.daemonguard.posture.collect;

import io.daemonguard.posture.DaemonProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The host's processes from {@code /proc}: every pid with its name, and the daemons' command lines and uids. A process
 * may exit while it is read; it is then simply gone, as it would be a moment later.
 */
public final class ProcessTable {
  static final Set<String> DAEMONS = Set.of("dockerd", "containerd", "kubelet", "crio");

  private final HostRoot host;
  private final Map<Integer, String> names = new LinkedHashMap<>();
  private final List<DaemonProcess> daemons = new ArrayList<>();
  private final String unknown;

  private ProcessTable(HostRoot host, String unknown) {
    this.host = host;
    this.unknown = unknown;
  }

  public static ProcessTable read(HostRoot host) {
    Path proc = host.proc("");
    if (!Files.isDirectory(proc)) {
      return new ProcessTable(host, host.proc("") + " is not a directory: is /proc mounted under the host root?");
    }
    ProcessTable table = new ProcessTable(host, null);
    List<Integer> pids = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(proc)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (!name.isEmpty() && name.chars().allMatch(Character::isDigit) && name.length() < 10) {
          pids.add(Integer.parseInt(name));
        }
      }
    } catch (IOException e) {
      return new ProcessTable(host, "cannot list " + proc + ": " + HostRoot.reason(e));
    }
    pids.sort(null);
    for (int pid : pids) {
      table.readProcess(pid);
    }
    return table;
  }

  private void readProcess(int pid) {
    String comm;
    try {
      comm = Files.readString(host.proc(pid + "/comm"), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      return; // exited while the table was read, or a fake tree without comm: nothing to say about it
    }
    names.put(pid, comm);
    if (!DAEMONS.contains(comm)) {
      return;
    }
    List<String> commandLine = readCommandLine(pid);
    if (commandLine == null) {
      return;
    }
    daemons.add(new DaemonProcess(pid, comm, readUid(pid), commandLine));
  }

  private List<String> readCommandLine(int pid) {
    byte[] raw;
    try {
      raw = Files.readAllBytes(host.proc(pid + "/cmdline"));
    } catch (IOException e) {
      return null;
    }
    List<String> args = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < raw.length; i++) {
      if (raw[i] == 0) {
        args.add(new String(raw, start, i - start, StandardCharsets.UTF_8));
        start = i + 1;
      }
    }
    if (start < raw.length) {
      args.add(new String(raw, start, raw.length - start, StandardCharsets.UTF_8));
    }
    return args.isEmpty() ? null : args; // a zombie's cmdline is empty
  }

  private Integer readUid(int pid) {
    try {
      for (String line : Files.readAllLines(host.proc(pid + "/status"), StandardCharsets.UTF_8)) {
        if (line.startsWith("Uid:")) {
          return Integer.valueOf(line.substring(4).strip().split("\\s+")[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
    return null;
  }

  /** Why the table is empty when it cannot be read at all; null when it was read. */
  public String unknown() {
    return unknown;
  }

  public List<DaemonProcess> daemons(String name) {
    return daemons.stream().filter(d -> d.name().equals(name)).toList();
  }

  public String name(int pid) {
    return names.get(pid);
  }

  /**
   * The processes holding each of {@code inodes} open, from the {@code socket:[N]} links under {@code /proc/<pid>/fd}.
   * The daemons and pid 1 (socket activation) are searched first; the other processes only while an inode has no
   * owner yet, which keeps a node with thousands of processes fast.
   */
  public Map<Long, List<Integer>> socketOwners(Set<Long> inodes) {
    Map<Long, List<Integer>> owners = new HashMap<>();
    if (inodes.isEmpty()) {
      return owners;
    }
    List<Integer> order = new ArrayList<>();
    Set<Integer> first = new HashSet<>();
    if (names.containsKey(1)) {
      order.add(1);
      first.add(1);
    }
    for (DaemonProcess daemon : daemons) {
      if (first.add(daemon.pid())) {
        order.add(daemon.pid());
      }
    }
    for (int pid : order) {
      scanFds(pid, inodes, owners);
    }
    String hostNet = netNamespace(1);
    for (int pid : names.keySet()) {
      if (owners.keySet().containsAll(inodes)) {
        break;
      }
      // the listeners are pid 1's network namespace's: a pod's processes, in namespaces of their own, hold none of
      // them (short of passing descriptors), and on a node they are most of the processes
      if (!first.contains(pid) && (hostNet == null || hostNet.equals(netNamespace(pid)))) {
        scanFds(pid, inodes, owners);
      }
    }
    return owners;
  }

  /** The {@code net:[N]} a process's network namespace link reads, or null when it cannot be read. */
  private String netNamespace(int pid) {
    try {
      return Files.readSymbolicLink(host.proc(pid + "/ns/net")).toString();
    } catch (IOException | UnsupportedOperationException e) {
      return null;
    }
  }

  private void scanFds(int pid, Set<Long> inodes, Map<Long, List<Integer>> owners) {
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(host.proc(pid + "/fd"))) {
      for (Path fd : fds) {
        String target;
        try {
          target = Files.readSymbolicLink(fd).toString();
        } catch (IOException | UnsupportedOperationException e) {
          continue;
        }
        if (target.startsWith("socket:[") && target.endsWith("]")) {
          try {
            long inode = Long.parseLong(target.substring(8, target.length() - 1));
            if (inodes.contains(inode)) {
              List<Integer> list = owners.computeIfAbsent(inode, i -> new ArrayList<>());
              if (!list.contains(pid)) {
                list.add(pid);
              }
            }
          } catch (NumberFormatException ignored) {
            // not a socket link the kernel writes
          }
        }
      }
    } catch (NoSuchFileException e) {
      // the process exited
    } catch (IOException e) {
      // another process's fds need root (or CAP_SYS_PTRACE): its listeners stay without owner, said so in evidence
    }
  }
}
