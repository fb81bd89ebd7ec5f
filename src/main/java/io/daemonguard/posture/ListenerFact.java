package io.daemonguard.posture;

import java.util.List;

/** A TCP socket in LISTEN state in the host's network namespace, and the processes that hold it open. */
public record ListenerFact(String address, int port, long inode, List<Integer> pids, List<String> processes) {

  public String describe() {
    String where = address.contains(":") ? "[" + address + "]:" + port : address + ":" + port;
    return where + (processes.isEmpty() ? " (owner not found)" : " held by " + String.join(", ", processes));
  }

  /** True for 127.0.0.0/8 and ::1: reachable from the node only, not from its network. */
  public boolean loopback() {
    return address.startsWith("127.") || address.equals("::1") || address.startsWith("::ffff:127.");
  }
}
