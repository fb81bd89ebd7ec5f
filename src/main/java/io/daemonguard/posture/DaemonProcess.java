package io.daemonguard.posture;

import java.util.List;

/** A running daemon as {@code /proc} shows it. */
public record DaemonProcess(int pid, String name, Integer uid, List<String> commandLine) {

  /** {@code dockerd (pid 812)}: how evidence names the process. */
  public String describe() {
    return name + " (pid " + pid + ")";
  }
}
